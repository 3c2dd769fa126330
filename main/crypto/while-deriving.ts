/**
 * Work for the calling thread while a passphrase's Argon2id runs in its
 * worker (kdf.ts): about 0.7 s at the default strength in which that thread
 * only waits. An unlock queues here what comes right after it and is slow
 * only the first time in a process (X-Wing's code and tables, the first
 * date format); kdf.ts runs the queue once the request is on its way to
 * the worker. Where the derivation runs on the calling thread (no worker
 * file) the queue is dropped: there it would only add to the wait.
 */

/** A set: an unlock that failed before deriving leaves its task queued, and the next one does not add it twice. */
let queued = new Set<() => void>();

/** Runs `task` on this thread during the next derivation in a worker (once). */
export function whileNextDerivationRuns(task: () => void): void {
  queued.add(task);
}

/** Called by kdf.ts once the request has been posted to the worker: the queue runs in the next turn. */
export function derivationStarted(): void {
  const tasks = takeQueued();
  if (tasks.length > 0) setImmediate(() => tasks.forEach((task) => task()));
}

/** Called by kdf.ts when the derivation runs on this thread after all. */
export function derivationHere(): void {
  takeQueued();
}

function takeQueued(): (() => void)[] {
  const tasks = [...queued];
  queued = new Set();
  return tasks;
}
