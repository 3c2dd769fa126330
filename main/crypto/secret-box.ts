/**
 * The one sealed box for secrets at rest and the one key-wrap: XChaCha20-Poly1305 (libsodium)
 * with a random 24-byte nonce, and associated data that names what the secret is and whose it
 * is, so a box cannot be moved to another file, field or identity unnoticed. Every key wrapped
 * under another key (keystore master key and secrets, recovery slot, organisation key, custodian
 * share, backup payload key) and every encrypted database field is sealed here; bulk package data
 * uses the chunk cipher (AES-256-GCM, package/payload/chunk-workers), which has its own format.
 */
import { randomBytes } from 'node:crypto';
import { sodium } from './sodium.js';

export const SECRET_KEY_BYTES = 32;
export const SECRET_BOX_NONCE_BYTES = 24;
export const SECRET_BOX_TAG_BYTES = 16;

export interface SealedBox {
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** A fresh random 32-byte key for sealing with. */
export function newSecretKey(): Uint8Array {
  return sodium().crypto_aead_xchacha20poly1305_ietf_keygen();
}

/**
 * Seals `secret` under `key`. The nonce is random (node's pooled CSPRNG, which is much faster per
 * call than libsodium.js's); 24 bytes never need counting.
 */
export function sealSecret(key: Uint8Array, secret: Uint8Array, associatedData: Uint8Array): SealedBox {
  const nonce = randomBytes(SECRET_BOX_NONCE_BYTES);
  return {
    nonce,
    ciphertext: sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(secret, associatedData, null, nonce, key),
  };
}

/** The secret, or null when the key, the associated data or any byte of the box is not the one sealed. */
export function openSecret(key: Uint8Array, box: SealedBox, associatedData: Uint8Array): Uint8Array | null {
  if (box.nonce.length !== SECRET_BOX_NONCE_BYTES || box.ciphertext.length < SECRET_BOX_TAG_BYTES) return null;
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.ciphertext, associatedData, box.nonce, key);
  } catch {
    // libsodium.js throws one generic Error for a failed tag: the only failure once the sizes are right.
    return null;
  }
}
