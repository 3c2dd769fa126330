/**
 * Worker-thread entry for one Argon2id derivation (bundled to kdf-worker.cjs
 * beside each bundle). The 256 MiB Argon2id needs grows libsodium's
 * WebAssembly memory, which never shrinks; in a short-lived worker that
 * memory goes when the worker ends, so the main thread (the app's main
 * process for the whole session, the CLI while it streams a payload) stays
 * small. A worker may first be told to get ready (kdf-prewarm.ts: the heap
 * grown and the code compiled while the CLI still loads); then it gets the
 * passphrase bytes and parameters, answers with the key (transferred),
 * wipes its copies and is ended by the parent.
 */
import { parentPort } from 'node:worker_threads';
import { loadSodium } from './sodium.js';
import { deriveKeyHere, prewarmArgon2id, type KdfRequest } from './argon2id.js';

export type KdfWorkerMessage =
  | { readonly type: 'prewarm'; readonly memLimitBytes: number }
  | { readonly type: 'derive'; readonly request: KdfRequest };

const port = parentPort;
if (!port) throw new Error('kdf-worker must run in a worker thread');
const loaded = loadSodium();
// A derivation waits for the readying (never beside it); readying never fails a derivation.
let ready: Promise<unknown> = loaded;
port.on('message', (message: KdfWorkerMessage) => {
  if (message.type === 'prewarm') {
    ready = loaded
      .then(() => prewarmArgon2id(message.memLimitBytes))
      .catch(() => {
        // Readying is only a head start: whatever failed (no room to grow the heap: libsodium's
        // "invalid usage"; libsodium not loading), the derivation runs as in a fresh worker and
        // reports its own failure, if any, as KdfFailed in the parent.
      });
    return;
  }
  const request = message.request;
  void ready
    .then(() => loaded)
    .then(
      () => {
        try {
          const key = deriveKeyHere(request);
          port.postMessage({ ok: true, key }, [key.buffer as ArrayBuffer]);
        } catch {
          // Out of memory growing the WebAssembly heap, or parameters libsodium refuses: the parent
          // (kdf.ts) turns every failure into KdfFailed, in plain words; nothing of it may cross back.
          port.postMessage({ ok: false });
        } finally {
          request.passphrase.fill(0);
        }
      },
      () => {
        request.passphrase.fill(0);
        port.postMessage({ ok: false }); // libsodium could not load here: KdfFailed in the parent, as above
      },
    );
});
