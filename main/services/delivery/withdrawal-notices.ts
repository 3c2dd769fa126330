/**
 * The recipient's side of a withdrawal: a signed notice in our inbox that a
 * package's sender took it back from there (package/withdrawal-notice.ts).
 * It arrives as a receipt does, and Receipts.takeIn hands it here by its
 * magic. It is believed only when its sender is one of our contacts and
 * their key signed it for us; then our audit log records
 * `package.withdrawn-by-sender`, saying whether we had opened that package
 * before (then the files we saved stay ours: it was not taken back from us).
 * A notice that is not believed is refused and audited as a refused receipt.
 */
import { fingerprintHex } from '../../identity/fingerprint.js';
import { WithdrawalNoticeRefused } from '../../package/errors.js';
import {
  decryptWithdrawalNotice,
  verifyWithdrawalNotice,
  type WithdrawalBody,
} from '../../package/withdrawal-notice.js';
import type { ProfileSession } from '../profile-session.js';

/** How many notices are remembered (a withdrawn package's notice is not put back years later). */
const MAX_SEEN = 2000;

/** A notice taken in: what it said, as `outcome: 'withdrawn'` beside a receipt's opened / refused. */
export type WithdrawalTakenIn = WithdrawalBody & { readonly outcome: 'withdrawn' };

export async function takeInWithdrawalNotice(session: ProfileSession, bytes: Uint8Array): Promise<WithdrawalTakenIn> {
  const profile = session.requireUnlocked();
  try {
    const { body, json, signature } = decryptWithdrawalNotice(profile.identity, bytes);
    const sender = (await profile.contacts.list()).find(
      (contact) => fingerprintHex(contact.card.fingerprint) === body.sender,
    );
    if (!sender) throw new WithdrawalNoticeRefused('unknown-sender');
    if (!verifyWithdrawalNotice(sender.card, profile.identity.card.encryptionKey, json, signature))
      throw new WithdrawalNoticeRefused('forged');
    // A contact may take back only what they sent: not a package another sender's we opened.
    const from = profile.history.senderOf(body.package);
    if (from !== null && from !== body.sender) throw new WithdrawalNoticeRefused('forged');
    // Archives can be read by others on the exchange: a notice put back again is recorded once.
    const settings = (await session.openStore()).settings;
    const seen = settings.get('withdrawalsSeen') ?? [];
    const key = `${body.package}:${body.sender}`;
    if (!seen.includes(key)) {
      profile.recordWithdrawalNoticed(body.sender, from !== null);
      settings.set('withdrawalsSeen', [...seen, key].slice(-MAX_SEEN));
    }
    return { ...body, outcome: 'withdrawn' };
  } catch (error) {
    if (error instanceof WithdrawalNoticeRefused) profile.recordReceiptRefused(`${error.code}:${error.reason}`);
    throw error;
  }
}
