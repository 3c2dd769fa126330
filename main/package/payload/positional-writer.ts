/**
 * Writes a stream of buffers to one file at explicit positions, one write at
 * a time (concurrent writes to one file only contend for its lock) but with
 * a few buffers queued, so the disk stays busy while the next chunk is being
 * encrypted or verified. Memory stays bounded by `maxQueued` buffers.
 *
 * The write calls themselves are the pipeline's one write path
 * (write-steps.ts), as for the chunk workers.
 */
import type { FileHandle } from 'node:fs/promises';
import { writeAll } from './write-steps.js';

export class PositionalWriter {
  private tail: Promise<void> = Promise.resolve();
  private readonly queued = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly handle: FileHandle,
    private position = 0,
    private readonly maxQueued = 4,
  ) {}

  /**
   * Queues `bytes` (or several buffers written one after another); resolves once there is room
   * for more. Rejects with an earlier write's error. `wipe`: zero the buffers once written (or
   * failed), for plaintext.
   */
  async write(bytes: Uint8Array | readonly Uint8Array[], options: { wipe?: boolean } = {}): Promise<void> {
    const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
    while (this.queued.size >= this.maxQueued) await Promise.race(this.queued);
    this.throwIfFailed();
    const position = this.position;
    this.position += parts.reduce((sum, part) => sum + part.length, 0);
    const job = this.tail
      .then(async () => {
        if (!this.failure) await this.writeFully(parts, position);
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        if (options.wipe) for (const part of parts) part.fill(0);
      });
    this.tail = job;
    this.queued.add(job);
    void job.finally(() => this.queued.delete(job));
  }

  /** Waits for every queued write; rejects if any failed. */
  async flush(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }

  private writeFully(parts: readonly Uint8Array[], position: number): Promise<void> {
    return writeAll(
      parts,
      position,
      async ({ buffer, offset, length, position: at }) =>
        (await this.handle.write(buffer, offset, length, at)).bytesWritten,
    );
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
