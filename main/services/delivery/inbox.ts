/**
 * The inbox across every exchange: what waits for this identity, with its
 * sender and their trust (header only: packages are downloaded into a
 * private folder of the profile, then previewed like any other package),
 * opening one with the same checks as `open`, archiving it afterwards, and
 * answering with a receipt. A package delivered through several exchanges
 * is one entry (by its header hash) that names where it waits; once opened,
 * every copy is archived. Receipts waiting in the inbox are taken in.
 */
import { ifUnreachable } from './if-unreachable.js';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { isMedSealError, type MedSealError } from '../../errors/medseal-error.js';
import { closeAll, type Transport, type WaitingItem } from '../../exchange/transport.js';
import type { FileIdentity } from '../../fs/publish-file.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { identifyPackage } from '../../package/inspect.js';
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
import { count, emptyTally, takeInWaitingReceipt, type ReceiptTally } from './receipt-intake.js';

export interface InboxPackage {
  /** Short and stable: what `medseal inbox open ID` takes (the start of the package's header hash). */
  readonly id: string;
  /** The exchanges it waits in, by name: one, or several when the sender delivered it through each. */
  readonly exchanges: readonly string[];
  /** Where it can be read locally (on the share, or its private download). */
  readonly path: string;
  readonly size: number;
  /** When the first copy arrived. */
  readonly arrivedAt: string;
  /** The verified header, or null when the package could not be read (then `problem` says why). */
  readonly preview: PackagePreview | null;
  readonly problem: MedSealError | null;
}

/** What became of the receipt for a package taken from the inbox: delivered, waiting in the outbox, or none (not for this sender, receipts off, or no verdict). */
export type ReceiptFate = 'sent' | 'queued' | 'none';

export interface InboxListing {
  readonly packages: readonly InboxPackage[];
  readonly receipts: ReceiptTally;
  readonly problems: readonly { readonly exchange: string; readonly error: Error }[];
  /** Contact cards that came by e-mail, waiting to be imported (Invitations.offers). */
  readonly cardsOffered: number;
}

/** One copy of a waiting package: its exchange, its item there, where it is read, and the very file read. */
interface PackageCopy {
  readonly transport: Transport;
  readonly item: WaitingItem;
  readonly path: string;
  readonly file: FileIdentity;
  readonly hash: string;
}

