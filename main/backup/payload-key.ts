/**
 * How a backup's payload key is bound to its identity: wrapped in the one secret box
 * (crypto/secret-box.ts) under a key derived from the identity's master key (libsodium
 * crypto_kdf, subkey 3, context "msbackup"), with the fingerprint and time as associated data,
 * so a header moved to another identity or re-dated opens nothing.
 */
import { wipe } from '../crypto/primitives.js';
import { openSecret, sealSecret, type SealedBox } from '../crypto/secret-box.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';

const BACKUP_KEY_ID = 3;
const BACKUP_KEY_CONTEXT = 'msbackup';

function payloadKeyAad(fingerprint: string, createdAt: string): Uint8Array {
  return Buffer.from(`medseal-backup/v1/payload-key|${fingerprint}|${createdAt}`, 'utf8');
}

/** The payload key wrapped for the header of a backup made by `identity` at `createdAt`. */
export function wrapPayloadKey(
  identity: UnlockedIdentity,
  payloadKey: Uint8Array,
  fingerprint: string,
  createdAt: string,
): SealedBox {
  const wrapKey = identity.deriveLocalKey(BACKUP_KEY_ID, BACKUP_KEY_CONTEXT);
  try {
    return sealSecret(wrapKey, payloadKey, payloadKeyAad(fingerprint, createdAt));
  } finally {
    wipe(wrapKey);
  }
}

/** The payload key (the caller wipes it), or null when the header is not this identity's as written. */
export function unwrapPayloadKey(
  identity: UnlockedIdentity,
  wrapped: SealedBox,
  fingerprint: string,
  createdAt: string,
): Uint8Array | null {
  const wrapKey = identity.deriveLocalKey(BACKUP_KEY_ID, BACKUP_KEY_CONTEXT);
  try {
    return openSecret(wrapKey, wrapped, payloadKeyAad(fingerprint, createdAt));
  } finally {
    wipe(wrapKey);
  }
}
