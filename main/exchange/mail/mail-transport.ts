/**
 * E-mail as an exchange: packages and receipts go out by SMTP submission to
 * the address on each recipient's card, one message per recipient (partners
 * of different organisations never see each other's addresses), and come in
 * from the person's own INBOX over IMAP. It answers the same Transport calls
 * as a shared folder or an SFTP server, so the inbox, receipts, the delivery
 * queue and the health check treat it like them; what e-mail has no use for
 * (announced inboxes: a mailbox is reached by its address, which the card
 * vouches for) answers as "nothing to do".
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { toIoError } from '../../errors/io-error.js';
import { isNodeError } from '../../errors/node-error.js';
import type { FileIdentity } from '../../fs/publish-file.js';
import type { ExchangeBinding, FoundAnnouncement } from '../inbox-announcement.js';
import {
  ITEM_EXTENSIONS,
  type DeliveryReport,
  type FetchedItem,
  type ItemKind,
  type Transport,
  type WaitingItem,
  type WithdrawReport,
} from '../transport.js';
import { ImapMailbox, type MailAttachment } from './imap-mailbox.js';
import type { MailAccount } from './mail-account.js';
import { composeMessage, messageSize, type MailEnvelope, type MailFile } from './mail-message.js';
import { SmtpSubmission } from './smtp-submission.js';

/** An item's id: `m<uidvalidity>-<uid>-<part><ending>`, digits and dots only before the ending. */
const ITEM_ID = /^m(\d{1,20})-(\d{1,10})-(\d{1,3}(?:\.\d{1,3}){0,4})(\.medseal(?:-receipt|-contact)?)$/;

export class MailTransport implements Transport {
  readonly kind = 'email' as const;
  readonly location: string;
  private mailbox: ImapMailbox | null = null;
  private readonly seen = new Map<string, MailAttachment>();

  constructor(
    readonly name: string,
    private readonly account: MailAccount,
    /** The person's name as the From line shows it (their card's); never anything else. */
    private readonly displayName: string | null = null,
  ) {
    this.location = account.address;
  }

  async binding(): Promise<ExchangeBinding> {
    return `mailto:${this.account.address}`;
  }

  async claimInbox(): Promise<number | null> {
    return null; // the mailbox is the person's own: there is nothing to claim
  }

  async hasInbox(): Promise<boolean> {
    return true;
  }

  async announcement(): Promise<FoundAnnouncement | null> {
    return null; // recipients are reached by the address on their card, not by an announcement
  }

  async announce(): Promise<void> {
    // Nothing to announce: see announcement().
  }

