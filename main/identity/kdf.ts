/**
 * Passphrase → key derivation with Argon2id (libsodium crypto_pwhash, sumo
 * build). The parameters travel with the keystore so they can be raised
 * later; values below the floor are refused so that a tampered file cannot
 * quietly weaken the protection.
 */
import { sodium } from '../crypto/sodium.js';

export interface KdfParams {
  readonly algorithm: 'argon2id13';
  readonly opsLimit: number;
  readonly memLimitBytes: number;
  readonly salt: Uint8Array;
}

export const KDF_SALT_BYTES = 16;
/** libsodium's MODERATE: the default for new identities. */
export const KDF_DEFAULT = { opsLimit: 3, memLimitBytes: 256 * 1024 * 1024 } as const;
/** libsodium's INTERACTIVE: the lowest accepted (used by fast unit tests). */
export const KDF_FLOOR = { opsLimit: 2, memLimitBytes: 64 * 1024 * 1024 } as const;
export const KDF_CEILING = { opsLimit: 20, memLimitBytes: 2048 * 1024 * 1024 } as const;

export function kdfParamsAcceptable(params: { opsLimit: number; memLimitBytes: number }): boolean {
  return (
    Number.isSafeInteger(params.opsLimit) &&
    Number.isSafeInteger(params.memLimitBytes) &&
    params.opsLimit >= KDF_FLOOR.opsLimit &&
    params.opsLimit <= KDF_CEILING.opsLimit &&
    params.memLimitBytes >= KDF_FLOOR.memLimitBytes &&
    params.memLimitBytes <= KDF_CEILING.memLimitBytes
  );
}

export function newKdfParams(strength: { opsLimit: number; memLimitBytes: number } = KDF_DEFAULT): KdfParams {
  return { algorithm: 'argon2id13', ...strength, salt: sodium().randombytes_buf(KDF_SALT_BYTES) };
}

export function deriveKeyFromPassphrase(passphrase: string, params: KdfParams): Uint8Array {
  const s = sodium();
  return s.crypto_pwhash(
    s.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    Buffer.from(passphrase.normalize('NFC'), 'utf8'),
    params.salt,
    params.opsLimit,
    params.memLimitBytes,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
}
