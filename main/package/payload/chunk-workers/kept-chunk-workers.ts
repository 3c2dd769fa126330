/**
 * Chunk worker threads kept between packages, so that sealing or opening
 * one package after another (the app's package worker, a hot folder) does
 * not start threads each time. A kept worker holds no key: the pool that
 * used it told it to forget the payload key and its data before giving it
 * back. Idle workers do not keep the process alive (unref) and stop after a
 * minute without work, which also hands their memory back.
 */
import { Worker } from 'node:worker_threads';
import { chunkWorkerScript } from './chunk-worker-script.js';

const IDLE_STOP_MS = 60_000;

export class KeptChunkWorkers {
  private readonly idle: Worker[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Threads started so far (kept ones are not counted again when reused). */
  started = 0;

  constructor(
    private readonly startWorker: () => Worker,
    private readonly idleStopMs = IDLE_STOP_MS,
  ) {}

  /** `count` workers for one package: idle ones first, new ones for the rest. */
  take(count: number): Worker[] {
    const taken = this.idle.splice(0, count);
    for (const worker of taken) {
      worker.removeAllListeners('exit').removeAllListeners('error');
      worker.ref();
    }
    while (taken.length < count) {
      taken.push(this.startWorker());
      this.started++;
    }
    this.schedule();
    return taken;
  }

  /** Keeps a worker that finished cleanly and has forgotten its key; the caller removed its listeners. */
  give(worker: Worker): void {
    worker.unref();
    worker.on('error', () => undefined); // an idle worker has no chunk to fail; 'exit' follows
    worker.once('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    this.idle.push(worker);
    this.schedule();
  }

  get idleCount(): number {
    return this.idle.length;
  }

  /** Stops every idle worker now. */
  async stopIdle(): Promise<void> {
    clearTimeout(this.timer);
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate()));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.idle.length === 0) return;
    this.timer = setTimeout(() => void this.stopIdle(), this.idleStopMs);
    this.timer.unref();
  }
}

/** The workers of this thread (each package worker thread of the app has its own). */
export const keptChunkWorkers = new KeptChunkWorkers(() => new Worker(chunkWorkerScript()));
