/**
 * The person's mailbox over IMAP (imapflow): TLS always (implicit, or
 * STARTTLS required), the certificate verified, then the login. MedSeal
 * looks only at the INBOX's message structure (never a body it does not
 * take), downloads only attachments named as MedSeal files (without
 * marking anything read), and after one was taken in moves its message to
 * the "MedSeal Archive" folder (on a server without MOVE and UIDPLUS, where
 * that would expunge what the person only marked deleted, it marks it taken
 * in instead); every other message is left as it was.
 *
 * Kept open (the app keeps its exchanges), the connection idles (IMAP IDLE)
 * between looks, so the server tells of new mail as it comes; each look
 * costs one NOOP (which also brings what a server without IDLE had not told
 * yet), and the mailbox is read again only when something changed.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ImapFlow, type MessageStructureObject } from 'imapflow';
import { toIoError } from '../../errors/io-error.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { MailLoginRefused, MailServerUnavailable, MailTlsRefused } from '../errors.js';
import { serverName, type MailLogin, type MailServerAddress } from './mail-account.js';
import { MAIL_ATTACHMENT_EXTENSIONS, MEDSEAL_HEADER } from './mail-message.js';
import { isCertificateError, isTimeout, tlsOptions } from './mail-tls.js';

export type AttachmentKind = keyof typeof MAIL_ATTACHMENT_EXTENSIONS;

/** One MedSeal attachment waiting in the INBOX. */
export interface MailAttachment {
  readonly uidValidity: string;
  readonly uid: number;
  /** The body part (IMAP section) that holds it. */
  readonly part: string;
  readonly kind: AttachmentKind;
  /** Bytes of the file (estimated from the encoded part until it is downloaded). */
  readonly size: number;
  readonly arrivedAt: string;
}

export const ARCHIVE_FOLDER = 'MedSeal Archive';
const INBOX = 'INBOX';
/** The keyword that marks one part of a message with several MedSeal attachments as taken in. */
const takenKeyword = (part: string) => `$MedSealTaken-${part.replaceAll('.', '_')}`;
const CONNECT_TIMEOUT_MS = 15_000;

export class ImapMailbox {
  /** The last look: the count of changes the server had told then, and what it found (reused while it tells none). */
  private lastLook: { changes: number; uidValidity: string; found: MailAttachment[] } | null = null;
  /** Changes the server told of (new, expunged or re-flagged messages): pushed while idling, or in answer to a command. */
  private changes = 0;
  private closed = false;

  private constructor(
    private readonly client: ImapFlow,
    readonly server: string,
  ) {
    client.on('close', () => (this.closed = true));
    for (const event of ['exists', 'expunge', 'flags'] as const) client.on(event, () => this.changes++);
    client.on('error', () => {
      // A dropped connection fails the call in progress (which says so) and the next one reconnects.
    });
  }

  static async open(address: MailServerAddress, login: MailLogin, caPem: string | null): Promise<ImapMailbox> {
    const server = serverName(address);
    const client = new ImapFlow({
      host: address.host,
      port: address.port,
      secure: address.security === 'tls',
      doSTARTTLS: address.security === 'starttls' ? true : undefined,
      tls: tlsOptions(address.host, caPem),
      auth:
        login.method === 'password'
          ? { user: login.user, pass: login.password }
          : { user: login.user, accessToken: login.accessToken },
      logger: false,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: CONNECT_TIMEOUT_MS,
      idHashAlgorithm: 'sha256',
      // Idle soon after a look, so that the server pushes new mail between the app's polls.
      autoIdleDelay: 1000,
    });
    try {
      await client.connect();
      await client.mailboxOpen(INBOX);
    } catch (error) {
      client.close();
      throw imapError(server, error);
    }
    return new ImapMailbox(client, server);
  }

  get usable(): boolean {
    return !this.closed && this.client.usable;
  }

