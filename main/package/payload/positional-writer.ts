/**
 * Writes a stream of buffers to one file at explicit positions, one write at
 * a time (concurrent writes to one file only contend for its lock) but with
 * a few buffers queued, so the disk stays busy while the next chunk is being
 * encrypted or verified. Memory stays bounded by `maxQueued` buffers.
 *
 * Each system call writes at most MAX_WRITE_BYTES: measured on ext4, 1 MiB
 * writes cost the kernel twice the CPU of 64–256 KiB ones for the same bytes
 * (docs/PERFORMANCE.md); below 64 KiB the per-call overhead wins.
 */
import type { FileHandle } from 'node:fs/promises';

/** The largest write of one system call, for this writer and the chunk workers alike. */
export const MAX_WRITE_BYTES = 128 * 1024;

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
   * for more. Rejects with an earlier write's error.
   */
  async write(bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
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

  private async writeFully(parts: readonly Uint8Array[], position: number): Promise<void> {
    for (const part of parts) {
      for (let offset = 0; offset < part.length;) {
        const length = Math.min(MAX_WRITE_BYTES, part.length - offset);
        const { bytesWritten } = await this.handle.write(part, offset, length, position); // may be short: loop
        offset += bytesWritten;
        position += bytesWritten;
      }
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
