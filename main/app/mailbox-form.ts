/**
 * "Set up e-mail" in Settings → Exchanges, on the shared mailbox set-up
 * (services/delivery/mailbox-setup.ts): what the form asks for under the
 * policy, and its answer made into the set-up request. The password is
 * handed to the set-up alone (never logged, stored only sealed with the
 * mailbox, never answered back); the CA certificate is a file chosen in a
 * native dialog, as an SFTP login key is: no path comes from the renderer.
 */
import type { Dialogs } from './host.js';
import type { ProfileSession } from '../services/profile-session.js';
import { mailboxChoices, type MailboxRequest } from '../services/delivery/mailbox-setup.js';

/** The form as it crosses IPC (main/ipc/contract.ts 'exchange.addMail'). */
export interface MailboxForm {
  readonly address?: string | undefined;
  readonly smtp?: string | undefined;
  readonly imap?: string | undefined;
  readonly user?: string | undefined;
  readonly password: string;
  /** The servers' certificates are signed by the organisation's own authority: its file is chosen in a dialog. */
  readonly chooseCaFile: boolean;
}

/** What the form shows: the card's address to start from, the policy's servers, whether own servers and a CA file may be given. */
export function mailSetupView(session: ProfileSession) {
  const { servers, ownServers, caFileSet } = mailboxChoices(session);
  return {
    available: servers !== null || ownServers,
    address: session.requireUnlocked().identity.card.profile.email,
    servers: servers && { ...servers },
    ownServers,
    caFileSet,
  };
}

/**
 * The set-up request of a filled-in form; null when the person cancelled the CA file's dialog. The
 * dialog opens only when asked for and the policy names no CA (the policy's would win anyway).
 */
export async function mailboxRequest(
  session: ProfileSession,
  dialogs: Pick<Dialogs, 'chooseMailCaFile'>,
  form: MailboxForm,
): Promise<MailboxRequest | null> {
  const caFile = form.chooseCaFile && !mailboxChoices(session).caFileSet ? await dialogs.chooseMailCaFile() : undefined;
  if (caFile === null) return null;
  const { password } = form;
  return {
    ...(form.address === undefined ? {} : { address: form.address }),
    ...(form.smtp === undefined ? {} : { smtp: form.smtp }),
    ...(form.imap === undefined ? {} : { imap: form.imap }),
    ...(form.user === undefined ? {} : { user: form.user }),
    ...(caFile === undefined ? {} : { caFile }),
    password: async () => password,
  };
}
