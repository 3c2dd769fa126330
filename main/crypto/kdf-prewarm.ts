/**
 * An Argon2id worker started ahead of the derivation: the CLI starts one
 * as it begins loading (cli/early-start.ts) for a command that will ask to
 * unlock, so that libsodium's loading, its heap's growth and the compiling
 * of Argon2id's code (about 0.19 s on this VM: npm run bench:kdf) happen while the rest of
 * MedSeal loads and the passphrase is read. deriveKeyFromPassphrase takes
 * it when there is one. It does not keep the process alive (unref), one
 * that failed is simply not taken (the derivation starts its own), and one
 * not taken within 30 s is ended.
 */
import { Worker } from 'node:worker_threads';
import { kdfWorkerScript } from './kdf-worker-script.js';
import type { KdfWorkerMessage } from './kdf-worker.js';

/**
 * The worker started ahead, one per process: the Node CLI's small entry starts it before its main
 * bundle loads (cli/medseal-entry.ts), and that bundle, which has its own copy of this module,
 * must take the same worker, so the slot lives on globalThis under a registered symbol.
 */
interface PrewarmSlot {
  worker: Worker | null;
}
const SLOT = Symbol.for('medseal.prewarmedKdfWorker');
const slot: PrewarmSlot = ((globalThis as Record<symbol, PrewarmSlot | undefined>)[SLOT] ??= { worker: null });

/**
 * A readied worker nobody took by then is ended (its heap is Argon2id's size): a command that never
 * asked for a passphrase after all (a key remembered on the device, a long `watch`).
 */
const UNTAKEN_STOP_MS = 30_000;

/** Starts a worker readying itself for a derivation of `memLimitBytes` (the keystore's). */
export function prewarmKdfWorker(memLimitBytes: number, untakenStopMs = UNTAKEN_STOP_MS): void {
  const script = kdfWorkerScript();
  if (!script || slot.worker) return;
  const worker = new Worker(script);
  const forget = () => {
    if (slot.worker === worker) slot.worker = null;
  };
  worker.once('error', forget); // it could not start or crashed: the derivation starts another
  worker.once('exit', forget);
  worker.unref();
  const message: KdfWorkerMessage = { type: 'prewarm', memLimitBytes };
  worker.postMessage(message);
  slot.worker = worker;
  setTimeout(() => {
    if (slot.worker !== worker) return; // taken (or gone) meanwhile
    slot.worker = null;
    void worker.terminate();
  }, untakenStopMs).unref();
}

/** The worker started ahead, at most once, held by the caller from now on; null when there is none. */
export function takePrewarmedKdfWorker(): Worker | null {
  const worker = slot.worker;
  slot.worker = null;
  // The slot is on globalThis: take only a worker thread (the passphrase goes to what is taken).
  if (!(worker instanceof Worker)) return null;
  worker.removeAllListeners('error').removeAllListeners('exit');
  worker.ref();
  return worker;
}
