/**
 * Chunks sealed and opened on worker threads must be byte-for-byte the format
 * the calling thread makes and reads: each side opens the other's packages,
 * across file boundaries, empty files and a partial last chunk. The pieces
 * the pipeline rests on are checked on their own: splitting a chunk across
 * files, short writes, and a worker pool that stops.
 */
import { open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { PositionalWriter } from '../../main/package/payload/positional-writer.js';
import {
  MAX_WRITE_BYTES,
  writeAll,
  writeAllSync,
  WriteMadeNoProgress,
} from '../../main/package/payload/write-steps.js';
import {
  chunkThreads,
  defaultChunkThreads,
  MAX_CHUNK_THREADS,
  PARALLEL_MIN_BYTES,
} from '../../main/package/payload/chunk-cipher.js';
import {
  ChunkWorkerFailed,
  ChunkWorkerPool,
  ChunkWriteFailed,
} from '../../main/package/payload/chunk-workers/chunk-worker-pool.js';
import { keptChunkWorkers } from '../../main/package/payload/chunk-workers/kept-chunk-workers.js';
import { chunkNonce } from '../../main/package/key-schedule.js';
import { openPackage } from '../../main/package/open.js';
import { fileRanges, partsRange } from '../../main/package/payload/payload-ranges.js';
import { fastIdentity } from '../helpers/identities.js';
import { digests, openSample, sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

const CS = 4096;
// Empty files first, between and last; files ending mid-chunk and exactly on a chunk boundary.
const SIZES = [0, 3 * CS + 17, 0, CS - 17, 5 * CS, 1, 0];

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;

beforeAll(async () => {
  [alice, bob] = [await fastIdentity('Alice'), await fastIdentity('Bob')];
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('worker threads and the calling thread speak the same format', () => {
  it.each([
    { sealThreads: 2, openThreads: 0 },
    { sealThreads: 0, openThreads: 2 },
    { sealThreads: 3, openThreads: 1 },
  ])('sealed with $sealThreads threads, opened with $openThreads', async ({ sealThreads, openThreads }) => {
    const started = vi.spyOn(ChunkWorkerPool, 'start');
    const folder = await tempFolder('medseal-parallel-');
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: SIZES,
      threads: sealThreads,
    });
    const opened = await openSample(sample.path, bob, join(folder, 'out'), openThreads);
    expect(digests(opened)).toEqual(digests(sample.contents));
    expect(started.mock.calls.map((call) => call[1])).toEqual(
      [sealThreads, openThreads].filter((threads) => threads > 0),
    );
  });

  it('every chunk a worker sealed also opens alone by random access on this thread', async () => {
    const folder = await tempFolder('medseal-parallel-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: SIZES, threads: 2 });
    const opened = await openPackage(sample.path, bob);
    try {
      const chunks = [];
      for (let index = 0; index < opened.chunkCount; index++) chunks.push(await opened.readChunk(index));
      expect(digests([Buffer.concat(chunks)])).toEqual(digests([Buffer.concat(sample.contents)]));
    } finally {
      await opened.close();
    }
  });

  it('large payloads go to workers by default where cores allow, small ones stay on this thread', () => {
    expect(chunkThreads(PARALLEL_MIN_BYTES - 1)).toBe(0);
    expect(chunkThreads(PARALLEL_MIN_BYTES)).toBe(defaultChunkThreads(availableParallelism()));
    expect(chunkThreads(2 ** 40)).toBe(chunkThreads(PARALLEL_MIN_BYTES));
    expect(chunkThreads(10 * PARALLEL_MIN_BYTES, 0)).toBe(0);
  });

  it('the default follows the cores: one per core but one, at least two, at most eight', () => {
    expect([1, 2, 3, 4, 6, 8, 12, 16, 64].map((cores) => defaultChunkThreads(cores))).toEqual([
      0, 2, 2, 3, 5, 7, 8, 8, 8,
    ]);
  });

  it('what is asked for is taken up to the cap (the policy) and MAX_CHUNK_THREADS, never below 0', () => {
    expect(chunkThreads(1, 3)).toBe(3); // asked for: even for a small payload
    expect(chunkThreads(1, 99)).toBe(MAX_CHUNK_THREADS);
    expect(chunkThreads(1, -2)).toBe(0);
    expect(chunkThreads(2 ** 40, 6, 2)).toBe(2);
    expect(chunkThreads(2 ** 40, undefined, 1)).toBe(Math.min(1, defaultChunkThreads()));
    expect(chunkThreads(2 ** 40, undefined, 0)).toBe(0);
    expect(chunkThreads(2 ** 40, undefined, 99)).toBe(defaultChunkThreads());
  });
});

describe('the worker pool', () => {
  it('writes a sealed chunk at its position, and refuses work once closed', async () => {
    const pool = ChunkWorkerPool.start(Buffer.alloc(32, 7), 2);
    const path = join(await tempFolder('medseal-pool-'), 'chunk.bin');
    const file = await open(path, 'w');
    await pool.seal(
      new ArrayBuffer(CS),
      100,
      chunkNonce(0, true),
      () => new Uint8Array(64),
      () => undefined,
      { fd: file.fd, position: 10 },
    );
    await file.close();
    expect((await readFile(path)).length).toBe(10 + 100 + 64 + 16);
    await pool.close();
    await expect(pool.open(new ArrayBuffer(CS), 180, chunkNonce(0, true), () => undefined)).rejects.toBeInstanceOf(
      ChunkWorkerFailed,
    );
  });

  it('a write the worker cannot make comes back as its system error code, for a plain message', async () => {
    const pool = ChunkWorkerPool.start(Buffer.alloc(32, 7), 1);
    const path = join(await tempFolder('medseal-pool-'), 'read-only.bin');
    await writeFile(path, '');
    const readOnly = await open(path, 'r');
    try {
      const error = await pool
        .seal(
          new ArrayBuffer(CS),
          100,
          chunkNonce(0, true),
          () => new Uint8Array(64),
          () => undefined,
          { fd: readOnly.fd, position: 0 },
        )
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ChunkWriteFailed);
      expect((error as ChunkWriteFailed).code).toBe('EBADF');
    } finally {
      await readOnly.close();
      await pool.close();
    }
  });

  it('reports a chunk whose tag does not verify, and gives its buffer back', async () => {
    const pool = ChunkWorkerPool.start(Buffer.alloc(32, 7), 1);
    try {
      let returned: ArrayBuffer | undefined;
      const result = await pool.open(new ArrayBuffer(CS), 500, chunkNonce(0, true), (buffer) => (returned = buffer));
      expect(result).toBeNull();
      expect(returned?.byteLength).toBe(CS);
    } finally {
      await pool.close();
    }
  });

  it('a worker that fails fails the chunks in flight (no hang), and the pool still closes', async () => {
    const pool = ChunkWorkerPool.start(Buffer.alloc(32, 7), 2);
    const workers = (pool as unknown as { workers: { emit(event: string, value: unknown): void }[] }).workers;
    const pending = pool.open(new ArrayBuffer(64 * CS), 64 * CS, chunkNonce(0, true), () => undefined);
    workers[0]!.emit('error', new Error('simulated crash')); // what Node reports when a worker throws
    await expect(pending).rejects.toBeInstanceOf(ChunkWorkerFailed);
    await expect(pool.open(new ArrayBuffer(CS), 180, chunkNonce(0, true), () => undefined)).rejects.toBeInstanceOf(
      ChunkWorkerFailed,
    );
    await pool.close();
  });

  it('a worker that really crashes reports the kind of its error (never its message), and the chunks in flight fail', async () => {
    const pool = ChunkWorkerPool.start(Buffer.alloc(32, 7), 1);
    const workers = (pool as unknown as { workers: { postMessage(message: unknown): void }[] }).workers;
    workers[0]!.postMessage({
      type: 'seal-signature',
      id: 999_999,
      signature: new Uint8Array(64),
      fd: -1,
      position: 0,
    }); // no such chunk: the worker throws
    const pending = pool.open(new ArrayBuffer(64 * CS), 64 * CS, chunkNonce(0, true), () => undefined);
    const failure = await pending.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ChunkWorkerFailed);
    expect((failure as ChunkWorkerFailed).reason).toMatch(/^(TypeError|exit code 1)$/);
    expect((failure as ChunkWorkerFailed).message).not.toMatch(/undefined|finish|stopped unexpectedly/);
    await pool.close();
  });
});

describe('kept workers', () => {
  it('a package after a package reuses the threads, which kept no key in between', async () => {
    await keptChunkWorkers.stopIdle();
    const folder = await tempFolder('medseal-kept-');
    const before = keptChunkWorkers.started;
    for (const round of [1, 2, 3]) {
      const sample = await sealSample({
        folder: join(folder, `${round}`),
        sender: alice,
        recipients: [bob.card],
        sizes: SIZES,
        threads: 2,
      });
      const opened = await openSample(sample.path, bob, join(folder, `out${round}`), 2);
      expect(digests(opened)).toEqual(digests(sample.contents));
    }
    expect(keptChunkWorkers.started - before).toBe(2);
    expect(keptChunkWorkers.idleCount).toBe(2);

    // A kept thread given a chunk without a new key cannot seal it: the last package's key is gone.
    const [worker] = keptChunkWorkers.take(1);
    const reply = new Promise((resolve) => worker!.once('message', resolve));
    const input = new ArrayBuffer(CS);
    worker!.postMessage({ type: 'seal-data', id: 1, input, length: CS, nonce: chunkNonce(0, true) }, [input]);
    expect(await reply).toMatchObject({ type: 'crashed' });
    await worker!.terminate();
  });

  it('the threads of a pool that failed are stopped, not kept', async () => {
    await keptChunkWorkers.stopIdle();
    const pool = ChunkWorkerPool.start(Buffer.alloc(32, 7), 2);
    const workers = (pool as unknown as { workers: { emit(event: string, value: unknown): void }[] }).workers;
    workers[0]!.emit('error', new Error('simulated crash'));
    await pool.close();
    expect(keptChunkWorkers.idleCount).toBe(0);
  });
});

describe('splitting a chunk across files', () => {
  it('gives each file exactly its bytes, skipping empty files', () => {
    const sizes = [0, 3, 0, 2, 4];
    const parts = [Buffer.from('abcd'), Buffer.from('efghi')];
    const runs = fileRanges(sizes, 0, 9).map((range) => [
      range.file,
      Buffer.concat(partsRange(parts, range.offset, range.length)).toString(),
    ]);
    expect(runs).toEqual([
      [1, 'abc'],
      [3, 'de'],
      [4, 'fghi'],
    ]);
    expect(() => fileRanges(sizes, 9, 1)).toThrow(RangeError);
  });

  it('maps a range of the payload to positions in the files (what workers write)', () => {
    expect(fileRanges([0, 3, 0, 2, 4], 2, 5)).toEqual([
      { file: 1, position: 2, offset: 0, length: 1 },
      { file: 3, position: 0, offset: 1, length: 2 },
      { file: 4, position: 0, offset: 3, length: 2 },
    ]);
    expect(fileRanges([5], 5, 0)).toEqual([]);
  });
});

describe('the one write path (write steps)', () => {
  it('the synchronous driver (chunk workers) finishes short writes, in order, at most MAX_WRITE_BYTES a call', () => {
    const file = Buffer.alloc(MAX_WRITE_BYTES * 3);
    const lengths: number[] = [];
    const big = Buffer.alloc(MAX_WRITE_BYTES * 2 + 5, 7);
    writeAllSync([Buffer.from('ab'), big], 1, ({ buffer, offset, length, position }) => {
      lengths.push(length);
      const wrote = Math.min(length, lengths.length % 2 ? length : 3); // every other call writes only 3 bytes
      Buffer.from(buffer.subarray(offset, offset + wrote)).copy(file, position);
      return wrote;
    });
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_WRITE_BYTES);
    expect(file.subarray(0, 3).toString('latin1')).toBe('\0ab');
    expect(file.subarray(3, 3 + big.length).equals(big)).toBe(true);
  });

  it('a write that writes nothing is an I/O error (EIO), not a loop asking again for ever', async () => {
    let calls = 0;
    const nothing = () => {
      calls++;
      return 0;
    };
    expect(() => writeAllSync([Buffer.alloc(10)], 0, nothing)).toThrow(WriteMadeNoProgress);
    expect(calls).toBe(1);
    await expect(writeAll([Buffer.alloc(10)], 0, async () => 0)).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe('the positional writer', () => {
  it('finishes short writes and keeps several buffers in order', async () => {
    const file = Buffer.alloc(64);
    const handle = {
      // Writes at most 3 bytes per call, as a slow or interrupted disk may.
      write: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
        const bytes = Buffer.from(buffer.subarray(offset, offset + Math.min(3, length)));
        bytes.copy(file, position);
        return { bytesWritten: bytes.length, buffer };
      },
    } as unknown as FileHandle;
    const writer = new PositionalWriter(handle, 2);
    await writer.write(Buffer.from('hello'));
    await writer.write([Buffer.from(' '), Buffer.alloc(0), Buffer.from('wor'), Buffer.from('ld')]);
    await writer.flush();
    expect(file.subarray(0, 13).toString('latin1')).toBe('\0\0hello world');
  });

  it('zeroes plaintext buffers once written, when asked (opened chunks on the calling thread)', async () => {
    const file = Buffer.alloc(16);
    const handle = {
      write: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
        Buffer.from(buffer.subarray(offset, offset + length)).copy(file, position);
        return { bytesWritten: length, buffer };
      },
    } as unknown as FileHandle;
    const writer = new PositionalWriter(handle);
    const plaintext = Buffer.from('Zebulon Quibble');
    await writer.write(plaintext, { wipe: true });
    await writer.flush();
    expect(file.subarray(0, 15).toString('latin1')).toBe('Zebulon Quibble');
    expect(plaintext.every((byte) => byte === 0)).toBe(true);
  });

  it('reports a failed write at the next write or flush', async () => {
    const handle = {
      write: () => Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })),
    } as unknown as FileHandle;
    const writer = new PositionalWriter(handle);
    await writer.write(Buffer.from('a'));
    await expect(writer.flush()).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(writer.write(Buffer.from('b'))).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
