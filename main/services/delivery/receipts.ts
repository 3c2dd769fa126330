/**
 * Receipts, both ways: after a package was opened or refused, the reader's
 * MedSeal makes a signed receipt for its sender (policy `sendReceipts`,
 * default on); the sender's MedSeal takes receipts in only when they are
 * for a package it sent, from one of that package's recipients, signed by
 * that recipient's key — anything else is refused, audited as refused, and
 * changes nothing else. The same answer again (a second copy that came
 * through another exchange) is recognised as already taken in. Receipts
 * carry directory heads as packages do (gossip, directory-gossip.ts).
 */
import type { ContactCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { InvalidReceipt, ReceiptRefused } from '../../package/errors.js';
import {
  createReceipt,
  decryptReceipt,
  verifyReceiptSignature,
  type ReceiptBody,
  type ReceiptOutcome,
} from '../../package/receipt.js';
import { isMedSealError, type ErrorCategory } from '../../errors/medseal-error.js';
import type { ProfileSession } from '../profile-session.js';
import type { SenderTrust } from '../../contacts/contact-record.js';
import { ManagedSetting } from '../policy-gate.js';
import { checkGossip, ownDirectoryHead } from '../directory-gossip.js';
import { ReceiptNotAllowed } from './errors.js';
import { isWithdrawalNotice } from '../../package/withdrawal-notice.js';
import { isPassphraseReceipt } from '../../package/passphrase-receipt.js';
import { takeInPassphraseReceipt } from './passphrase-receipts.js';
import { takeInWithdrawalNotice, type WithdrawalTakenIn } from './withdrawal-notices.js';

/** Trust kinds whose sender gets a receipt: contacts whose keys are theirs. */
const ANSWERED: ReadonlySet<SenderTrust['kind']> = new Set([
  'verified',
  'org-verified',
  'partner-vouched',
  'unverified',
]);

/** The failures that say something about the package or its sender. */
const REFUSAL_CATEGORIES: ReadonlySet<ErrorCategory> = new Set([
  'damaged-package',
  'not-a-recipient',
  'untrusted-party',
]);

/**
 * What passed every check: a receipt (`alreadyTakenIn` when the same answer was recorded before: it
 * came twice), or a sender's notice that they withdrew a package from our inbox.
 */
export type TakenIn =
  | {
      readonly kind: 'receipt';
      readonly body: ReceiptBody;
      readonly alreadyTakenIn: boolean;
      /** How the answer was proven: a recipient's signature, or the key of a package passphrase. */
      readonly confirmedBy: 'signature' | 'package-key';
    }
  | { readonly kind: 'withdrawal'; readonly notice: WithdrawalTakenIn };

export class Receipts {
  constructor(private readonly session: ProfileSession) {}

  get enabled(): boolean {
    return this.session.policy.effective.sendReceipts;
  }

  /**
   * Whether a sender of this trust may get a receipt: receipts are on, and the sender is a contact
   * whose keys signed the package. An unknown sender or a possible impersonator learns nothing.
   */
  mayAnswer(trust: SenderTrust['kind']): boolean {
    return this.enabled && ANSWERED.has(trust);
  }

  /**
   * Whether a failed open is worth a refused receipt: only a verdict on the package itself (damaged,
   * not for this reader, an untrusted sender). A problem on this side (a name taken in the folder,
   * a cancelled dialog, a full disk, a bug) tells the sender nothing.
   */
  isRefusal(error: unknown): boolean {
    return isMedSealError(error) && REFUSAL_CATEGORIES.has(error.category);
  }

  /** Throws the plain reason when no receipt may be written for this sender (`open --receipt-out`). */
  assertMayAnswer(trust: SenderTrust['kind']): void {
    if (!this.enabled) throw new ManagedSetting({}, { variant: 'receipts-off' });
    if (!ANSWERED.has(trust)) throw new ReceiptNotAllowed();
  }

  /** A receipt for `sender` about the package `packageHash`. */
  make(
    sender: ContactCard,
    packageHash: string,
    outcome: ReceiptOutcome,
    reason: string | null,
    at = new Date(),
  ): Buffer {
    const profile = this.session.requireUnlocked();
    const directoryHead = ownDirectoryHead(this.session); // gossip (FORMAT.md §11), as packages carry it
    return createReceipt(profile.identity, sender, {
      package: packageHash,
      outcome,
      reason: outcome === 'opened' ? null : reason,
      at: at.toISOString(),
      ...(directoryHead ? { directoryHead } : {}),
    });
  }

  /**
   * Verifies and records a receipt (`alreadyTakenIn` when this recipient's same answer was recorded
   * before: nothing changes); throws InvalidReceipt or ReceiptRefused (audited) otherwise. A
   * withdrawal notice, which travels as a receipt does, is told apart by its magic and taken in by
   * withdrawal-notices.ts; so is a passphrase reader's receipt (passphrase-receipts.ts).
   */
  async takeIn(bytes: Uint8Array, via: string | null = null): Promise<TakenIn> {
    if (isWithdrawalNotice(bytes))
      return { kind: 'withdrawal', notice: await takeInWithdrawalNotice(this.session, bytes) };
    const profile = this.session.requireUnlocked();
    if (isPassphraseReceipt(bytes))
      return { kind: 'receipt', ...takeInPassphraseReceipt(profile, bytes), confirmedBy: 'package-key' };
    try {
      const { body, json, signature } = decryptReceipt(profile.identity, bytes);
      const sent = profile.history.findSent(body.package);
      if (!sent) throw new ReceiptRefused('unknown-package');
      if (!sent.recipients.includes(body.recipient)) throw new ReceiptRefused('not-a-recipient');
      const signer = (await profile.contacts.list()).find(
        (contact) => fingerprintHex(contact.card.fingerprint) === body.recipient,
      );
      if (!signer || !verifyReceiptSignature(signer.card, profile.identity.card.encryptionKey, json, signature))
        throw new ReceiptRefused('forged');
      const alreadyTakenIn = profile.deliveries.has(body.package, body.recipient, body.outcome);
      if (!alreadyTakenIn)
        profile.recordReceiptReceived(body.package, body.recipient, body.outcome, body.reason, body.at, via);
      // Then the head the signer carried about their organisation's directory (a fork is its alarm).
      await checkGossip(this.session, body.directoryHead ?? null, signer.card);
      return { kind: 'receipt', body, alreadyTakenIn, confirmedBy: 'signature' };
    } catch (error) {
      if (error instanceof InvalidReceipt || error instanceof ReceiptRefused)
        profile.recordReceiptRefused(error instanceof ReceiptRefused ? `${error.code}:${error.reason}` : error.code);
      else if (!isMedSealError(error)) throw error;
      throw error;
    }
  }
}
