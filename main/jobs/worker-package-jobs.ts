/**
 * Runs each seal or open in its own worker thread, so the main event loop
 * (IPC, UI events, auto-lock) never waits on cryptography or disk I/O.
 * Cancel asks the worker to stop (it removes what it wrote); the worker is
 * terminated only after it has answered.
 */
import { Worker } from 'node:worker_threads';
import { JobFailed, type JobHooks, type JobResult, type PackageJob, type PackageJobs, type RunningJob } from '../services/package-runner.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';
import { describeFailure } from '../package/payload/chunk-workers/worker-body.js';

export class WorkerPackageJobs implements PackageJobs {
  constructor(
    private readonly workerScript: string,
    /** Told the kind of every internal failure (never a message or path), for the log. */
    private readonly onInternalError: (reason: string) => void = () => undefined,
  ) {}

  run<J extends PackageJob>(job: J, hooks: JobHooks): RunningJob<JobResult<J>> {
    const worker = new Worker(this.workerScript);
    const post = (message: WorkerRequest) => worker.postMessage(message);
    const done = new Promise<JobResult<J>>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
        void worker.terminate();
      };
      worker.on('message', (message: WorkerReply) => {
        if (message.type === 'progress') hooks.onProgress?.(message.bytesDone, message.bytesTotal);
        else if (message.type === 'temp') {
          const registry = hooks.tempFiles;
          const work = registry ? (message.op === 'register' ? registry.register(message.path) : registry.release(message.path)) : Promise.resolve();
          void work.then(
            () => post({ type: 'temp-ack', id: message.id, ok: true }),
            () => post({ type: 'temp-ack', id: message.id, ok: false }),
          );
        } else if (message.type === 'done') finish(() => resolve(message.result as JobResult<J>));
        else {
          if (message.reason) this.onInternalError(message.reason);
          finish(() => reject(new JobFailed(message.code, message.category, message.message)));
        }
      });
      worker.on('error', (error) => {
        this.onInternalError(`package worker: ${describeFailure(error)}`);
        finish(() => reject(new JobFailed('INTERNAL', 'internal', 'MedSeal ran into an internal problem. Nothing was saved.')));
      });
      worker.on('exit', (code) => {
        if (!settled) this.onInternalError(`package worker: exit code ${code}`);
        finish(() => reject(new JobFailed('INTERNAL', 'internal', 'The background task stopped unexpectedly. Nothing was saved.')));
      });
    });
    post({ type: 'start', job });
    return { done, cancel: () => post({ type: 'cancel' }) };
  }
}
