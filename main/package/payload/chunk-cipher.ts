/**
 * How a package's chunks get sealed and opened: on this thread for small
 * payloads, or spread over a pool of worker threads for large ones (starting
 * workers costs a few tens of milliseconds, paid back after a few MiB).
 * Both run the same chunk crypto core and so produce and accept exactly the
 * same bytes (docs/FORMAT.md); signatures are made and checked here either
 * way, with the identity's keys, which never go to a worker.
 */
import { availableParallelism } from 'node:os';
import { ed25519Sign } from '../../crypto/primitives.js';
import { chunkSignatureMessageForHash, chunkSignatureValid, openChunkParts, sealChunkParts } from './chunk.js';
import { ChunkWorkerPool } from './chunk-workers/chunk-worker-pool.js';
import type { WriteRange } from './chunk-workers/worker-body.js';
import { PackageTampered, SignatureInvalid } from '../errors.js';
import { chunkNonce } from '../key-schedule.js';

/** Below this many payload bytes, chunks are processed on the calling thread. */
export const PARALLEL_MIN_BYTES = 8 * 2 ** 20;
/** The most worker threads anyone may ask for (`--workers`, the policy's `maxChunkWorkers`). */
export const MAX_CHUNK_THREADS = 16;
/**
 * The default never goes beyond this many, however many cores: each worker adds its chunks in flight
 * and its garbage (about 12 MiB, docs/PERFORMANCE.md), and past it the reads, writes and the
 * calling thread's signatures bound the speed rather than the crypto (the projection there).
 */
const DEFAULT_MAX_THREADS = 8;

/**
 * The default for a machine with `cores` cores: one worker per core but one (the calling thread reads
 * the input, signs or checks each chunk's signature and feeds the workers), at least two where there
 * are two cores (measured on 2 cores, docs/PERFORMANCE.md: the calling thread mostly waits, so two
 * workers seal 1 GiB in 3.6–3.9 s against 3.8–4.5 s with one), none on one core.
 */
export function defaultChunkThreads(cores = availableParallelism()): number {
  if (cores < 2) return 0;
  return Math.min(DEFAULT_MAX_THREADS, Math.max(2, cores - 1));
}

/**
 * Worker threads to use: `requested` when given (0 = this thread only), else by payload size and
 * cores; never more than `max` (the policy's cap), MAX_CHUNK_THREADS, or the payload's `chunks`
 * (`--workers 16` on a small package starts one at most).
 */
export function chunkThreads(
  totalBytes: number,
  requested?: number,
  max = MAX_CHUNK_THREADS,
  chunks = Number.POSITIVE_INFINITY,
): number {
  const limit = Math.max(0, Math.min(MAX_CHUNK_THREADS, Math.floor(max), chunks));
  if (requested !== undefined) return Math.min(limit, Math.max(0, Math.floor(requested)));
  if (totalBytes < PARALLEL_MIN_BYTES) return 0;
  return Math.min(limit, defaultChunkThreads());
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
  /** Seals a chunk; returns the parts the caller still has to write in order ([] when a worker wrote them). */
  seal(index: number, isFinal: boolean, data: Buffer, release: Release): Promise<Buffer[]>;
  close(): Promise<void>;
}

export interface OpenedChunk {
  /** The verified data the caller still has to write ([] when a worker wrote it). */
  readonly parts: Buffer[];
  readonly length: number;
}

export interface ChunkOpener {
  /** Decrypts and verifies a chunk; throws PackageTampered or SignatureInvalid (nothing of it written). */
  open(index: number, isFinal: boolean, sealed: Buffer, release: Release): Promise<OpenedChunk>;
  close(): Promise<void>;
}

/** Where workers write sealed chunks: chunk i at firstChunkAt + i × stride of file `fd`. */
export interface SealedChunkPlacement {
  readonly fd: number;
  readonly firstChunkAt: number;
  readonly stride: number;
}

/** Where workers write an opened chunk's data: ranges in the output files. */
export type OpenedChunkPlacement = (index: number, length: number) => WriteRange[];

/** Runs `work` on `input` here and hands the input buffer back whatever happens. */
function onThisThread<T>(input: Buffer, release: Release, work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  } finally {
    release(input.buffer as ArrayBuffer);
  }
}

export function chunkSealer(
  keys: ChunkKeys,
  signingSecretKey: Uint8Array,
  threads: number,
  placement: SealedChunkPlacement,
): ChunkSealer {
  if (threads === 0) {
    return {
      seal: (index, isFinal, data, release) =>
        onThisThread(data, release, () =>
          sealChunkParts(keys.payloadKey, keys.headerHash, signingSecretKey, index, isFinal, data),
        ),
      close: () => Promise.resolve(),
    };
  }
  const pool = ChunkWorkerPool.start(keys.payloadKey, threads);
  return {
    seal: async (index, isFinal, data, release) => {
      await pool.seal(
        data.buffer as ArrayBuffer,
        data.length,
        chunkNonce(index, isFinal),
        (dataHash) =>
          ed25519Sign(signingSecretKey, chunkSignatureMessageForHash(keys.headerHash, index, isFinal, dataHash)),
        release,
        { fd: placement.fd, position: placement.firstChunkAt + index * placement.stride },
      );
      return [];
    },
    close: () => pool.close(),
  };
}

export function chunkOpener(
  keys: ChunkKeys,
  senderSigningKey: Uint8Array,
  threads: number,
  placement: OpenedChunkPlacement,
): ChunkOpener {
  if (threads === 0) {
    return {
      open: (index, isFinal, sealed, release) =>
        onThisThread(sealed, release, () => {
          const parts = openChunkParts(keys.payloadKey, keys.headerHash, senderSigningKey, index, isFinal, sealed);
          return { parts, length: parts.reduce((sum, part) => sum + part.length, 0) };
        }),
      close: () => Promise.resolve(),
    };
  }
  const pool = ChunkWorkerPool.start(keys.payloadKey, threads);
  return {
    open: async (index, isFinal, sealed, release) => {
      const opened = await pool.open(sealed.buffer as ArrayBuffer, sealed.length, chunkNonce(index, isFinal), release);
      if (!opened) throw new PackageTampered('chunk', index);
      if (!chunkSignatureValid(senderSigningKey, keys.headerHash, index, isFinal, opened)) {
        opened.discard();
        throw new SignatureInvalid('chunk', index);
      }
      await opened.write(placement(index, opened.length));
      return { parts: [], length: opened.length };
    },
    close: () => pool.close(),
  };
}
