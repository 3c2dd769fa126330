/**
 * Whether and how a package may be opened, given how its sender relates to
 * the contact book: the one decision for the app, the CLI and what the
 * renderer shows. Trusted senders open at once; others need the reader's
 * confirmation; an alarm (the keys are not the ones known for that person)
 * is never "trusted" and is worded as the possible impersonation it is.
 */
import type { SenderTrust } from '../contacts/contact-record.js';
import { UntrustedSender } from '../contacts/errors.js';

export type SenderTrustKind = SenderTrust['kind'];

/** trusted: open; confirm: open only once the reader accepts an unverified sender; alarm: possible impersonation. */
export type OpenVerdict = 'trusted' | 'confirm' | 'alarm';

export function verdictFor(kind: SenderTrustKind): OpenVerdict {
  switch (kind) {
    case 'verified':
    case 'org-verified':
    case 'partner-vouched':
      return 'trusted';
    case 'key-mismatch':
    case 'identity-mismatch':
      return 'alarm';
    case 'unverified':
    case 'key-changed':
    case 'unknown':
      return 'confirm';
  }
}

export interface OpenConsent {
  /** The reader accepted a sender that is not verified. */
  readonly confirmUntrusted: boolean;
  /**
   * The reader overrode an alarm (possible impersonation) with a separate, explicit choice: the
   * app's own override, the CLI's --accept-changed-keys. Recorded in the audit log.
   */
  readonly overrideAlarm?: boolean;
  /** Save nothing unless the sender is verified (the CLI's --require-verified). */
  readonly requireVerified?: boolean;
  /** The reader confirmed saving a package this profile already opened once (the CLI's --again). */
  readonly openAgain?: boolean;
}

/** Throws UntrustedSender unless the sender is trusted or the reader consented as the verdict requires. */
export function assertMayOpen(kind: SenderTrustKind, consent: OpenConsent): void {
  const verdict = verdictFor(kind);
  if (verdict === 'trusted') return;
  if (consent.requireVerified) throw new UntrustedSender(kind);
  if (verdict === 'alarm' ? !consent.overrideAlarm : !consent.confirmUntrusted) throw new UntrustedSender(kind);
}
