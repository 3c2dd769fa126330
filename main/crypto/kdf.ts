/**
 * Passphrase → key derivation with Argon2id (libsodium crypto_pwhash, sumo
 * build). The parameters travel with the keystore so they can be raised
 * later; values below the floor are refused so that a tampered file cannot
 * quietly weaken the protection.
 */
import { Worker } from 'node:worker_threads';
import { sodium } from './sodium.js';
import { KdfFailed } from './errors.js';
import { deriveKeyHere, type KdfRequest } from './argon2id.js';
import { KDF_DEFAULT, KDF_SALT_BYTES, type KdfStrength } from './kdf-strength.js';
import { kdfWorkerScript } from './kdf-worker-script.js';
import { takePrewarmedKdfWorker } from './kdf-prewarm.js';
import { derivationHere, derivationStarted } from './while-deriving.js';
import type { KdfWorkerMessage } from './kdf-worker.js';

export { deriveKeyHere, type KdfRequest };
export type { KdfStrength };
export { KDF_CEILING, KDF_DEFAULT, KDF_FLOOR, KDF_SALT_BYTES, kdfParamsAcceptable } from './kdf-strength.js';

export interface KdfParams {
  readonly algorithm: 'argon2id13';
  readonly opsLimit: number;
  readonly memLimitBytes: number;
  readonly salt: Uint8Array;
}

export function newKdfParams(strength: KdfStrength = KDF_DEFAULT): KdfParams {
  return { algorithm: 'argon2id13', ...strength, salt: sodium().randombytes_buf(KDF_SALT_BYTES) };
}

/**
 * The key for a passphrase (NFC-normalised) under these parameters: Argon2id in a short-lived
 * worker thread when the bundled kdf-worker.cjs is there (kdf-worker.ts says why; one started
 * ahead by kdf-prewarm.ts when there is one), else here.
 */
export async function deriveKeyFromPassphrase(passphrase: string, params: KdfParams): Promise<Uint8Array> {
  const request: KdfRequest = {
    passphrase: passphraseBytes(passphrase),
    salt: Uint8Array.from(params.salt),
    opsLimit: params.opsLimit,
    memLimitBytes: params.memLimitBytes,
  };
  const script = kdfWorkerScript();
  if (!script) {
    derivationHere();
    try {
      return deriveKeyHere(request);
    } finally {
      request.passphrase.fill(0);
    }
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const worker = takePrewarmedKdfWorker() ?? new Worker(script);
    const fail = () => {
      void worker.terminate();
      reject(new KdfFailed());
    };
    worker.once('message', (answer: { ok: boolean; key?: Uint8Array }) => {
      void worker.terminate();
      if (answer.ok && answer.key) resolve(answer.key);
      else fail();
    });
    worker.once('error', fail);
    worker.once('exit', fail); // no-op once settled
    const message: KdfWorkerMessage = { type: 'derive', request };
    try {
      // Moved, not copied: the bytes have a memory of their own (passphraseBytes), so the transfer
      // detaches them here and no second copy of the passphrase stays in this thread.
      worker.postMessage(message, [request.passphrase.buffer as ArrayBuffer]);
      derivationStarted();
    } catch (error) {
      void worker.terminate();
      // DataCloneError: the bytes could not be moved (they always can, by construction): KdfFailed.
      reject(error instanceof Error && error.name === 'DataCloneError' ? new KdfFailed() : error);
    } finally {
      // Once moved, the bytes here are detached (length 0); if anything was left, it is wiped.
      if (request.passphrase.byteLength > 0) request.passphrase.fill(0);
    }
  });
}

/**
 * A passphrase's UTF-8 bytes (NFC-normalised) in a memory of their own. Not `Buffer.from`: a short
 * string's Buffer is a slice of Node's shared 8 KiB pool, which cannot be moved to another thread
 * (Node 20 then copies the whole pool, other data included, and keeps the passphrase here; newer
 * Node throws DataCloneError).
 */
export function passphraseBytes(passphrase: string): Uint8Array {
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}
