/**
 * Writes a stream of buffers to one file at explicit positions, one write at
 * a time (concurrent writes to one file only contend for its lock) but with
 * a few buffers queued, so the disk stays busy while the next chunk is being
 * encrypted or verified. Memory stays bounded by `maxQueued` buffers.
 */
import type { FileHandle } from 'node:fs/promises';

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
   * Queues `bytes` (or several buffers written one after another with one writev); resolves once
   * there is room for more. Rejects with an earlier write's error.
   */
  async write(bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
    const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
    while (this.queued.size >= this.maxQueued) await Promise.race(this.queued);
    this.throwIfFailed();
    const position = this.position;
    this.position += parts.reduce((sum, part) => sum + part.length, 0);
    const job = this.tail.then(async () => {
      if (!this.failure) await this.writeFully(parts, position);
    }).catch((error: unknown) => {
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
    let rest = parts.filter((part) => part.length > 0);
    while (rest.length > 0) {
      let { bytesWritten } = await this.handle.writev(rest, position);
      position += bytesWritten;
      // A short write: drop what was written and go on from there.
      while (rest.length > 0 && bytesWritten >= rest[0]!.length) bytesWritten -= rest.shift()!.length;
      if (bytesWritten > 0) rest = [rest[0]!.subarray(bytesWritten), ...rest.slice(1)];
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