  /** The MedSeal attachments in the INBOX not yet taken in, oldest first. */
  async attachments(): Promise<MailAttachment[]> {
    return this.guard(async () => {
      const lock = await this.client.getMailboxLock(INBOX);
      try {
        const box = this.client.mailbox;
        if (box === false) throw new MailServerUnavailable(this.server, 'imap', 'connection-lost');
        // One round trip: the server answers with whatever changed that it had not pushed yet (a server
        // without IDLE, or one not idling yet); an unchanged mailbox is not read again.
        await this.client.noop();
        const uidValidity = String(box.uidValidity);
        const last = this.lastLook;
        if (last && last.changes === this.changes && last.uidValidity === uidValidity) return last.found;
        const changes = this.changes;
        const found: MailAttachment[] = [];
        if (box.exists > 0)
          for await (const message of this.client.fetch('1:*', {
            uid: true,
            bodyStructure: true,
            internalDate: true,
            flags: true,
          })) {
            const arrivedAt = new Date(message.internalDate ?? 0).toISOString();
            const parts = medsealParts(message.bodyStructure);
            for (const part of parts)
              if (!message.flags?.has(takenKeyword(part.part)))
                found.push({
                  uidValidity,
                  uid: message.uid,
                  part: part.part,
                  kind: part.kind,
                  size: part.size,
                  arrivedAt,
                });
          }
        found.sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt) || a.uid - b.uid);
        this.lastLook = { changes, uidValidity, found };
        return found;
      } finally {
        lock.release();
      }
    });
  }

  /** Downloads one attachment (decoded) to `path`, written under a temporary name first. */
  async download(attachment: MailAttachment, path: string): Promise<void> {
    await this.guard(async () => {
      const lock = await this.client.getMailboxLock(INBOX);
      const partial = `${path}.partial`;
      try {
        this.checkValidity(attachment);
        const found = await this.client.download(String(attachment.uid), attachment.part, { uid: true });
        if (!('content' in found) || !found.content)
          throw toIoError('the attachment', Object.assign(new Error('gone'), { code: 'ENOENT' }));
        await pipeline(found.content, createWriteStream(partial, { flags: 'w', mode: 0o600 })).catch(
          (error: unknown) => {
            throw toIoError('the downloads folder', error);
          },
        );
        await rename(partial, path);
      } finally {
        lock.release();
        await rm(partial, { force: true });
      }
    });
  }

  /**
   * Marks one attachment taken in; its message moves to the archive folder once every MedSeal
   * attachment in it is. False when the message is no longer in the INBOX (or the mailbox was rebuilt).
   */
  async archive(attachment: MailAttachment): Promise<boolean> {
    return this.guard(async () => {
      await this.client.mailboxCreate(ARCHIVE_FOLDER); // created: false when it exists
      const lock = await this.client.getMailboxLock(INBOX);
      try {
        if (String(this.client.mailbox === false ? '' : this.client.mailbox.uidValidity) !== attachment.uidValidity)
          return false;
        const message = await this.client.fetchOne(
          String(attachment.uid),
          { uid: true, bodyStructure: true, flags: true },
          { uid: true },
        );
        if (!message) return false;
        const others = medsealParts(message.bodyStructure).filter(
          (part) => part.part !== attachment.part && !message.flags?.has(takenKeyword(part.part)),
        );
        this.lastLook = null;
        // Without MOVE or UIDPLUS a move ends in a plain EXPUNGE, which would also purge every message the
        // person only marked deleted: the message stays, its attachment marked taken in, like a part of one.
        if (others.length > 0 || !this.movesOnlyOurs) {
          await this.client.messageFlagsAdd(String(attachment.uid), [takenKeyword(attachment.part)], { uid: true });
          return true;
        }
        return (await this.client.messageMove(String(attachment.uid), ARCHIVE_FOLDER, { uid: true })) !== false;
      } finally {
        lock.release();
      }
    });
  }

  /** The uids SEARCH gives for the health check's own test message (`X-MedSeal: test; delivery=ID`); none while it has not come. */
  async findTest(deliveryId: string): Promise<number[]> {
    return this.guard(async () => {
      const lock = await this.client.getMailboxLock(INBOX);
      try {
        const uids = await this.client.search(
          { header: { [MEDSEAL_HEADER]: `test; delivery=${deliveryId}` } },
          { uid: true },
        );
        return uids || [];
      } finally {
        lock.release();
      }
    });
  }

  /**
   * Deletes the health check's own test message, and nothing else: the message at `uid` must carry
   * exactly its header (SEARCH HEADER matches a substring, some servers match looser still, and the
   * uid was found under an earlier lock). Without UIDPLUS it is only marked deleted: a plain EXPUNGE
   * would also purge every message the person marked deleted. False when it was not ours to delete.
   */
  async deleteTest(uid: number, deliveryId: string): Promise<boolean> {
    return this.guard(async () => {
      const lock = await this.client.getMailboxLock(INBOX);
      try {
        const message = await this.client.fetchOne(
          String(uid),
          { uid: true, headers: [MEDSEAL_HEADER] },
          { uid: true },
        );
        const values = message ? headerValues(message.headers, MEDSEAL_HEADER) : [];
        if (values.length !== 1 || values[0] !== `test; delivery=${deliveryId}`) return false;
        if (this.client.capabilities.has('UIDPLUS')) await this.client.messageDelete(String(uid), { uid: true });
        else await this.client.messageFlagsAdd(String(uid), ['\\Deleted'], { uid: true });
        return true;
      } finally {
        lock.release();
      }
    });
  }

  /** Whether moving one message out of the INBOX removes only it (MOVE, or COPY and UID EXPUNGE of UIDPLUS). */
  private get movesOnlyOurs(): boolean {
    return this.client.capabilities.has('MOVE') || this.client.capabilities.has('UIDPLUS');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.client.usable) {
      this.client.close(); // the connection is already gone: nothing to log out of
      return;
    }
    await this.client.logout();
  }

  private checkValidity(attachment: MailAttachment): void {
    const box = this.client.mailbox;
    if (box === false || String(box.uidValidity) !== attachment.uidValidity)
      throw toIoError('the attachment', Object.assign(new Error('mailbox rebuilt'), { code: 'ENOENT' }));
  }

  /** Runs one step, its failures as MedSeal errors. */
  private async guard<T>(step: () => Promise<T>): Promise<T> {
    if (!this.usable) throw new MailServerUnavailable(this.server, 'imap', 'connection-lost');
    try {
      return await step();
    } catch (error) {
      throw imapError(this.server, error);
    }
  }
}

