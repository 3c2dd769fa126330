/**
 * Argon2id itself (libsodium crypto_pwhash, sumo build) on the calling
 * thread, with nothing else: no worker, no Node module. kdf.ts runs it in a
 * worker thread in Node; MedSeal Reader (main/reader/) runs it in the
 * browser page, where this is the only way in.
 */
import { sodium } from './sodium.js';

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
