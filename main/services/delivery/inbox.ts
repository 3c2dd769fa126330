/**
 * The inbox across every exchange: what waits for this identity, with its
 * sender and their trust (header only: packages are downloaded into a
 * private folder of the profile, then previewed like any other package),
 * opening one with the same checks as `open`, archiving it afterwards, and
 * answering with a receipt. Receipts waiting in the inbox are taken in.
 */
import { ifUnreachable } from './if-unreachable.js';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { isMedSealError, type MedSealError } from '../../errors/medseal-error.js';
import type { Transport, WaitingItem } from '../../exchange/transport.js';
import { identityOf, type FileIdentity } from '../../fs/publish-file.js';
import { InvalidReceipt } from '../../package/errors.js';
import { RECEIPT_MAX_BYTES } from '../../package/receipt.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { rm } from 'node:fs/promises';
import type { OpenJobResult, RunningJob } from '../package-runner.js';
import type { ProfileSession } from '../profile-session.js';
import type { PackagePreview, ReceiveService } from '../receive.js';
import type { OpenConsent } from '../sender-decision.js';
import type { JobProgressHooks } from '../send.js';
import { announceSelf } from './announce.js';
import type { DeliveryService } from './delivery.js';
import type { Exchanges } from './exchanges.js';
import type { Receipts } from './receipts.js';
import { UnknownInboxItem } from './errors.js';
import { AlreadyOpened } from '../errors.js';
import { NotARegularFileThere, openRegularFile } from '../../fs/open-regular-file.js';

export interface InboxPackage {
  /** Short and stable: what `medseal inbox open ID` takes. */
  readonly id: string;
  readonly exchange: string;
  /** Where it can be read locally (on the share, or its private download). */
  readonly path: string;
  readonly size: number;
  readonly arrivedAt: string;
  /** The verified header, or null when the package could not be read (then `problem` says why). */
  readonly preview: PackagePreview | null;
  readonly problem: MedSealError | null;
}

/** What became of the receipt for a package taken from the inbox: delivered, waiting in the outbox, or none (not for this sender, receipts off, or no verdict). */
export type ReceiptFate = 'sent' | 'queued' | 'none';

export interface InboxListing {
  readonly packages: readonly InboxPackage[];
  readonly receipts: { readonly accepted: number; readonly refused: number };
  readonly problems: readonly { readonly exchange: string; readonly error: Error }[];
}

export class InboxService {
  /**
   * Why a waiting file could not be read, by exchange, name, size and arrival time: such a file is
   * checked once, not at every poll (a planted file with a thousand post-quantum stanzas costs
   * seconds to refuse). Only refusals are kept; a readable package is previewed afresh each time,
   * since its sender's trust may change.
   */
  private readonly unreadable = new Map<string, MedSealError>();

  constructor(
    private readonly session: ProfileSession,
    private readonly exchanges: Exchanges,
    private readonly receive: ReceiveService,
    private readonly delivery: DeliveryService,
    private readonly receipts: Receipts,
  ) {}

  private get me(): string {
    return fingerprintHex(this.session.requireUnlocked().identity.card.fingerprint);
  }

  /** Where packages fetched from SFTP exchanges wait: private to the profile. */
  get downloadsFolder(): string {
    return this.downloads;
  }

  private get downloads(): string {
    return join(this.session.folder.path, 'downloads');
  }

