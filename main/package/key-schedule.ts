/**
 * How every key of a package is derived from the random file key, and how
 * the file key is wrapped for each recipient (docs/FORMAT.md, "Keys").
 * Because the header MAC key and the payload key both come from the file key
 * through HKDF, a header that verifies commits to exactly one file key.
 */
import { hkdfSha256, x25519, aesGcmOpen, aesGcmSeal, GCM_NONCE_BYTES } from '../crypto/primitives.js';
import { XWING_CIPHERTEXT_BYTES, xwingDecapsulate, xwingEncapsulate } from '../crypto/xwing.js';
import { LABEL } from './format.js';

export interface PackageKeys {
  readonly headerMacKey: Buffer;
  readonly metadataKey: Buffer;
  readonly payloadKey: Buffer;
}

export const ZERO_NONCE = Buffer.alloc(GCM_NONCE_BYTES);

export function derivePackageKeys(fileKey: Uint8Array, salt: Uint8Array): PackageKeys {
  return {
    headerMacKey: hkdfSha256(fileKey, salt, LABEL.headerMac),
    metadataKey: hkdfSha256(fileKey, salt, LABEL.metadata),
    payloadKey: hkdfSha256(fileKey, salt, LABEL.payload),
  };
}

export function wipePackageKeys(keys: PackageKeys): void {
  keys.headerMacKey.fill(0);
  keys.metadataKey.fill(0);
  keys.payloadKey.fill(0);
}

function stanzaKey(shared: Uint8Array, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Buffer {
  return hkdfSha256(shared, Buffer.concat([ephemeralPublic, recipientPublic]), LABEL.stanza);
}

/** Wraps the file key for one recipient; null when the recipient key is a low-order point. */
export function wrapFileKey(
  fileKey: Uint8Array,
  ephemeralSecret: Uint8Array,
  ephemeralPublic: Uint8Array,
  recipientPublic: Uint8Array,
): Buffer | null {
  const shared = x25519(ephemeralSecret, recipientPublic);
  if (!shared) return null;
  const key = stanzaKey(shared, ephemeralPublic, recipientPublic);
  const stanza = aesGcmSeal(key, ZERO_NONCE, fileKey);
  key.fill(0);
  return stanza;
}

/** Tries every stanza with our key; returns the file key, or null when none is ours. */
export function unwrapFileKey(
  stanzas: readonly Uint8Array[],
  ephemeralPublic: Uint8Array,
  recipientSecret: Uint8Array,
  recipientPublic: Uint8Array,
): Buffer | null {
  const shared = x25519(recipientSecret, ephemeralPublic);
  if (!shared) return null;
  const key = stanzaKey(shared, ephemeralPublic, recipientPublic);
  try {
    for (const stanza of stanzas) {
      const fileKey = aesGcmOpen(key, ZERO_NONCE, stanza);
      if (fileKey) return fileKey;
    }
    return null;
  } finally {
    key.fill(0);
  }
}

/** STREAM nonce: 11-byte big-endian chunk counter, then 0x01 for the last chunk or 0x00. */
/**
 * A version 2 stanza (docs/FORMAT.md §2.11): an X-Wing encapsulation to the recipient's
 * post-quantum key, then the file key under a key derived from its shared secret.
 * `random` (64 bytes) is the encapsulation's randomness, for reproducible test vectors.
 */
export function wrapFileKeyPq(fileKey: Uint8Array, recipientPqKey: Uint8Array, random: Uint8Array): Buffer {
  const { ciphertext, sharedSecret } = xwingEncapsulate(recipientPqKey, random);
  const key = hkdfSha256(sharedSecret, ciphertext, LABEL.stanzaV2);
  sharedSecret.fill(0);
  const stanza = Buffer.concat([ciphertext, aesGcmSeal(key, ZERO_NONCE, fileKey)]);
  key.fill(0);
  return stanza;
}

/**
 * Tries every version 2 stanza with our X-Wing secret; the file key, or null when none is ours.
 * A stanza that cannot be decapsulated (another recipient's, damaged or hostile) is not ours.
 */
export function unwrapFileKeyPq(stanzas: readonly Uint8Array[], pqSecret: Uint8Array): Buffer | null {
  for (const stanza of stanzas) {
    const ciphertext = stanza.subarray(0, XWING_CIPHERTEXT_BYTES);
    const sharedSecret = xwingDecapsulate(ciphertext, pqSecret);
    if (!sharedSecret) continue;
    const key = hkdfSha256(sharedSecret, ciphertext, LABEL.stanzaV2);
    sharedSecret.fill(0);
    const fileKey = aesGcmOpen(key, ZERO_NONCE, stanza.subarray(XWING_CIPHERTEXT_BYTES));
    key.fill(0);
    if (fileKey) return fileKey;
  }
  return null;
}

export function chunkNonce(index: number, isFinal: boolean): Buffer {
  const nonce = Buffer.alloc(GCM_NONCE_BYTES);
  nonce.writeUIntBE(Math.floor(index / 2 ** 32), 3, 4); // bytes 3..6: high part (bytes 0..2 stay zero below 2^56)
  nonce.writeUInt32BE(index >>> 0, 7);
  nonce[11] = isFinal ? 0x01 : 0x00;
  return nonce;
}
