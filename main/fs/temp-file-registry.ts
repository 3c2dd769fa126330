/**
 * Where long jobs announce the temporary files they create beside a
 * destination, so that files left by a crash (power cut, SIGKILL) can be
 * found and removed at the next start. The store provides the durable
 * implementation; without one, only in-process cleanup happens.
 */
export interface TempFileRegistry {
  /** Called (and awaited) before the temp file is created. */
  register(path: string): Promise<void>;
  /** Called once the temp file is gone (renamed into place or removed). */
  release(path: string): Promise<void>;
}