  /** Looks at every exchange: takes in receipts, lists packages with their previews. */
  async list(): Promise<InboxListing> {
    const packages: InboxPackage[] = [];
    const problems: { exchange: string; error: Error }[] = [];
    const receipts = { accepted: 0, refused: 0 };
    // Receipts an earlier attempt could not deliver; a failure is listed like an exchange's.
    await this.delivery.retryReceipts().catch((error: unknown) => {
      if (!isMedSealError(error)) throw error;
      problems.push({ exchange: 'receipts waiting to be sent', error });
    });
    await this.eachTransport(problems, async (transport) => {
      await announceSelf(transport, this.session.requireUnlocked().identity);
      for (const item of await transport.waiting(this.me)) {
        if (item.kind === 'receipt') {
          if (await this.takeInReceipt(transport, item)) receipts.accepted++;
          else receipts.refused++;
          continue;
        }
        const id = itemId(transport.name, item);
        const seen = `${this.me}\0${id}\0${item.size}\0${item.arrivedAt}`;
        let path = '';
        try {
          path = (await transport.fetch(this.me, item, this.downloads)).path;
          const known = this.unreadable.get(seen);
          if (known) throw known;
          packages.push({
            id,
            exchange: transport.name,
            path,
            size: item.size,
            arrivedAt: item.arrivedAt,
            preview: await this.receive.preview(path, { auditRefusal: false }),
            problem: null,
          });
        } catch (error) {
          if (!isMedSealError(error)) throw error;
          if (error.category === 'damaged-package' || error.category === 'not-a-recipient')
            this.unreadable.set(seen, error);
          packages.push({
            id,
            exchange: transport.name,
            path,
            size: item.size,
            arrivedAt: item.arrivedAt,
            preview: null,
            problem: error,
          }); // one bad item does not hide the others
        }
      }
    });
    return { packages, receipts, problems };
  }

  /**
   * Opens one waiting package into `folder` (same checks and consent as a file), then settles it:
   * archived on its exchange, and the sender sent a receipt (a refusal is answered too).
   */
  async open(
    id: string,
    folder: string,
    consent: OpenConsent,
    hooks: JobProgressHooks = {},
    options: { keepBoth?: boolean } = {},
  ): Promise<{ preview: PackagePreview; job: RunningJob<OpenJobResult & { receipt: ReceiptFate }> }> {
    const { transport, item, close } = await this.find(id);
    let preview: PackagePreview;
    let started: RunningJob<OpenJobResult>;
    try {
      const fetched = await transport.fetch(this.me, item, this.downloads);
      preview = await this.receive.preview(fetched.path);
      started = await this.receive.start(preview, folder, consent, hooks, options).catch(async (error: unknown) => {
        await this.settle(id, preview, error, null);
        throw error;
      });
    } finally {
      await close();
    }
    const done = started.done.then(
      async (result) => ({ ...result, receipt: await this.settle(id, preview, null, result.packageFile) }),
      async (error: unknown) => {
        await this.settle(id, preview, error, null);
        throw error;
      },
    );
    return { preview, job: { done, cancel: () => started.cancel() } };
  }

  /**
   * After a waiting package was opened (`error` null; `opened` pins the verified file) or refused:
   * archives an opened one, answers the sender with a receipt, and drops its download; says what
   * became of the receipt.
   */
  async settle(id: string, preview: PackagePreview, error: unknown, opened: FileIdentity | null): Promise<ReceiptFate> {
    const found = await this.find(id).catch((error: unknown) => {
      // Gone from the inbox (another copy was settled, or another of our processes archived it), or
      // not reachable now (settled at the next open): the receipt is still answered below.
      if (error instanceof UnknownInboxItem) return null;
      return ifUnreachable(null)(error);
    });
    try {
      if (found && error === null) {
        await found.transport.archive(this.me, found.item, opened);
        if (dirname(preview.path) === this.downloads) await rm(preview.path, { force: true }); // a private download, no longer needed
      }
      return await this.answer(preview, error);
    } finally {
      await found?.close();
    }
  }

  private async find(id: string): Promise<{ transport: Transport; item: WaitingItem; close: () => Promise<void> }> {
    const transports = await this.exchanges.open();
    const close = async () => {
      await Promise.all(
        transports.map((transport) =>
          transport.close().catch(() => {
            // Closing a connection that already failed: its failure was told where it happened.
          }),
        ),
      );
    };
    const found = await findItem(transports, this.me, id).catch(ifUnreachable(null));
    if (!found) {
      await close();
      throw new UnknownInboxItem();
    }
    return { ...found, close };
  }

