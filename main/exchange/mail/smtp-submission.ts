/**
 * Sending one message by SMTP submission (nodemailer's SMTP connection):
 * TLS first (implicit, or STARTTLS required before anything else; never
 * plaintext), the certificate verified, then the login, then the message.
 * The size limit the server announces (SIZE, RFC 1870) is checked before
 * the message is sent, so a package too large for e-mail is refused with
 * both sizes instead of failing half-way. Replies are sorted into what
 * passes by itself (4xx: try later, queued) and what does not (5xx).
 */
import type { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import { MailLoginRefused, MailRefused, MailServerUnavailable, MailTlsRefused, MailTooLarge } from '../errors.js';
import { serverName, type MailLogin, type MailServerAddress } from './mail-account.js';
import { isCertificateError, isTimeout, tlsOptions } from './mail-tls.js';

const CONNECT_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 60_000;

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
}

export class SmtpSubmission {
  private constructor(
    private readonly connection: SMTPConnection,
    readonly server: string,
    /** The largest message the server accepts (bytes), as it announced; null when it announced none. */
    readonly sizeLimit: number | null,
  ) {}

  /** Connects with TLS, checks the certificate and logs in. */
  static async open(address: MailServerAddress, login: MailLogin, caPem: string | null): Promise<SmtpSubmission> {
    const server = serverName(address);
    const connection = new SMTPConnection({
      host: address.host,
      port: address.port,
      secure: address.security === 'tls',
      requireTLS: true,
      tls: tlsOptions(address.host, caPem),
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      logger: false,
      allowInternalNetworkInterfaces: true,
    });
    connection.on('error', () => {
      // Every failure also fails the step in progress, which says what it was.
    });
    try {
      await new Promise<void>((resolve, reject) => {
        connection.once('error', reject);
        connection.connect(() => {
          connection.removeListener('error', reject);
          resolve();
        });
      });
      if (!connection.secure) throw new MailTlsRefused(server, 'no-tls');
      const sizeLimit = announcedSize(connection.lastServerResponse);
      await new Promise<void>((resolve, reject) =>
        connection.login(
          login.method === 'password'
            ? { user: login.user, pass: login.password }
            : {
                user: login.user,
                method: 'XOAUTH2',
                oauth2: new XOAuth2({ user: login.user, accessToken: login.accessToken }),
              },
          (error) => (error ? reject(error) : resolve()),
        ),
      );
      return new SmtpSubmission(connection, server, sizeLimit);
    } catch (error) {
      connection.close();
      throw smtpError(server, error, 'login');
    }
  }

  /** Sends one message of `size` bytes from `from` to `to`; MailTooLarge before anything is sent when over the limit. */
  async send(from: string, to: readonly string[], size: number, message: Readable): Promise<void> {
    if (this.sizeLimit !== null && size > this.sizeLimit) {
      message.destroy();
      throw new MailTooLarge(size, this.sizeLimit);
    }
    try {
      await new Promise<void>((resolve, reject) =>
        this.connection.send({ from, to: [...to], size }, message, (error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      throw smtpError(this.server, error, 'send');
    }
  }

  close(): void {
    this.connection.quit();
    this.connection.close();
  }
}

/** The SIZE limit in an EHLO reply ("250-SIZE 10240000"); null when none (or 0: no fixed limit). */
function announcedSize(ehlo: string | false): number | null {
  const match = typeof ehlo === 'string' ? /^250[ -]SIZE[ \t]+(\d+)/im.exec(ehlo) : null;
  const limit = match ? Number(match[1]) : 0;
  return limit > 0 ? limit : null;
}

/** What an SMTP failure means for the person. */
function smtpError(server: string, error: unknown, step: 'login' | 'send'): Error {
  if (error instanceof MailTlsRefused || error instanceof MailTooLarge) return error;
  if (isCertificateError(error)) return new MailTlsRefused(server, 'certificate', { cause: error });
  const failure = error as SmtpError;
  if (failure.code === 'ETLS' || (failure.code === 'ESOCKET' && /STARTTLS/i.test(failure.message)))
    return new MailTlsRefused(server, 'no-tls', { cause: error });
  if (failure.code === 'EAUTH' && (failure.responseCode ?? 535) >= 500)
    return new MailLoginRefused(server, 'smtp', { cause: error });
  const reply = failure.responseCode;
  // An envelope the client itself refused (an address with <, > or a line break): no server is down.
  if (failure.code === 'EENVELOPE' && reply === undefined) return new MailRefused(server, null, { cause: error });
  if (reply !== undefined && reply >= 400 && reply < 500)
    return new MailServerUnavailable(server, 'smtp', 'try-later', { cause: error });
  if (reply !== undefined && reply >= 500) return new MailRefused(server, reply, { cause: error });
  if (isTimeout(error)) return new MailServerUnavailable(server, 'smtp', 'timed-out', { cause: error });
  if (failure.code === 'ECONNECTION' && step === 'send')
    return new MailServerUnavailable(server, 'smtp', 'connection-lost', { cause: error });
  return new MailServerUnavailable(server, 'smtp', 'unreachable', { cause: error });
}