/** How long an inbox id is: enough to tell apart what one person has waiting, short enough to type. */
const ID_LENGTH = 10;

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
    return join(this.session.folder.path, 'downloads');
  }

  /** Looks at every exchange: takes in receipts, lists packages (one entry per package) with their previews. */
  async list(): Promise<InboxListing> {
    const packages: InboxPackage[] = [];
    const byHash = new Map<string, number>();
    const problems: { exchange: string; error: Error }[] = [];
    const receipts = emptyTally();
    let cardsOffered = 0;
    // Receipts an earlier attempt could not deliver; a failure is listed like an exchange's.
    await this.delivery.retryReceipts().catch((error: unknown) => {
      if (!isMedSealError(error)) throw error;
      problems.push({ exchange: 'receipts waiting to be sent', error });
    });
    await this.eachTransport(problems, async (transport) => {
      await announceSelf(transport, this.session.requireUnlocked().identity);
      for (const item of await transport.waiting(this.me)) {
        if (item.kind === 'contact') {
          cardsOffered++; // a card by e-mail: offered in Contacts (invitations.ts), not a package
          continue;
        }
        if (item.kind === 'receipt') {
          count(
            receipts,
            await takeInWaitingReceipt(this.session, this.receipts, transport, this.me, item, this.downloadsFolder),
          );
          continue;
        }
        const copy = await this.read(transport, item);
        if (!('hash' in copy)) {
          packages.push(copy);
          continue;
        }
        const known = byHash.get(copy.hash);
        if (known !== undefined) {
          packages[known] = withCopy(packages[known]!, transport.name, item.arrivedAt);
          continue;
        }
        byHash.set(copy.hash, packages.length);
        packages.push(await this.entryFor(copy));
      }
    });
    return { packages, receipts, problems, cardsOffered };
  }

  /**
   * Opens one waiting package into `folder` (same checks and consent as a file), then settles it:
   * every copy archived on its exchange, and the sender sent a receipt (a refusal is answered too).
   */
  async open(
    id: string,
    folder: string,
    consent: OpenConsent,
    hooks: JobProgressHooks = {},
    options: { keepBoth?: boolean } = {},
  ): Promise<{ preview: PackagePreview; job: RunningJob<OpenJobResult & { receipt: ReceiptFate }> }> {
    const { copies, close } = await this.find(
      (copy) => (id.length === ID_LENGTH && copy.hash.startsWith(id)) || itemId(copy) === id,
      id,
    );
    let preview: PackagePreview;
    let started: RunningJob<OpenJobResult>;
    try {
      preview = await this.receive.preview(copies[0]!.path);
      started = await this.receive.start(preview, folder, consent, hooks, options).catch(async (error: unknown) => {
        await this.settle(preview, error, null);
        throw error;
      });
    } finally {
      await close();
    }
    let current = started;
    // A copy whose chunks are damaged may be a plant with the real header (anyone may drop a file
    // into an inbox): the next copy of the same package is tried, and the sender hears "refused"
    // only when every copy failed.
    const run = async (index: number): Promise<OpenJobResult> => {
      try {
        return await current.done;
      } catch (error) {
        const next = copies[index + 1];
        if (!next || !isMedSealError(error) || error.category !== 'damaged-package') throw error;
        this.unreadable.set(copyKey(this.me, copies[index]!), error);
        current = await this.receive.start(await this.receive.preview(next.path), folder, consent, hooks, options);
        return run(index + 1);
      }
    };
    const done = run(0).then(
      async (result) => ({ ...result, receipt: await this.settle(preview, null, result.packageFile) }),
      async (error: unknown) => {
        await this.settle(preview, error, null);
        throw error;
      },
    );
    return { preview, job: { done, cancel: () => current.cancel() } };
  }

  /**
   * After a waiting package was opened (`error` null; `opened` pins the verified file) or refused:
   * archives every copy of an opened one, answers the sender with a receipt, and drops the private
   * downloads; says what became of the receipt.
   */
  async settle(preview: PackagePreview, error: unknown, opened: FileIdentity | null): Promise<ReceiptFate> {
    if (isMedSealError(error) && error.category === 'damaged-package' && (await this.otherCopyWaits(preview, error)))
      return 'none'; // this copy may be a plant: another copy of the package waits, and is listed in its place
    if (error === null) {
      const found = await this.find((copy) => copy.hash === preview.packageHash).catch((error: unknown) => {
        // Gone from every inbox (another of our processes archived it), or not reachable now (archived
        // at the next open): the receipt is still answered below.
        if (error instanceof UnknownInboxItem) return null;
        return ifUnreachable(null)(error);
      });
      try {
        for (const copy of found?.copies ?? []) {
          const file = copy.path === preview.path && opened ? opened : copy.file;
          await copy.transport.archive(this.me, copy.item, file).catch(ifUnreachable(false));
          if (dirname(copy.path) === this.downloadsFolder) await rm(copy.path, { force: true }); // a private download, no longer needed
        }
      } finally {
        await found?.close();
      }
    }
    return this.answer(preview, error);
  }

  /**
   * Whether another readable copy of `preview`'s package waits; if so, the copy that failed (at
   * `preview.path`) is set aside as unreadable, so that the next look lists the other in its place.
   */
  private async otherCopyWaits(preview: PackagePreview, error: MedSealError): Promise<boolean> {
    const found = await this.find((copy) => copy.hash === preview.packageHash).catch((failure: unknown) => {
      if (failure instanceof UnknownInboxItem) return null; // no copy left at all
      return ifUnreachable(null)(failure);
    });
    if (!found) return false;
    await found.close();
    const failed = found.copies.find((copy) => copy.path === preview.path);
    if (!failed || found.copies.length < 2) return false;
    this.unreadable.set(copyKey(this.me, failed), error);
    return true;
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

  /** A waiting package made readable, with its header hash; or the entry that says why it cannot be read. */
  private async read(transport: Transport, item: WaitingItem): Promise<PackageCopy | InboxPackage> {
    const seen = copyKey(this.me, { transport, item });
    let path = '';
    try {
      path = (await transport.fetch(this.me, item, this.downloadsFolder)).path;
      const known = this.unreadable.get(seen);
      if (known) throw known;
      return { transport, item, path, ...(await identifyPackage(path)) };
    } catch (error) {
      if (!isMedSealError(error)) throw error;
      if (error.category === 'damaged-package' || error.category === 'not-a-recipient')
        this.unreadable.set(seen, error);
      // One bad item does not hide the others.
      return unreadableEntry(itemId({ transport, item }), transport.name, path, item, error);
    }
  }

  /** The entry of a package's first copy: previewed (sender, trust), or with why it cannot be. */
  private async entryFor(copy: PackageCopy): Promise<InboxPackage> {
    const id = copy.hash.slice(0, ID_LENGTH);
    const seen = `${this.me}\0${copy.hash}`;
    try {
      const known = this.unreadable.get(seen);
      if (known) throw known;
      const preview = await this.receive.preview(copy.path, { auditRefusal: false });
      return { ...unreadableEntry(id, copy.transport.name, copy.path, copy.item, null), preview };
    } catch (error) {
      if (!isMedSealError(error)) throw error;
      if (error.category === 'damaged-package' || error.category === 'not-a-recipient')
        this.unreadable.set(seen, error);
      return unreadableEntry(id, copy.transport.name, copy.path, copy.item, error);
    }
  }

  /**
   * Every readable copy, in every exchange, that `wanted` picks. UnknownInboxItem when none does (or
   * copies of two packages do); the reason it cannot be read when `id` names an unreadable one.
   */
  private async find(
    wanted: (copy: PackageCopy) => boolean,
    id?: string,
  ): Promise<{ copies: PackageCopy[]; close: () => Promise<void> }> {
    const transports = await this.exchanges.open();
    const close = () => closeAll(transports);
    const copies: PackageCopy[] = [];
    let unreadable: MedSealError | null = null;
    try {
      for (const transport of transports) {
        for (const item of await transport.waiting(this.me).catch(ifUnreachable([]))) {
          if (item.kind !== 'package') continue;
          const copy = await this.read(transport, item);
          if (!('hash' in copy)) unreadable = copy.id === id ? copy.problem : unreadable;
          else if (wanted(copy)) copies.push(copy);
        }
      }
      if (copies.length === 0 && unreadable) throw unreadable;
      if (copies.length === 0 || new Set(copies.map((copy) => copy.hash)).size > 1) throw new UnknownInboxItem();
    } catch (error) {
      await close();
      throw error;
    }
    return { copies, close };
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
      await closeAll(transports);
    }
  }
}

