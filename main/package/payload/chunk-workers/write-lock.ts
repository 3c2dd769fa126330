/**
 * One chunk writer at a time among a pool's workers. Two threads writing one
 * file contend for its inode lock in the kernel, and the one that waits
 * spins on it (`rwsem_spin_on_owner` was 10 % of a 4 GiB open's samples):
 * a core burnt that the other threads needed for crypto. With this lock the
 * waiting worker sleeps in a futex instead (Atomics.wait), and each chunk's
 * writes go through in one turn.
 *
 * The lock is a SharedArrayBuffer the pool makes and hands to its workers
 * with the key; a pool whose worker failed stops all of its workers, so a
 * lock left held by a stopped thread is never waited on again.
 */
export function newWriteLock(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

const FREE = 0;
const HELD = 1;

/** Runs `write` holding the lock `shared` (none: runs it at once). */
export function whileHoldingWriteLock<T>(shared: SharedArrayBuffer | undefined, write: () => T): T {
  if (!shared) return write();
  const lock = new Int32Array(shared);
  while (Atomics.compareExchange(lock, 0, FREE, HELD) !== FREE) Atomics.wait(lock, 0, HELD);
  try {
    return write();
  } finally {
    Atomics.store(lock, 0, FREE);
    Atomics.notify(lock, 0, 1);
  }
}
