/**
 * Runs each seal or open in a worker thread, so the main event loop (IPC,
 * UI events, auto-lock) never waits on cryptography or disk I/O. Cancel
 * asks the worker to stop (it removes what it wrote). A worker that
 * answered (done, or a typed error such as CANCELLED) holds no key any more
 * and is kept for the next job, with its chunk workers, for a minute; one
 * that failed internally or stopped is terminated.
 */
import { Worker } from 'node:worker_threads';
import {
  JobFailed,
  type JobHooks,
  type JobResult,
  type PackageJob,
  type PackageJobs,
  type RunningJob,
} from '../services/package-runner.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';
import { describeFailure } from '../package/payload/chunk-workers/worker-body.js';

const IDLE_STOP_MS = 60_000;

export class WorkerPackageJobs implements PackageJobs {
  private idle: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Threads started so far (a kept thread is not counted again). */
  started = 0;

  constructor(
    private readonly workerScript: string,
    /** Told the kind of every internal failure (never a message or path), for the log. */
    private readonly onInternalError: (reason: string) => void = () => undefined,
  ) {}

  run<J extends PackageJob>(job: J, hooks: JobHooks): RunningJob<JobResult<J>> {
    const worker = this.take();
    const post = (message: WorkerRequest) => worker.postMessage(message);
    let settled = false;
    const done = new Promise<JobResult<J>>((resolve, reject) => {
      const finish = (outcome: () => void, keep = false) => {
        if (settled) return;
        settled = true;
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        outcome();
        if (keep) this.keep(worker);
        else void worker.terminate();
      };
      const onMessage = (message: WorkerReply) => {
        if (message.type === 'progress') hooks.onProgress?.(message.bytesDone, message.bytesTotal);
        else if (message.type === 'temp') {
          const registry = hooks.tempFiles;
          const work = registry
            ? message.op === 'register'
              ? registry.register(message.path)
              : registry.release(message.path)
            : Promise.resolve();
          void work.then(
            () => post({ type: 'temp-ack', id: message.id, ok: true }),
            (error: unknown) => {
              this.onInternalError(`temp file registry: ${describeFailure(error)}`);
              post({ type: 'temp-ack', id: message.id, ok: false }); // the job fails with StoreUnavailable
            },
          );
        } else if (message.type === 'done') finish(() => resolve(message.result as JobResult<J>), true);
        else {
          if (message.reason) this.onInternalError(message.reason);
          finish(
            () => reject(new JobFailed(message.code, message.category, message.text)),
            message.category !== 'internal',
          );
        }
      };
      const onError = (error: Error) => {
        this.onInternalError(`package worker: ${describeFailure(error)}`);
        finish(() => reject(new JobFailed('INTERNAL', 'internal', { variant: 'job', params: {} })));
      };
      const onExit = (code: number) => {
        if (!settled) this.onInternalError(`package worker: exit code ${code}`);
        finish(() => reject(new JobFailed('INTERNAL', 'internal', { variant: 'job-stopped', params: {} })));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    post({ type: 'start', job });
    // Once settled the thread may already run another job: a late cancel must not reach it.
    return { done, cancel: () => (settled ? undefined : post({ type: 'cancel' })) };
  }

  /** Stops the kept thread now (the app calls this when it quits). */
  async stopIdle(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.idle;
    this.idle = undefined;
    await worker?.terminate();
  }

  private take(): Worker {
    clearTimeout(this.idleTimer);
    const kept = this.idle;
    this.idle = undefined;
    if (kept) {
      kept.removeAllListeners('exit').removeAllListeners('error');
      kept.ref();
      return kept;
    }
    this.started++;
    return new Worker(this.workerScript);
  }

  private keep(worker: Worker): void {
    if (this.idle) {
      void worker.terminate(); // one kept thread is enough: jobs mostly run one at a time
      return;
    }
    this.idle = worker;
    worker.unref();
    worker.on('error', () => undefined); // an idle thread has no job to fail; 'exit' follows
    worker.once('exit', () => {
      if (this.idle === worker) this.idle = undefined;
    });
    this.idleTimer = setTimeout(() => void this.stopIdle(), IDLE_STOP_MS);
    this.idleTimer.unref();
  }
}
