/**
 * One chunk writer at a time (write-lock.ts): two workers writing one file
 * spin on its lock in the kernel, so a pool's workers take turns. These
 * tests hold the pool's lock from here and check that no worker writes
 * until it is free, and that a failed write still frees it.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ChunkWorkerPool } from '../../main/package/payload/chunk-workers/chunk-worker-pool.js';
import { whileHoldingWriteLock, newWriteLock } from '../../main/package/payload/chunk-workers/write-lock.js';
import { chunkNonce } from '../../main/package/key-schedule.js';
import { tempFolder } from '../helpers/temp-folder.js';

const lockOf = (pool: ChunkWorkerPool) =>
  new Int32Array((pool as unknown as { writeLock: SharedArrayBuffer }).writeLock);

describe('the chunk workers write one at a time', () => {
  it('no worker writes while the lock is held, and each writes once it is free', async () => {
    const pool = ChunkWorkerPool.start(Buffer.alloc(32, 7), 2);
    const path = join(await tempFolder('medseal-lock-'), 'chunks.bin');
    const file = await open(path, 'w');
    const lock = lockOf(pool);
    Atomics.store(lock, 0, 1); // held here, as a writing worker holds it
    let settled = 0;
    const seals = [0, 1, 2, 3].map((index) =>
      pool
        .seal(
          new ArrayBuffer(4096),
          100,
          chunkNonce(index, false),
          () => new Uint8Array(64),
          () => undefined,
          {
            fd: file.fd,
            position: index * 180,
          },
        )
        .then(() => settled++),
    );
    const release = () => {
      Atomics.store(lock, 0, 0);
      Atomics.notify(lock, 0);
    };
    try {
      // Both workers have their chunks by now and wait for the lock: nothing may be written.
      await sleep(300);
      expect(settled).toBe(0);
      expect((await stat(path)).size).toBe(0);
    } finally {
      release(); // also when an expectation failed: the workers must not stay blocked
    }
    await Promise.all(seals);
    expect((await readFile(path)).length).toBe(4 * 180);
    expect(Atomics.load(lock, 0)).toBe(0); // every worker let it go
    await file.close();
    await pool.close();
  });

  it('a write that throws still lets the lock go', () => {
    const shared = newWriteLock();
    expect(() =>
      whileHoldingWriteLock(shared, () => {
        throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      }),
    ).toThrow('no space');
    expect(Atomics.load(new Int32Array(shared), 0)).toBe(0);
    expect(whileHoldingWriteLock(shared, () => 'written')).toBe('written');
  });
});
