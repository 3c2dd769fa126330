/**
 * Taking in a receipt from a partner without MedSeal (package/passphrase-receipt.ts):
 * it names a package we sealed for a passphrase, and it verifies with the receipt
 * key we kept for that package when sealing. It is then recorded as that
 * package's passphrase recipient having opened it, "confirmed with the
 * package's key" (never as signed). Anything else is refused and audited like a
 * bad signed receipt, and changes nothing.
 */
import { fingerprintHex } from '../../identity/fingerprint.js';
import { InvalidReceipt, ReceiptRefused } from '../../package/errors.js';
import { openPassphraseReceipt, packageOfPassphraseReceipt } from '../../package/passphrase-receipt.js';
import type { ReceiptBody } from '../../package/receipt.js';
import { passphraseRecipientId } from '../../store/package-passphrase-recipients.js';
import type { UnlockedProfile } from '../../store/unlocked-profile.js';

/** Verifies and records; `alreadyTakenIn` when the same package's opening was recorded before. */
export function takeInPassphraseReceipt(
  profile: UnlockedProfile,
  bytes: Uint8Array,
): { body: ReceiptBody; alreadyTakenIn: boolean } {
  try {
    const packageHash = packageOfPassphraseReceipt(bytes);
    const sent = profile.history.findSent(packageHash);
    if (!sent) throw new ReceiptRefused('unknown-package');
    const key = profile.history.passphraseRecipients.receiptKeyOf(sent.id);
    if (!key) throw new ReceiptRefused('not-a-recipient'); // no passphrase stanza, or sealed before keys were kept
    let receipt;
    try {
      receipt = openPassphraseReceipt(key, bytes);
    } catch (error) {
      if (error instanceof InvalidReceipt && error.problem === 'it was not made with the package key')
        throw new ReceiptRefused('wrong-key');
      throw error;
    } finally {
      key.fill(0);
    }
    const recipient = passphraseRecipientId(packageHash);
    const body: ReceiptBody = {
      package: packageHash,
      sender: fingerprintHex(profile.identity.card.fingerprint),
      recipient,
      outcome: 'opened',
      reason: null,
      at: receipt.at,
    };
    if (profile.deliveries.has(packageHash, recipient, 'opened')) return { body, alreadyTakenIn: true };
    profile.recordReceiptReceived(packageHash, recipient, 'opened', null, receipt.at);
    return { body, alreadyTakenIn: false };
  } catch (error) {
    if (error instanceof InvalidReceipt || error instanceof ReceiptRefused)
      profile.recordReceiptRefused(error instanceof ReceiptRefused ? `${error.code}:${error.reason}` : error.code);
    throw error;
  }
}
