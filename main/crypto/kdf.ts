/**
 * Passphrase → key derivation with Argon2id (libsodium crypto_pwhash, sumo
 * build). The parameters travel with the keystore so they can be raised
 * later; values below the floor are refused so that a tampered file cannot
 * quietly weaken the protection.
 */
import { Worker } from 'node:worker_threads';
import { sodium } from './sodium.js';
import { KdfFailed } from './errors.js';
import { kdfWorkerScript } from './kdf-worker-script.js';

export interface KdfParams {
  readonly algorithm: 'argon2id13';
  readonly opsLimit: number;
  readonly memLimitBytes: number;
  readonly salt: Uint8Array;
}

/** How hard a new derivation is; the salt is chosen fresh each time. */
export interface KdfStrength {
  readonly opsLimit: number;
  readonly memLimitBytes: number;
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

export function newKdfParams(strength: KdfStrength = KDF_DEFAULT): KdfParams {
  return { algorithm: 'argon2id13', ...strength, salt: sodium().randombytes_buf(KDF_SALT_BYTES) };
}

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
 * The key for a passphrase (NFC-normalised) under these parameters: Argon2id in a short-lived
 * worker thread when the bundled kdf-worker.cjs is there (kdf-worker.ts says why), else here.
 */
export async function deriveKeyFromPassphrase(passphrase: string, params: KdfParams): Promise<Uint8Array> {
  const request: KdfRequest = {
    passphrase: Buffer.from(passphrase.normalize('NFC'), 'utf8'),
    salt: Uint8Array.from(params.salt),
    opsLimit: params.opsLimit,
    memLimitBytes: params.memLimitBytes,
  };
  const script = kdfWorkerScript();
  if (!script) {
    try {
      return deriveKeyHere(request);
    } finally {
      request.passphrase.fill(0);
    }
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const worker = new Worker(script);
    const fail = () => reject(new KdfFailed());
    worker.once('message', (answer: { ok: boolean; key?: Uint8Array }) => {
      void worker.terminate();
      if (answer.ok && answer.key) resolve(answer.key);
      else fail();
    });
    worker.once('error', fail);
    worker.once('exit', fail); // no-op once settled
    worker.postMessage(request, [request.passphrase.buffer as ArrayBuffer]); // moved, not copied: no second copy of the passphrase here
  });
}
