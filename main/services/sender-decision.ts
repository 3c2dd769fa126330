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
      return 'trusted';
    case 'key-mismatch':
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
  /** Save nothing unless the sender is verified (the CLI's --require-verified). */
  readonly requireVerified?: boolean;
}

/** Throws UntrustedSender unless the sender is trusted or the reader consented as required. */
export function assertMayOpen(kind: SenderTrustKind, consent: OpenConsent): void {
  if (verdictFor(kind) === 'trusted') return;
  if (consent.requireVerified || !consent.confirmUntrusted) throw new UntrustedSender(kind);
}