  /** A receipt for the sender of `preview` (opened, or refused with the error's code) through the exchanges, or waiting in the outbox for one. */
  async answer(preview: PackagePreview, error: unknown): Promise<ReceiptFate> {
    if (!this.receipts.mayAnswer(preview.trust.kind)) return 'none';
    if (preview.openedBefore !== null || error instanceof AlreadyOpened) return 'none'; // the sender was answered the first time

    if (error !== null && !this.receipts.isRefusal(error)) return 'none';
    const outcome = error === null ? 'opened' : 'refused';
    const receipt = this.receipts.make(
      preview.sender,
      preview.packageHash,
      outcome,
      isMedSealError(error) ? error.code : null,
    );
    const sent = await this.delivery
      .deliverReceipt(receipt, preview.senderFingerprint, outcome)
      .catch(ifUnreachable(false)); // kept in the receipt outbox and sent by a later poll; audited when it goes
    return sent ? 'sent' : 'queued';
  }

  /**
   * Takes in one receipt from an inbox, then archives it whatever the outcome (the very file that was
   * read, on a share), so that a refused one is not refused and audited again at every poll.
   */
  private async takeInReceipt(transport: Transport, item: WaitingItem): Promise<boolean> {
    let identity: FileIdentity | null = null;
    let accepted = false;
    try {
      if (item.size > RECEIPT_MAX_BYTES) throw new InvalidReceipt('it is far too large to be a receipt'); // never downloaded
      const fetched = await transport.fetch(this.me, item, this.downloads);
      // Never a link, and never a FIFO someone swapped in (a read would wait for ever).
      const handle = await openRegularFile(fetched.path).catch((error: unknown) => {
        throw error instanceof NotARegularFileThere ? new InvalidReceipt('it is not a plain file') : error;
      });
      let bytes: Buffer;
      try {
        identity = await identityOf(handle);
        bytes = Buffer.alloc(RECEIPT_MAX_BYTES + 1); // what a share's file holds beyond that is never read
        bytes = bytes.subarray(0, (await handle.read(bytes, 0, bytes.length, 0)).bytesRead);
      } finally {
        await handle.close();
        if (transport.kind !== 'folder') await fetched.release();
      }
      await this.receipts.takeIn(bytes, transport.name);
      accepted = true;
    } catch (error) {
      if (!isMedSealError(error)) throw error;
      if (error.category === 'io' || error.category === 'cancelled') return false; // not read: left for the next poll
      if (error instanceof InvalidReceipt && item.size > RECEIPT_MAX_BYTES)
        this.session.requireUnlocked().recordReceiptRefused(error.code);
    }
    // Taken in or refused: out of the inbox. Not reachable now: the next poll meets it again.
    await transport.archive(this.me, item, identity).catch(ifUnreachable(false));
    return accepted;
  }

  private async eachTransport(
    problems: { exchange: string; error: Error }[],
    work: (transport: Transport) => Promise<void>,
  ): Promise<void> {
    const transports = await this.exchanges.open();
    try {
      for (const transport of transports) {
        try {
          await work(transport);
        } catch (error) {
          problems.push({ exchange: transport.name, error: error instanceof Error ? error : new Error(String(error)) });
        }
      }
    } finally {
      await Promise.all(transports.map((transport) => transport.close().catch(() => undefined)));
    }
  }
}

function itemId(exchange: string, item: WaitingItem): string {
  return createHash('sha256').update(`${exchange}\0${item.id}`).digest('hex').slice(0, 10);
}

async function findItem(
  transports: readonly Transport[],
  me: string,
  id: string,
): Promise<{ transport: Transport; item: WaitingItem } | null> {
  for (const transport of transports) {
    for (const item of await transport.waiting(me).catch(ifUnreachable([])))
      if (item.kind === 'package' && itemId(transport.name, item) === id) return { transport, item };
  }
  return null;
}