/** What remembers a copy that could not be read: the exchange, name, size and arrival time of the file. */
function copyKey(me: string, { transport, item }: { transport: Transport; item: WaitingItem }): string {
  return `${me}\0${transport.name}\0${item.id}\0${item.size}\0${item.arrivedAt}`;
}

/** The id of a copy that cannot be read (so has no header hash): from its exchange and name. */
function itemId({ transport, item }: { transport: Transport; item: WaitingItem }): string {
  return createHash('sha256').update(`${transport.name}\0${item.id}`).digest('hex').slice(0, ID_LENGTH);
}

function unreadableEntry(
  id: string,
  exchange: string,
  path: string,
  item: WaitingItem,
  problem: MedSealError | null,
): InboxPackage {
  return { id, exchanges: [exchange], path, size: item.size, arrivedAt: item.arrivedAt, preview: null, problem };
}

/** The entry with one more copy: the exchange named once, the earliest arrival kept. */
function withCopy(entry: InboxPackage, exchange: string, arrivedAt: string): InboxPackage {
  return {
    ...entry,
    exchanges: entry.exchanges.includes(exchange) ? entry.exchanges : [...entry.exchanges, exchange],
    arrivedAt: arrivedAt < entry.arrivedAt ? arrivedAt : entry.arrivedAt,
  };
}
