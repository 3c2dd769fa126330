/**
 * The organisation's slot in a backup (docs/FORMAT.md §8.1): the identity's
 * master key, encapsulated with X-Wing to the organisation recovery key of
 * the policy, so that the custodians together can restore the profile of a
 * clinician who has left or cannot be reached. The slot is in the header,
 * whose hash every payload message binds.
 */
import { aesGcmOpen, aesGcmSeal, hkdfSha256, wipe } from '../crypto/primitives.js';
import { XWING_CIPHERTEXT_BYTES, xwingDecapsulate, xwingEncapsulate } from '../crypto/xwing.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';

export const RECOVERY_SLOT_BYTES = XWING_CIPHERTEXT_BYTES + 32 + 16;
const ZERO12 = Buffer.alloc(12);

export interface RecoverySlot {
  /** Hex fingerprint of the organisation recovery key. */
  readonly recoveryKey: string;
  readonly stanza: Uint8Array;
}

const slotKey = (sharedSecret: Uint8Array, ciphertext: Uint8Array, owner: string, createdAt: string) =>
  hkdfSha256(sharedSecret, ciphertext, `MEDSEAL-backup-recovery|${owner}|${createdAt}`);

export function sealRecoverySlot(
  masterKey: Uint8Array,
  recoveryCard: ContactCard,
  owner: string,
  createdAt: string,
): RecoverySlot {
  if (!recoveryCard.pqKey) throw new Error('a recovery key card has a post-quantum key');
  const { ciphertext, sharedSecret } = xwingEncapsulate(recoveryCard.pqKey);
  const key = slotKey(sharedSecret, ciphertext, owner, createdAt);
  const stanza = Buffer.concat([ciphertext, aesGcmSeal(key, ZERO12, masterKey)]);
  wipe(sharedSecret, key);
  return { recoveryKey: fingerprintHex(recoveryCard.fingerprint), stanza };
}

/** The master key (the caller wipes it), or null when the slot is not this recovery key's. */
export function openRecoverySlot(
  slot: RecoverySlot,
  recoveryKey: UnlockedIdentity,
  owner: string,
  createdAt: string,
): Uint8Array | null {
  const seed = recoveryKey.pqSecretKey;
  if (!seed || slot.recoveryKey !== fingerprintHex(recoveryKey.card.fingerprint)) return null;
  const ciphertext = slot.stanza.subarray(0, XWING_CIPHERTEXT_BYTES);
  const sharedSecret = xwingDecapsulate(ciphertext, seed);
  if (!sharedSecret) return null;
  const key = slotKey(sharedSecret, ciphertext, owner, createdAt);
  const opened = aesGcmOpen(key, ZERO12, slot.stanza.subarray(XWING_CIPHERTEXT_BYTES));
  wipe(sharedSecret, key);
  if (!opened) return null;
  const masterKey = new Uint8Array(opened);
  wipe(opened);
  return masterKey;
}
