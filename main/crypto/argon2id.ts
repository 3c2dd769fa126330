/**
 * Argon2id itself (libsodium crypto_pwhash, sumo build) on the calling
 * thread, with nothing else: no worker, no Node module. kdf.ts runs it in a
 * worker thread in Node; MedSeal Reader (main/reader/) runs it in the
 * browser page, where this is the only way in.
 */
import { growHeap, sodium } from './sodium.js';

/** What a derivation needs, as plain data (it crosses into the KDF worker). */
export interface KdfRequest {
  readonly passphrase: Uint8Array;
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  readonly memLimitBytes: number;
}

/** Argon2id on this thread (the worker's body; also the fallback where no worker file exists). */
export function deriveKeyHere(request: KdfRequest): Uint8Array {
  const s = sodium();
  const derived = s.crypto_pwhash(
    s.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    request.passphrase,
    request.salt,
    request.opsLimit,
    request.memLimitBytes,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
  const key = new Uint8Array(derived.length); // its own buffer: transferable, and not a view of the WebAssembly heap
  key.set(derived);
  s.memzero(derived);
  return key;
}

/**
 * Readies this thread for a derivation of `memLimitBytes`: the heap grown and touched (growHeap),
 * and one tiny Argon2id (1 MiB, one pass, no secret) so that the engine has compiled Argon2id's
 * code to its fast tier. On this 2-core VM a 256 MiB derivation then takes about 0.72 s instead of
 * 0.91 s in a fresh worker (`npm run bench:kdf`); readying costs the difference, so it pays only
 * where it overlaps with other work (the CLI's loading: crypto/kdf-prewarm.ts).
 */
export function prewarmArgon2id(memLimitBytes: number): void {
  const s = sodium();
  growHeap(memLimitBytes + 64 * 1024); // Argon2id's blocks and its own bookkeeping
  const salt = new Uint8Array(s.crypto_pwhash_SALTBYTES);
  s.crypto_pwhash(32, 'prewarm', salt, 1, 1024 * 1024, s.crypto_pwhash_ALG_ARGON2ID13);
}
