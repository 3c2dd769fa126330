/**
 * The person's mailbox over IMAP (imapflow): TLS always (implicit, or
 * STARTTLS required), the certificate verified, then the login. MedSeal
 * looks only at the INBOX's message structure (never a body it does not
 * take), downloads only attachments named as MedSeal files (without
 * marking anything read), and after one was taken in moves its message to
 * the "MedSeal Archive" folder; every other message is left as it was.
 *
 * Kept open (the app keeps its exchanges), the connection idles (IMAP IDLE)
 * between looks that are far enough apart, so the server tells of new mail
 * as it comes and such a look at an unchanged mailbox costs no round trip;
 * a look while the connection is not idling (looks a few seconds apart, or
 * a server without IDLE) asks the server first (NOOP).
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
  /** The last look: the INBOX's size and next uid then, and what it found (reused while IDLE reports no change). */
  private lastLook: { exists: number; uidNext: number; uidValidity: string; found: MailAttachment[] } | null = null;
  private closed = false;

  private constructor(
    private readonly client: ImapFlow,
    readonly server: string,
  ) {
    client.on('close', () => (this.closed = true));
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
      // While IDLE runs the server has told of every change; otherwise it is asked (NOOP): a kept
      // connection looked at more often than imapflow's auto-IDLE delay (the app polls every few
      // seconds) never starts IDLE, and would reuse its last look forever.
      const current = this.client.idling;
      const lock = await this.client.getMailboxLock(INBOX);
      try {
        if (!current) await this.client.noop();
        const box = this.client.mailbox;
        if (box === false) throw new MailServerUnavailable(this.server, 'imap', 'connection-lost');
        const uidValidity = String(box.uidValidity);
        const last = this.lastLook;
        if (last && last.exists === box.exists && last.uidNext === box.uidNext && last.uidValidity === uidValidity)
          return last.found;
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
        this.lastLook = { exists: box.exists, uidNext: box.uidNext, uidValidity, found };
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
        if (others.length > 0) {
          await this.client.messageFlagsAdd(String(attachment.uid), [takenKeyword(attachment.part)], { uid: true });
          return true;
        }
        return (await this.client.messageMove(String(attachment.uid), ARCHIVE_FOLDER, { uid: true })) !== false;
      } finally {
        lock.release();
      }
    });
  }

  /** The uid of the health check's own test message (`X-MedSeal: test; delivery=ID`), or null while it has not come. */
  async findTest(deliveryId: string): Promise<number | null> {
    return this.guard(async () => {
      const lock = await this.client.getMailboxLock(INBOX);
      try {
        const uids = await this.client.search(
          { header: { [MEDSEAL_HEADER]: `test; delivery=${deliveryId}` } },
          { uid: true },
        );
        return uids && uids.length > 0 ? uids[0]! : null;
      } finally {
        lock.release();
      }
    });
  }

  /** Deletes one message for good: only the health check's own test message. */
  async deleteTest(uid: number): Promise<void> {
    await this.guard(async () => {
      const lock = await this.client.getMailboxLock(INBOX);
      try {
        await this.client.messageDelete(String(uid), { uid: true });
      } finally {
        lock.release();
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.logout().catch(() => {
      // Already gone: nothing to log out of.
      this.client.close();
    });
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
