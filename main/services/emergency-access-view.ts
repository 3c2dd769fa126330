/**
 * How a package's organisation recovery key is shown (preview, send
 * confirmation, CLI): which organisation, and whether it is the reader's
 * own, as their policy names it.
 */
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { EmergencyAccessView } from '../texts/protection-texts.js';
import type { PolicyGate } from './policy-gate.js';

export function emergencyAccessView(recoveryKey: ContactCard | null, policy: PolicyGate): EmergencyAccessView | null {
  if (!recoveryKey) return null;
  const fingerprint = fingerprintHex(recoveryKey.fingerprint);
  const ours = policy.recoveryKey();
  return {
    organisation: recoveryKey.profile.organisation,
    email: recoveryKey.profile.email,
    fingerprint,
    ours: ours !== null && fingerprintHex(ours.fingerprint) === fingerprint,
  };
}