  /** Sends the file to each recipient's address (`addresses`, from their cards); one message each. */
  async deliver(
    file: string,
    kind: ItemKind,
    deliveryId: string,
    recipients: readonly string[],
    onProgress?: (sentBytes: number) => void,
    addresses: Readonly<Record<string, string>> = {},
  ): Promise<DeliveryReport[]> {
    const mailFile: MailFile = { kind, fileName: `${deliveryId}${ITEM_EXTENSIONS[kind]}`, path: file };
    const smtp = await SmtpSubmission.open(this.account.smtp, this.account.login, this.account.caPem);
    const reports: DeliveryReport[] = [];
    let sentBefore = 0;
    try {
      for (const recipient of recipients) {
        const address = addresses[recipient];
        if (!address) continue; // no address on their card: e-mail cannot reach them
        const envelope = this.envelope([address], deliveryId);
        const size = await messageSize(envelope, mailFile, kind);
        let sent = 0;
        // Counted as the connection reads it (a 'data' listener would start the flow before it does).
        const counted = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            sent += chunk.length;
            onProgress?.(sentBefore + sent);
            done(null, chunk);
          },
        });
        composeMessage(envelope, mailFile, kind).pipe(counted);
        await smtp.send(this.account.address, [address], size, counted);
        sentBefore += size;
        reports.push({ recipient, location: address, resumedFrom: 0 });
      }
    } finally {
      smtp.close();
    }
    return reports;
  }

  /** Sends a message without a package (a health check's test, an invitation) to `to`. */
  async sendMessage(
    kind: 'test' | 'contact',
    to: string,
    deliveryId: string,
    attachment: string | null,
    body?: string,
  ): Promise<void> {
    const envelope = { ...this.envelope([to], deliveryId), ...(body === undefined ? {} : { body }) };
    const file: MailFile | null = attachment
      ? { kind, fileName: `${deliveryId}${ITEM_EXTENSIONS.contact}`, path: attachment }
      : null;
    const smtp = await SmtpSubmission.open(this.account.smtp, this.account.login, this.account.caPem);
    try {
      await smtp.send(
        this.account.address,
        [to],
        await messageSize(envelope, file, kind),
        composeMessage(envelope, file, kind),
      );
    } finally {
      smtp.close();
    }
  }

  /**
   * Sends a test message to the mailbox's own address and waits (up to `timeoutMs`) until it is in the
   * INBOX, then deletes it: both directions work end to end. False when it did not come in time (a
   * late one stays: its subject and body say it is MedSeal's test, and it holds nothing else).
   */
  async roundTrip(timeoutMs: number): Promise<boolean> {
    const deliveryId = randomBytes(16).toString('hex');
    await this.sendMessage('test', this.account.address, deliveryId, null);
    const mailbox = await this.connected();
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const uid of await mailbox.findTest(deliveryId)) if (await mailbox.deleteTest(uid, deliveryId)) return true;
      if (Date.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The largest message the submission server takes, as it announces (null: none announced). */
  async sizeLimit(): Promise<number | null> {
    const smtp = await SmtpSubmission.open(this.account.smtp, this.account.login, this.account.caPem);
    smtp.close();
    return smtp.sizeLimit;
  }

  /** MedSeal attachments waiting in the INBOX (the fingerprint names no folder here: the mailbox is the person's). */
  async waiting(): Promise<WaitingItem[]> {
    const found = await (await this.connected()).attachments();
    return found.map((attachment) => {
      const id = `m${attachment.uidValidity}-${attachment.uid}-${attachment.part}${ITEM_EXTENSIONS[attachment.kind]}`;
      this.seen.set(id, attachment);
      return { id, kind: attachment.kind, size: attachment.size, arrivedAt: attachment.arrivedAt };
    });
  }

  /** Downloads an attachment into `downloads` (private to the profile); a complete earlier download is reused. */
  async fetch(_fingerprint: string, item: WaitingItem, downloads: string): Promise<FetchedItem> {
    const attachment = this.attachmentOf(item);
    await mkdir(downloads, { recursive: true, mode: 0o700 });
    const key = createHash('sha256').update(`${this.location}\0${item.id}`).digest('hex').slice(0, 32);
    const path = join(downloads, `${key}${ITEM_EXTENSIONS[item.kind]}`);
    const release = () => rm(path, { force: true });
    const have = await stat(path).catch((error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return null; // not downloaded yet
      throw toIoError('the downloads folder', error);
    });
    if (have === null) await (await this.connected()).download(attachment, path);
    return { path, release };
  }

  async archive(_fingerprint: string, item: WaitingItem, _opened: FileIdentity | null): Promise<boolean> {
    return (await this.connected()).archive(this.attachmentOf(item));
  }

  /** A message once sent cannot be taken back; the withdrawal notice (sent after this) tells the recipient. */
  async withdraw(_deliveryId: string, _packageHash: string, recipients: readonly string[]): Promise<WithdrawReport[]> {
    return recipients.map((recipient) => ({ recipient, outcome: 'mailed' }));
  }

  async close(): Promise<void> {
    await this.mailbox?.close();
    this.mailbox = null;
  }

  private envelope(to: readonly string[], deliveryId: string): MailEnvelope {
    return { from: { address: this.account.address, name: this.displayName }, to, deliveryId };
  }

  private attachmentOf(item: WaitingItem): MailAttachment {
    const known = this.seen.get(item.id);
    if (known) return known;
    const match = ITEM_ID.exec(item.id);
    if (!match) throw toIoError('the attachment', Object.assign(new Error('not ours'), { code: 'ENOENT' }));
    return {
      uidValidity: match[1]!,
      uid: Number(match[2]),
      part: match[3]!,
      kind: item.kind,
      size: item.size,
      arrivedAt: item.arrivedAt,
    };
  }

  private async connected(): Promise<ImapMailbox> {
    if (this.mailbox?.usable) return this.mailbox;
    this.mailbox = await ImapMailbox.open(this.account.imap, this.account.login, this.account.caPem);
    return this.mailbox;
  }
}
