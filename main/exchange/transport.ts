/**
 * What every way of moving packages between clinicians offers (docs/ARCHITECTURE.md,
 * "Delivery"): a shared folder and an SFTP server keep the same layout,
 *
 *   <root>/inboxes/<fingerprint>/            packages (.medseal) and receipts (.medseal-receipt)
 *   <root>/inboxes/<fingerprint>/archive/    what was already taken in
 *
 * deliver without ever replacing a file (temp name, then a rename that fails
 * on an existing name), and can be asked again after an interruption: a
 * delivery is named by its id, so a second attempt resumes or finds it done.
 */
import type { FileIdentity } from '../fs/publish-file.js';
import type { ExchangeBinding, FoundAnnouncement } from './inbox-announcement.js';

export type TransportKind = 'folder' | 'sftp' | 'email';
/** What waits in an inbox: packages and receipts on every exchange; contact cards (invitations) by e-mail only. */
export type ItemKind = 'package' | 'receipt' | 'contact';

export const ITEM_EXTENSIONS: Readonly<Record<ItemKind, string>> = {
  package: '.medseal',
  receipt: '.medseal-receipt',
  contact: '.medseal-contact',
};

/** Something waiting in an inbox. `id` is the transport's handle for it (a file name, never patient information). */
export interface WaitingItem {
  readonly id: string;
  readonly kind: ItemKind;
  readonly size: number;
  readonly arrivedAt: string;
}

export interface DeliveryReport {
  readonly recipient: string;
  /** Where it now is, for the person (folder path or sftp://host/…); never contains patient information. */
  readonly location: string;
  /** Bytes already on the server from an earlier, interrupted attempt. */
  readonly resumedFrom: number;
}

/**
 * What became of one recipient's copy of a package its sender took back: removed from the inbox
 * (`withdrawn`); already in the recipient's archive (`picked-up`: taken in, it cannot be taken
 * back); a file under its name that is not provably ours, left alone (`left`: another account's,
 * a link, or an inbox others may change; the package may still be there); or nothing of ours
 * there (`not-found`: never delivered here, or already withdrawn); or sent by e-mail (`mailed`: a
 * message cannot be taken back; the withdrawal notice tells the recipient).
 */
export type WithdrawOutcome = 'withdrawn' | 'picked-up' | 'left' | 'not-found' | 'mailed';

export interface WithdrawReport {
  readonly recipient: string;
  readonly outcome: WithdrawOutcome;
}

/** A waiting item made readable locally: the file itself on a share, a private downloaded copy for SFTP. */
export interface FetchedItem {
  readonly path: string;
  /** Removes a downloaded copy (no-op for a file on a share). */
  release(): Promise<void>;
}

export interface Transport {
  /** The name the person and IT use for it (`medseal exchange list`). */
  readonly name: string;
  readonly kind: TransportKind;
  /** Where it is, as shown: a folder path or sftp://user@host/path. */
  readonly location: string;

  /**
   * What this exchange is, as announcements name it (inbox-announcement.ts): the pinned host key of
   * an SFTP server, or the id kept in a shared folder (made now when `create` and there is none).
   * Null when a folder has no id yet.
   */
  binding(create: boolean): Promise<ExchangeBinding | null>;
  /**
   * Makes this fingerprint's inbox when it is missing, as this account's (mode 1733), and returns
   * this account's user id on the exchange (null where there are none: Windows shares). An inbox
   * folder that another account made first is refused: InboxTakenByOtherAccount.
   */
  claimInbox(fingerprint: string): Promise<number | null>;
  /** Whether this fingerprint has an inbox here (nothing is made; `medseal doctor` and "Test connection" ask). */
  hasInbox(fingerprint: string): Promise<boolean>;
  /** The inbox announcement of this fingerprint (inbox-announcement.ts) with the inbox folder's owner, or null when it has none here. */
  announcement(fingerprint: string): Promise<FoundAnnouncement | null>;
  /**
   * Puts this announcement into this fingerprint's inbox, claimed first (each MedSeal does it for
   * its own, so others can reach it), replacing the one there.
   */
  announce(fingerprint: string, announcement: Uint8Array): Promise<void>;
  /**
   * Delivers one file into each recipient's inbox under `deliveryId` (hex); resumes an interrupted
   * attempt. E-mail sends it to each recipient's address in `addresses` (from their card) instead.
   */
  deliver(
    file: string,
    kind: ItemKind,
    deliveryId: string,
    recipients: readonly string[],
    onProgress?: (sentBytes: number) => void,
    addresses?: Readonly<Record<string, string>>,
  ): Promise<DeliveryReport[]>;
  /** What waits in this fingerprint's inbox, oldest first. */
  waiting(fingerprint: string): Promise<WaitingItem[]>;
  /** Makes a waiting item readable at a local path (downloads go into `downloads`, a private folder). */
  fetch(fingerprint: string, item: WaitingItem, downloads: string): Promise<FetchedItem>;
  /**
   * Takes back the package delivered under `deliveryId` (`packageHash`: its header hash) from each
   * recipient's inbox: only files provably this account's own, never through a link, never another
   * account's file of the same name; one already in the recipient's archive is reported picked up.
   */
  withdraw(deliveryId: string, packageHash: string, recipients: readonly string[]): Promise<WithdrawReport[]>;
  /** Moves a taken-in item to the archive; `opened` pins the exact file on a share. False when it was not (gone or swapped). */
  archive(fingerprint: string, item: WaitingItem, opened: FileIdentity | null): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Closes every transport a piece of work opened. A connection that fails to close had already
 * failed, and that failure was told where it happened; closing never hides the work's own result.
 */
export async function closeAll(transports: readonly Transport[]): Promise<void> {
  await Promise.all(
    transports.map((transport) =>
      transport.close().catch(() => {
        // Already failed: told where it failed (see above).
      }),
    ),
  );
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
const DELIVERY_ID = /^[0-9a-f]{16,64}$/;

/** Inboxes are named by fingerprint and deliveries by hex id: nothing else may become a path. */
export function assertInboxName(fingerprint: string): void {
  if (!FINGERPRINT.test(fingerprint)) throw new Error('inbox names are fingerprints');
}

export function assertDeliveryId(id: string): void {
  if (!DELIVERY_ID.test(id)) throw new Error('delivery ids are hex');
}

/** Names tried for one delivery: `<id><ext>`, then `<id>-2<ext>` … when someone else's file holds the name. */
export const DELIVERY_NAMES = 5;

/** The file name of a delivery's `attempt`-th candidate name (0 = its own). */
export function deliveryName(deliveryId: string, kind: ItemKind, attempt: number): string {
  return `${deliveryId}${attempt === 0 ? '' : `-${attempt + 1}`}${ITEM_EXTENSIONS[kind]}`;
}

/** The kind of a file in an inbox by its name; null for anything else (temp files, strangers' files). */
export function itemKindOf(name: string): ItemKind | null {
  if (name.startsWith('.')) return null;
  if (name.endsWith(ITEM_EXTENSIONS.receipt)) return 'receipt';
  if (name.endsWith(ITEM_EXTENSIONS.package)) return 'package';
  return null;
}