/** The parts of a message that are MedSeal attachments, by their file name's ending. */
function medsealParts(
  node: MessageStructureObject | undefined,
): { part: string; kind: AttachmentKind; size: number }[] {
  if (!node) return [];
  if (node.childNodes) return node.childNodes.flatMap((child) => medsealParts(child));
  const name = (node.dispositionParameters?.filename ?? node.parameters?.name ?? '').toLowerCase();
  const kind = (Object.keys(MAIL_ATTACHMENT_EXTENSIONS) as AttachmentKind[]).find((candidate) =>
    name.endsWith(MAIL_ATTACHMENT_EXTENSIONS[candidate]),
  );
  if (!kind) return [];
  const encoded = node.size ?? 0;
  // A single-part message has no part number of its own: its body is part 1.
  return [
    {
      part: node.part ?? '1',
      kind,
      size: node.encoding?.toLowerCase() === 'base64' ? Math.floor((encoded * 3) / 4) : encoded,
    },
  ];
}

/** The values of header `name` in a fetched header block (unfolded, trimmed). */
function headerValues(block: Buffer | undefined, name: string): string[] {
  if (!block) return [];
  const unfolded = block.toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const prefix = `${name.toLowerCase()}:`;
  return unfolded
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

/** What an IMAP failure means for the person. */
function imapError(server: string, error: unknown): Error {
  if (isMedSealError(error)) return error; // already told as ours
  if (isCertificateError(error)) return new MailTlsRefused(server, 'certificate', { cause: error });
  const failure = error as { authenticationFailed?: boolean; code?: string; message?: string };
  if (failure.authenticationFailed) return new MailLoginRefused(server, 'imap', { cause: error });
  if (failure.code === 'NoConnection' || /STARTTLS/i.test(failure.message ?? '')) {
    if (/STARTTLS/i.test(failure.message ?? '')) return new MailTlsRefused(server, 'no-tls', { cause: error });
    return new MailServerUnavailable(server, 'imap', 'connection-lost', { cause: error });
  }
  if (isTimeout(error)) return new MailServerUnavailable(server, 'imap', 'timed-out', { cause: error });
  return new MailServerUnavailable(server, 'imap', 'unreachable', { cause: error });
}
