/**
 * A mailbox MedSeal sends and receives packages through: the person's own
 * e-mail address, the organisation's submission (SMTP) and IMAP servers,
 * and how to log in. TLS is not optional: `tls` is implicit TLS from the
 * first byte, `starttls` upgrades before anything else is said and fails
 * when the server does not offer it; there is no plaintext mode. Login is a
 * password or an OAuth 2 access token (XOAUTH2: Microsoft 365, Google), so
 * a token can take a password's place without another kind of account.
 */
import { z } from 'zod';
import { InvalidMailServer } from '../errors.js';

export type MailSecurity = 'tls' | 'starttls';

export interface MailServerAddress {
  readonly host: string;
  readonly port: number;
  readonly security: MailSecurity;
}

export type MailLogin =
  | { readonly method: 'password'; readonly user: string; readonly password: string }
  | { readonly method: 'xoauth2'; readonly user: string; readonly accessToken: string };

export interface MailAccount {
  /** The person's address: messages go out from it, and partners' cards name it. */
  readonly address: string;
  readonly smtp: MailServerAddress;
  readonly imap: MailServerAddress;
  readonly login: MailLogin;
  /** A CA certificate (PEM) the servers' certificates must chain to; null: the system's CAs. */
  readonly caPem: string | null;
}

/** An e-mail address as cards and policies hold it: one @, no spaces or angle brackets, at most 254 characters. */
export const MAIL_ADDRESS = /^[^\s@<>()",;:\\[\]]{1,64}@[A-Za-z0-9.-]{1,253}$/;

/** A host name or IP address, as written in settings and policies. */
export const MAIL_HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/;

const server = z.strictObject({
  host: z.string().regex(MAIL_HOST, 'must be a host name or IP address'),
  port: z.number().int().min(1).max(65535),
  security: z.enum(['tls', 'starttls']),
});

export const MailAccountSchema = z.strictObject({
  address: z.string().regex(MAIL_ADDRESS, 'must be an e-mail address'),
  smtp: server,
  imap: server,
  login: z.discriminatedUnion('method', [
    z.strictObject({
      method: z.literal('password'),
      user: z.string().min(1).max(320),
      password: z.string().min(1).max(1024),
    }),
    z.strictObject({
      method: z.literal('xoauth2'),
      user: z.string().min(1).max(320),
      accessToken: z.string().min(1).max(8192),
    }),
  ]),
  caPem: z.string().max(65536).nullable(),
});

/** How the servers are named in messages and logs: host and port, never the login. */
export function serverName(address: MailServerAddress): string {
  return `${address.host}:${address.port}`;
}

const DEFAULT_PORTS = { smtps: 465, smtp: 587, imaps: 993, imap: 143 } as const;

/**
 * A mail server written as IT and people write it: `smtps://HOST[:PORT]` (implicit TLS, 465),
 * `smtp://HOST[:PORT]` (STARTTLS required, 587), `imaps://HOST[:PORT]` (993), `imap://HOST[:PORT]`
 * (STARTTLS required, 143). There is no plaintext form. InvalidMailServer says what is wrong.
 */
export function parseMailServer(text: string, service: 'smtp' | 'imap'): MailServerAddress {
  const match = /^(smtps?|imaps?):\/\/([^/:\s]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(text.trim());
  if (!match) throw new InvalidMailServer(service, 'form');
  const scheme = match[1] as keyof typeof DEFAULT_PORTS;
  if (!scheme.startsWith(service)) throw new InvalidMailServer(service, 'scheme');
  const host = match[2]!.replace(/^\[|\]$/g, '');
  if (!MAIL_HOST.test(host)) throw new InvalidMailServer(service, 'host');
  const port = match[3] === undefined ? DEFAULT_PORTS[scheme] : Number(match[3]);
  if (port < 1 || port > 65535) throw new InvalidMailServer(service, 'port');
  return { host, port, security: scheme.endsWith('s') ? 'tls' : 'starttls' };
}

/** The written form of a server (parseMailServer's). */
export function formatMailServer(address: MailServerAddress, service: 'smtp' | 'imap'): string {
  return `${service}${address.security === 'tls' ? 's' : ''}://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
