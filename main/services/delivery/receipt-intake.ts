/**
 * Receipts waiting in an inbox, taken in while the inbox is listed: each is
 * read (never a link or a FIFO, never more than a receipt's size), checked
 * by Receipts, and then archived whatever the outcome, so that a refused one
 * is not refused and audited again at every poll.
 */
import { isMedSealError } from '../../errors/medseal-error.js';
import type { Transport, WaitingItem } from '../../exchange/transport.js';
import { NotARegularFileThere, openRegularFile } from '../../fs/open-regular-file.js';
import { identityOf, type FileIdentity } from '../../fs/publish-file.js';
import { InvalidReceipt } from '../../package/errors.js';
import { RECEIPT_MAX_BYTES } from '../../package/receipt.js';
import type { ProfileSession } from '../profile-session.js';
import { ifUnreachable } from './if-unreachable.js';
import type { ReceiptBody } from '../../package/receipt.js';
import type { Receipts } from './receipts.js';
import type { WithdrawalTakenIn } from './withdrawal-notices.js';

/**
 * What became of one waiting receipt: a new answer recorded, the same answer again (it came by two
 * exchanges), refused (not a valid answer to a package we sent; audited), or left for the next poll.
 */
export type ReceiptIntake =
  | { readonly kind: 'taken-in'; readonly body: ReceiptBody }
  | { readonly kind: 'withdrawal'; readonly notice: WithdrawalTakenIn }
  | { readonly kind: 'already-taken-in' | 'refused' | 'later' };

/**
 * What the receipts of one look at the inboxes came to: the new answers, the senders' withdrawal
 * notices, and how many came twice or were refused.
 */
export interface ReceiptTally {
  readonly answers: readonly ReceiptBody[];
  readonly withdrawals: readonly WithdrawalTakenIn[];
  readonly alreadyTakenIn: number;
  readonly refused: number;
}

/** A tally while it is counted. */
interface Counting {
  answers: ReceiptBody[];
  withdrawals: WithdrawalTakenIn[];
  alreadyTakenIn: number;
  refused: number;
}

export function emptyTally(): Counting {
  return { answers: [], withdrawals: [], alreadyTakenIn: 0, refused: 0 };
}

export function count(tally: Counting, intake: ReceiptIntake): void {
  if (intake.kind === 'taken-in') tally.answers.push(intake.body);
  else if (intake.kind === 'withdrawal') tally.withdrawals.push(intake.notice);
  else if (intake.kind === 'already-taken-in') tally.alreadyTakenIn++;
  else if (intake.kind === 'refused') tally.refused++;
}

export async function takeInWaitingReceipt(
  session: ProfileSession,
  receipts: Receipts,
  transport: Transport,
  me: string,
  item: WaitingItem,
  downloads: string,
): Promise<ReceiptIntake> {
  let identity: FileIdentity | null = null;
  let intake: ReceiptIntake;
  try {
    if (item.size > RECEIPT_MAX_BYTES) throw new InvalidReceipt('it is far too large to be a receipt'); // never downloaded
    const fetched = await transport.fetch(me, item, downloads);
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
    const taken = await receipts.takeIn(bytes, transport.name);
    if (taken.kind === 'withdrawal') intake = { kind: 'withdrawal', notice: taken.notice };
    else intake = taken.alreadyTakenIn ? { kind: 'already-taken-in' } : { kind: 'taken-in', body: taken.body };
  } catch (error) {
    if (!isMedSealError(error)) throw error;
    if (error.category === 'io' || error.category === 'cancelled') return { kind: 'later' }; // not read: left for the next poll
    if (error instanceof InvalidReceipt && item.size > RECEIPT_MAX_BYTES)
      session.requireUnlocked().recordReceiptRefused(error.code);
    intake = { kind: 'refused' };
  }
  // Taken in or refused: out of the inbox. Not reachable now: the next poll meets it again.
  await transport.archive(me, item, identity).catch(ifUnreachable(false));
  return intake;
}
