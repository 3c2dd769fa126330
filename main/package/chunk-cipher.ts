/**
 * How a package's chunks get sealed and opened: on this thread for small
 * payloads, or spread over a pool of worker threads for large ones (starting
 * workers costs a few tens of milliseconds, paid back after a few MiB).
 * Both run the same chunk crypto core and so produce and accept exactly the
 * same bytes (docs/FORMAT.md); signatures are made and checked here either
 * way, with the identity's keys, which never go to a worker.
 */
import { availableParallelism } from 'node:os';
import { ed25519Sign } from '../crypto/primitives.js';
import { chunkSignatureMessageForHash, openChunkParts, sealChunkParts, verifiedChunkData } from './chunk.js';
import { ChunkWorkerPool } from './chunk-workers/chunk-worker-pool.js';
import { PackageTampered } from './errors.js';
import { chunkNonce } from './key-schedule.js';

/** Below this many payload bytes, chunks are processed on the calling thread. */
export const PARALLEL_MIN_BYTES = 8 * 2 ** 20;
const MAX_THREADS = 4;
/**
 * The default: two cores stay with the thread that reads, signs and writes and with the kernel's
 * share of the I/O, and at most two workers. Measured on 2 cores (docs/PERFORMANCE.md), a worker
 * brought no speed there, and memory handed between threads is kept by the allocator (peak RSS
 * 160–200 MiB instead of ~115 MiB), so on 2 cores chunks stay on the calling thread.
 */
const DEFAULT_MAX_THREADS = 2;
const CORES_KEPT = 2;

/** Worker threads to use: `requested` when given (0 = this thread only), else by payload size and cores. */
export function chunkThreads(totalBytes: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(MAX_THREADS, Math.floor(requested)));
  if (totalBytes < PARALLEL_MIN_BYTES) return 0;
  return Math.max(0, Math.min(DEFAULT_MAX_THREADS, availableParallelism() - CORES_KEPT));
}

export interface ChunkKeys {
  readonly payloadKey: Uint8Array;
  readonly headerHash: Uint8Array;
}

/**
 * A chunk's input is a view from offset 0 of a buffer from a BufferPool; `release` gets that
 * buffer back as soon as the input is no longer needed (after a round trip to a worker it is a
 * new ArrayBuffer object over the same memory).
 */
export type Release = (buffer: ArrayBuffer) => void;

export interface ChunkSealer {
  /** The sealed chunk as parts, to be written one after another. */
  seal(index: number, isFinal: boolean, data: Buffer, release: Release): Promise<Buffer[]>;
  close(): Promise<void>;
}

export interface ChunkOpener {
  /** The chunk's verified data as parts; throws PackageTampered or SignatureInvalid. */
  open(index: number, isFinal: boolean, sealed: Buffer, release: Release): Promise<Buffer[]>;
  close(): Promise<void>;
}

/** Runs `work` on `input` here and hands the input buffer back whatever happens. */
function onThisThread<T>(input: Buffer, release: Release, work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error as Error);
  } finally {
    release(input.buffer as ArrayBuffer);
  }
}

export function chunkSealer(keys: ChunkKeys, signingSecretKey: Uint8Array, threads: number): ChunkSealer {
  if (threads === 0) {
    return {
      seal: (index, isFinal, data, release) =>
        onThisThread(data, release, () => sealChunkParts(keys.payloadKey, keys.headerHash, signingSecretKey, index, isFinal, data)),
      close: () => Promise.resolve(),
    };
  }
  const pool = ChunkWorkerPool.start(keys.payloadKey, threads);
  return {
    seal: (index, isFinal, data, release) =>
      pool.seal(
        data.buffer as ArrayBuffer,
        data.length,
        chunkNonce(index, isFinal),
        (dataHash) => ed25519Sign(signingSecretKey, chunkSignatureMessageForHash(keys.headerHash, index, isFinal, dataHash)),
        release,
      ),
    close: () => pool.close(),
  };
}

export function chunkOpener(keys: ChunkKeys, senderSigningKey: Uint8Array, threads: number): ChunkOpener {
  if (threads === 0) {
    return {
      open: (index, isFinal, sealed, release) =>
        onThisThread(sealed, release, () => openChunkParts(keys.payloadKey, keys.headerHash, senderSigningKey, index, isFinal, sealed)),
      close: () => Promise.resolve(),
    };
  }
  const pool = ChunkWorkerPool.start(keys.payloadKey, threads);
  return {
    open: async (index, isFinal, sealed, release) => {
      const opened = await pool.open(sealed.buffer as ArrayBuffer, sealed.length, chunkNonce(index, isFinal), release);
      if (!opened) throw new PackageTampered('chunk', index);
      return verifiedChunkData(senderSigningKey, keys.headerHash, index, isFinal, opened);
    },
    close: () => pool.close(),
  };
}
