/**
 * X-Wing, the hybrid post-quantum KEM (ML-KEM-768 + X25519, combined with
 * SHA3-256 as draft-connolly-cfrg-xwing-kem specifies), from
 * @noble/post-quantum: maintained by the authors of the audited
 * @noble/curves and @noble/hashes it builds on (its own ML-KEM code is
 * self-audited, not yet independently: SECURITY.md), no native code, so it
 * runs in Node and Electron alike (node:crypto has no ML-KEM before OpenSSL
 * 3.5). Being hybrid, a flaw in ML-KEM still leaves X25519's protection. Wraps a package's file key for recipients
 * whose cards carry an X-Wing key (docs/FORMAT.md, "Format version 2").
 * Nothing here is implemented by hand.
 */
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';

/** The 32-byte seed every X-Wing key pair is derived from: the secret kept in the keystore. */
export const XWING_SEED_BYTES = 32;
export const XWING_PUBLIC_KEY_BYTES = 1216;
export const XWING_CIPHERTEXT_BYTES = 1120;
/** Randomness for one encapsulation (ML-KEM message and X25519 ephemeral secret). */
export const XWING_ENCAPSULATION_RANDOM_BYTES = 64;

export function xwingPublicKey(seed: Uint8Array): Uint8Array {
  return ml_kem768_x25519.getPublicKey(seed);
}

/** `random` (64 bytes) makes the ciphertext reproducible, for test vectors only. */
export function xwingEncapsulate(
  publicKey: Uint8Array,
  random?: Uint8Array,
): { ciphertext: Uint8Array; sharedSecret: Uint8Array } {
  const { cipherText, sharedSecret } = ml_kem768_x25519.encapsulate(publicKey, random);
  return { ciphertext: cipherText, sharedSecret };
}

/**
 * The shared secret for `ciphertext`, or null when it cannot be decapsulated at all (its X25519
 * part is a low-order point). A ciphertext made for another key gives an unrelated secret
 * (ML-KEM's implicit rejection): the caller finds out when its AES-GCM fails.
 */
export function xwingDecapsulate(ciphertext: Uint8Array, seed: Uint8Array): Uint8Array | null {
  try {
    return ml_kem768_x25519.decapsulate(ciphertext, seed);
  } catch {
    return null; // a low-order X25519 part or a wrong length: @noble throws one generic Error for either
  }
}

/** Whether a public key can be encapsulated to (a valid ML-KEM-768 key and a usable X25519 point): checked when a card is imported. */
export function xwingPublicKeyUsable(publicKey: Uint8Array): boolean {
  try {
    xwingEncapsulate(publicKey).sharedSecret.fill(0);
    return true;
  } catch {
    return false; // not a valid ML-KEM-768 key or X25519 point: @noble throws one generic Error for either
  }
}

/**
 * X-Wing once on a throwaway key (nothing secret, nothing kept): the first use in a process builds
 * @noble's precomputed tables and gets the engine to compile ML-KEM, which otherwise adds about
 * 0.1 s to the first package sealed or opened after an unlock. Unlocking runs it while Argon2id
 * runs in its worker (crypto/while-deriving.ts).
 */
export function warmUpXwing(): void {
  const seed = new Uint8Array(XWING_SEED_BYTES).fill(1);
  const { ciphertext, sharedSecret } = xwingEncapsulate(xwingPublicKey(seed));
  xwingDecapsulate(ciphertext, seed);
  sharedSecret.fill(0);
}
