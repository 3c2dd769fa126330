/**
 * Worker-thread entry for one Argon2id derivation (bundled to kdf-worker.cjs
 * beside each bundle). The 256 MiB Argon2id needs grows libsodium's
 * WebAssembly memory, which never shrinks; in a short-lived worker that
 * memory goes when the worker ends, so the main thread (the app's main
 * process for the whole session, the CLI while it streams a payload) stays
 * small. Gets the passphrase bytes and parameters, answers with the key
 * (transferred), wipes its copies and exits.
 */
import { parentPort } from 'node:worker_threads';
import { loadSodium } from './sodium.js';
import { deriveKeyHere, type KdfRequest } from './argon2id.js';

const port = parentPort;
if (!port) throw new Error('kdf-worker must run in a worker thread');
port.once('message', (request: KdfRequest) => {
  void loadSodium().then(
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
      port.postMessage({ ok: false }); // libsodium could not load here: KdfFailed in the parent, as above
    },
  );
});
