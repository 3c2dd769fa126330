/**
 * A few worker threads that hash and encrypt (or decrypt) payload chunks in
 * parallel: every chunk of the format stands alone, so a package's chunks can
 * be spread across cores while the calling thread reads, signs and writes.
 * Buffers move between threads by transfer (no copies); the payload key is
 * transferred once per worker and wiped when the pool closes. The threads
 * come from, and after a clean close go back to, the kept workers
 * (kept-chunk-workers.ts); after a failure they are stopped instead.
 */
import type { Worker } from 'node:worker_threads';
import { keptChunkWorkers } from './kept-chunk-workers.js';
import { newWriteLock } from './write-lock.js';
import { describeFailure, type ChunkWorkerReply, type ChunkWorkerRequest, type WriteRange } from './worker-body.js';

/** A worker stopped or failed: an internal problem, never the package's fault. `reason` names its kind only. */
export class ChunkWorkerFailed extends Error {
  constructor(readonly reason = 'stopped') {
    super(`A background encryption thread failed (${reason}).`);
    this.name = 'ChunkWorkerFailed';
  }
}

/** A write a worker made failed: carries the system error code (ENOSPC, EIO…) like a Node fs error. */
export class ChunkWriteFailed extends Error {
  constructor(readonly code: string) {
    super(`Writing a chunk failed (${code}).`);
    this.name = 'ChunkWriteFailed';
  }
}

interface Pending {
  readonly worker: Worker;
  resolve(reply: ChunkWorkerReply): void;
  reject(error: Error): void;
}

/** A chunk decrypted on a worker, its data still there: written once its signature checks out, else discarded. */
export interface OpenedInWorker {
  readonly length: number;
  readonly signature: Uint8Array;
  readonly dataHash: Uint8Array;
  write(ranges: readonly WriteRange[]): Promise<void>;
  discard(): void;
}

export class ChunkWorkerPool {
  private readonly pending = new Map<number, Pending>();
  private readonly load = new Map<Worker, number>();
  private readonly exited = new Set<Worker>();
  private nextId = 0;
  private failed = false;
  /** Why the pool failed (the first worker's failure), for the error and the log. */
  private failure = 'closed';

  private readonly detach: (() => void)[] = [];

  private constructor(
    private readonly workers: readonly Worker[],
    /** Held by the worker writing (write-lock.ts); a test holds it to see the others wait. */
    private readonly writeLock: SharedArrayBuffer,
  ) {
    for (const worker of workers) {
      this.load.set(worker, 0);
      const onMessage = (reply: ChunkWorkerReply) =>
        reply.type === 'crashed' ? this.fail(reply.reason) : this.settle(reply);
      const onError = (error: Error) => this.fail(describeFailure(error));
      const onExit = (code: number) => {
        this.exited.add(worker);
        this.fail(`exit code ${code}`);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      this.detach.push(() => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
    }
  }

  static start(payloadKey: Uint8Array, threads: number): ChunkWorkerPool {
    const workers = keptChunkWorkers.take(threads);
    const writeLock = newWriteLock();
    for (const worker of workers) {
      const key = new Uint8Array(payloadKey).buffer; // a fresh copy per worker, moved (not cloned) into it
      worker.postMessage({ type: 'key', key, writeLock } satisfies ChunkWorkerRequest, [key]);
    }
    return new ChunkWorkerPool(workers, writeLock);
  }

  /**
   * Seals one chunk and writes it at `position` of file `fd`: the worker hashes and encrypts the
   * data and hands `input` back (`onInputFree`), `sign` turns the data hash into the signature
   * here, and the worker finishes and writes the chunk.
   */
  async seal(
    input: ArrayBuffer,
    length: number,
    nonce: Uint8Array,
    sign: (dataHash: Uint8Array) => Uint8Array,
    onInputFree: (input: ArrayBuffer) => void,
    target: { readonly fd: number; readonly position: number },
  ): Promise<void> {
    const id = this.nextId++;
    const worker = this.leastLoaded();
    const hashed = await this.request(worker, id, { type: 'seal-data', id, input, length, nonce }, [input]);
    if (hashed.type !== 'data-hashed') throw new ChunkWorkerFailed('unexpected reply');
    onInputFree(hashed.input);
    written(
      await this.request(worker, id, { type: 'seal-signature', id, signature: sign(hashed.dataHash), ...target }, []),
    );
  }

  /** Decrypts one chunk; null when its GCM tag does not verify. `input` always comes back. */
  async open(
    input: ArrayBuffer,
    length: number,
    nonce: Uint8Array,
    onInputFree: (input: ArrayBuffer) => void,
  ): Promise<OpenedInWorker | null> {
    const id = this.nextId++;
    const worker = this.leastLoaded();
    const reply = await this.request(worker, id, { type: 'open', id, input, length, nonce }, [input]);
    if (reply.type === 'not-authentic') {
      onInputFree(reply.input);
      return null;
    }
    if (reply.type !== 'opened') throw new ChunkWorkerFailed('unexpected reply');
    onInputFree(reply.input);
    return {
      length: reply.length,
      signature: reply.signature,
      dataHash: reply.dataHash,
      write: async (ranges) => written(await this.request(worker, id, { type: 'open-write', id, ranges }, [])),
      discard: () => {
        if (!this.failed) worker.postMessage({ type: 'open-discard', id } satisfies ChunkWorkerRequest);
      },
    };
  }

  /**
   * After a clean run, every worker wipes its key and data and goes back to the kept workers;
   * otherwise (a failure, chunks still in flight) every worker wipes its key and exits, and this
   * waits until they have.
   */
  async close(): Promise<void> {
    const clean = !this.failed && this.pending.size === 0;
    this.rejectPending();
    this.failed = true; // exits from here on are expected
    if (clean) {
      for (const detach of this.detach) detach();
      for (const worker of this.workers) {
        worker.postMessage({ type: 'forget' } satisfies ChunkWorkerRequest);
        keptChunkWorkers.give(worker);
      }
      return;
    }
    await Promise.all(
      this.workers
        .filter((worker) => !this.exited.has(worker))
        .map(async (worker) => {
          const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
          worker.postMessage({ type: 'close' } satisfies ChunkWorkerRequest);
          const timer = setTimeout(() => void worker.terminate(), 5_000);
          await exited;
          clearTimeout(timer);
        }),
    );
  }

  private request(
    worker: Worker,
    id: number,
    message: ChunkWorkerRequest,
    transfer: ArrayBuffer[],
  ): Promise<ChunkWorkerReply> {
    if (this.failed) return Promise.reject(new ChunkWorkerFailed(this.failure));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
      worker.postMessage(message, transfer);
    });
  }

  private settle(reply: Exclude<ChunkWorkerReply, { type: 'crashed' }>): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    this.load.set(pending.worker, (this.load.get(pending.worker) ?? 1) - 1);
    pending.resolve(reply);
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = reason;
    this.rejectPending();
    for (const worker of this.workers) void worker.terminate();
  }

  private rejectPending(): void {
    for (const pending of this.pending.values()) pending.reject(new ChunkWorkerFailed(this.failure));
    this.pending.clear();
  }

  private leastLoaded(): Worker {
    let best = this.workers[0]!;
    for (const worker of this.workers) if ((this.load.get(worker) ?? 0) < (this.load.get(best) ?? 0)) best = worker;
    return best;
  }
}

function written(reply: ChunkWorkerReply): void {
  if (reply.type === 'write-failed') throw new ChunkWriteFailed(reply.code);
  if (reply.type !== 'written') throw new ChunkWorkerFailed('unexpected reply');
}
