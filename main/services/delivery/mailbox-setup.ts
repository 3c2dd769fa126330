/**
 * The person's mailbox for delivery by e-mail: which servers it uses (the
 * policy's, or the person's own where the policy allows), added only after
 * both logins worked over verified TLS (nothing unproven is saved), and kept
 * sealed in the profile (store/mailbox.ts). One mailbox per profile: it is
 * the person's own address, the one their card names.
 */
import { readFile } from 'node:fs/promises';
import { toIoError } from '../../errors/io-error.js';
import {
  formatMailServer,
  parseMailServer,
  type MailAccount,
  type MailServerAddress,
} from '../../exchange/mail/mail-account.js';
import type { TransportConfig } from '../../exchange/transport-config.js';
import { UsageError } from '../../errors/usage-error.js';
import { ManagedSetting } from '../policy-gate.js';
import type { ProfileSession } from '../profile-session.js';
import { MailTransport } from '../../exchange/mail/mail-transport.js';

export interface MailboxRequest {
  /** The address; the one on the person's card when omitted. */
  readonly address?: string;
  /** smtps://… or smtp://…; the policy's when it sets one. */
  readonly smtp?: string;
  /** imaps://… or imap://…; the policy's when it sets one. */
  readonly imap?: string;
  /** The login name; the address when omitted. */
  readonly user?: string;
  /** Asked only once the request itself passed every check (a prompt in the CLI, a field in the app). */
  readonly password: () => Promise<string | null>;
  /** A CA certificate file (PEM) for servers signed by a private CA; the policy's wins. */
  readonly caFile?: string;
}

/** The servers a mailbox may use under the policy: fixed ones, or null when the person chooses. */
export function policyMailServers(
  session: ProfileSession,
): { smtp: MailServerAddress; imap: MailServerAddress } | null {
  const policy = session.policy.effective;
  if (policy.mailSmtpServer === null || policy.mailImapServer === null) return null;
  return { smtp: parseMailServer(policy.mailSmtpServer, 'smtp'), imap: parseMailServer(policy.mailImapServer, 'imap') };
}

/** What setting up a mailbox asks for under the policy (for a form that shows only what is needed). */
export interface MailboxChoices {
  /** The servers the policy sets (as written there), or null when the person gives them. */
  readonly servers: { readonly smtp: string; readonly imap: string } | null;
  /** Whether servers other than the policy's may be used. */
  readonly ownServers: boolean;
  /** The policy names the CA certificate: none is asked for. */
  readonly caFileSet: boolean;
}

export function mailboxChoices(session: ProfileSession): MailboxChoices {
  const policy = session.policy.effective;
  const fixed = policyMailServers(session);
  return {
    servers: fixed && { smtp: formatMailServer(fixed.smtp, 'smtp'), imap: formatMailServer(fixed.imap, 'imap') },
    ownServers: policy.mailAllowOwnServers,
    caFileSet: policy.mailCaFile !== null,
  };
}

/** Whether a stored mailbox may be used under today's policy (its servers the policy's, or own servers allowed). */
export function mailboxAllowed(session: ProfileSession, account: MailAccount): boolean {
  const fixed = policyMailServers(session);
  if (fixed === null) return session.policy.effective.mailAllowOwnServers;
  return (
    (sameServer(fixed.smtp, account.smtp) && sameServer(fixed.imap, account.imap)) ||
    session.policy.effective.mailAllowOwnServers
  );
}

/**
 * The stored mailbox as it is used today: null when there is none or the policy no longer allows its
 * servers; with the policy's CA (`mailCaFile`) when it names one, read now, so that a CA IT sets or
 * changes later applies to mailboxes added before.
 */
export async function mailboxInUse(session: ProfileSession): Promise<MailAccount | null> {
  const stored = session.requireUnlocked().mailbox.get();
  if (!stored || !mailboxAllowed(session, stored.account)) return null;
  const caFile = session.policy.effective.mailCaFile;
  if (caFile === null) return stored.account;
  const caPem = await readFile(caFile, 'utf8').catch((error: unknown) => {
    throw toIoError('the CA certificate file', error);
  });
  return { ...stored.account, caPem };
}

/** The transport configuration of the stored mailbox. */
export function mailboxConfig(account: MailAccount, displayName: string): TransportConfig {
  return { kind: 'email', name: account.address, account, displayName };
}

/**
 * Checks a request against the policy, logs in to both servers, then saves the mailbox (replacing an
 * earlier one). Null when the person cancelled at the password.
 */
export async function addMailbox(session: ProfileSession, request: MailboxRequest): Promise<MailAccount | null> {
  const profile = session.requireUnlocked();
  const policy = session.policy.effective;
  const fixed = policyMailServers(session);
  const smtp = request.smtp === undefined ? fixed?.smtp : parseMailServer(request.smtp, 'smtp');
  const imap = request.imap === undefined ? fixed?.imap : parseMailServer(request.imap, 'imap');
  if (fixed === null && !policy.mailAllowOwnServers) throw new ManagedSetting({}, { variant: 'mail-off' });
  if (!smtp || !imap) throw new UsageError({ variant: 'mail-servers-needed' });
  if (fixed && !policy.mailAllowOwnServers && !(sameServer(fixed.smtp, smtp) && sameServer(fixed.imap, imap)))
    throw new ManagedSetting(
      { smtp: formatMailServer(fixed.smtp, 'smtp'), imap: formatMailServer(fixed.imap, 'imap') },
      { variant: 'mail-servers' },
    );
  const address = (request.address ?? profile.identity.card.profile.email).trim().toLowerCase();
  const caFile = policy.mailCaFile ?? request.caFile ?? null;
  const caPem =
    caFile === null
      ? null
      : await readFile(caFile, 'utf8').catch((error: unknown) => {
          throw toIoError('the CA certificate file', error);
        });
  const password = await request.password();
  if (password === null) return null;
  const account: MailAccount = {
    address,
    smtp,
    imap,
    login: { method: 'password', user: request.user ?? address, password },
    caPem,
  };
  await tryMailbox(account);
  profile.mailbox.set(account);
  profile.audit.append({ action: 'exchange.added', detail: 'email' });
  return account;
}

/** Both logins, over verified TLS: the submission server (and its size limit) and the INBOX; the limit, if announced. */
export async function tryMailbox(account: MailAccount): Promise<number | null> {
  const transport = new MailTransport(account.address, account);
  try {
    const limit = await transport.sizeLimit();
    await transport.waiting();
    return limit;
  } finally {
    await transport.close();
  }
}

function sameServer(a: MailServerAddress, b: MailServerAddress): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port && a.security === b.security;
}
