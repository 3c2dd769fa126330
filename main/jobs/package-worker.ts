/**
 * Worker-thread entry for sealing and opening (bundled to its own file).
 * Talks to WorkerPackageJobs by messages: start, cancel, temp-file
 * acknowledgements in; progress, temp-file announcements, done, error out.
 * One job at a time; the thread may be kept for the next job (its chunk
 * workers with it, see kept-chunk-workers.ts). The secret keys it receives
 * are wiped when each job ends.
 */
import { parentPort } from 'node:worker_threads';
import { loadSodium } from '../crypto/sodium.js';
import { isMedSealError } from '../errors/medseal-error.js';
import type { TempFileRegistry } from '../fs/temp-file-registry.js';
import { wipeJobSecrets, type PackageJob } from '../services/package-runner.js';
import { runPackageJob } from './run-package-job.js';
import { StoreUnavailable } from '../store/errors.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';
import { ChunkWorkerFailed } from '../package/payload/chunk-workers/chunk-worker-pool.js';
import { describeFailure } from '../package/payload/chunk-workers/worker-body.js';

/** The kind of an internal failure, for the log: a chunk worker's own reason, else the error's name and code. */
function internalReason(error: unknown): string {
  return error instanceof ChunkWorkerFailed ? `chunk worker: ${error.reason}` : describeFailure(error);
}

const port = parentPort;
if (!port) throw new Error('package-worker must run in a worker thread');

let controller = new AbortController();
const waiting = new Map<number, (ok: boolean) => void>();
let nextId = 1;
const send = (message: WorkerReply) => port.postMessage(message);

/** Temp files are recorded by the main thread (it owns the database) before they are created. */
function askMainThread(op: 'register' | 'release', path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, (ok) =>
      ok ? resolve() : reject(new StoreUnavailable('the temporary file could not be recorded')),
    );
    send({ type: 'temp', op, path, id });
  });
}

const tempFiles: TempFileRegistry = {
  register: (path) => askMainThread('register', path),
  release: (path) => askMainThread('release', path),
};

let lastProgress = 0;
async function start(job: PackageJob): Promise<void> {
  controller = new AbortController();
  lastProgress = 0;
  await loadSodium();
  try {
    const result = await runPackageJob(
      job,
      {
        tempFiles,
        onProgress: (bytesDone, bytesTotal) => {
          const now = Date.now();
          if (now - lastProgress < 100 && bytesDone < bytesTotal) return;
          lastProgress = now;
          send({ type: 'progress', bytesDone, bytesTotal });
        },
      },
      controller.signal,
    );
    send({ type: 'done', result });
  } catch (error) {
    send(
      isMedSealError(error)
        ? { type: 'error', code: error.code, category: error.category, text: error.textRef }
        : {
            type: 'error',
            code: 'INTERNAL',
            category: 'internal',
            text: { variant: 'job', params: {} },
            reason: internalReason(error),
          },
    );
  } finally {
    wipeJobSecrets(job);
  }
}

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'start') void start(message.job);
  else if (message.type === 'cancel') controller.abort();
  else if (message.type === 'temp-ack') {
    waiting.get(message.id)?.(message.ok);
    waiting.delete(message.id);
  }
});
