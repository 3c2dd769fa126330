/**
 * Thin, typed wrappers over the primitives the package format uses.
 *
 * AES-256-GCM, SHA-256, HMAC-SHA-256 and HKDF-SHA-256 come from node:crypto
 * (hardware-accelerated, and present in Electron's BoringSSL build);
 * X25519 and Ed25519 come from libsodium. Every function here is a direct
 * call into those libraries: no cryptography is implemented by hand.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { sodium } from './sodium.js';

export const GCM_TAG_BYTES = 16;
export const GCM_NONCE_BYTES = 12;
export const KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string, length = KEY_BYTES): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'ascii'), length));
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** AES-256-GCM seal: returns ciphertext || 16-byte tag. */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES });
  if (aad) cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/** AES-256-GCM open: returns the plaintext, or null when authentication fails. */
export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer | null {
  if (sealed.length < GCM_TAG_BYTES) return null;
  const split = sealed.length - GCM_TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(split));
  if (aad) decipher.setAAD(aad);
  const body = decipher.update(sealed.subarray(0, split));
  try {
    decipher.final();
  } catch {
    // The tag does not verify: Node throws one generic Error (no code) for it; null is that answer.
    body.fill(0);
    return null;
  }
  return body;
}

/** X25519 shared secret; null when the peer key is a low-order point (all-zero result). */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array | null {
  try {
    const shared = sodium().crypto_scalarmult(secretKey, publicKey);
    return shared.every((byte) => byte === 0) ? null : shared;
  } catch (error) {
    // A low-order peer key: libsodium.js throws a plain Error ("weak public key"). A TypeError is a
    // key of the wrong length or type, which the formats rule out: a bug, passed on.
    if (error instanceof TypeError) throw error;
    return null;
  }
}

export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return sodium().crypto_scalarmult_base(secretKey);
}

export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return sodium().crypto_sign_detached(message, secretKey);
}

export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  // libsodium.js answers false for any key or signature that does not verify; it throws only for a
  // wrong length (checked here) or a wrong type (a bug, which must not pass as "not verified").
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== KEY_BYTES) return false;
  return sodium().crypto_sign_verify_detached(signature, message, publicKey);
}

export function randomBytes(length: number): Uint8Array {
  return sodium().randombytes_buf(length);
}

/** Overwrites secret bytes in place (best effort: JS may hold copies elsewhere). */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) if (buffer) sodium().memzero(buffer);
}
