/**
 * Writes a stream of buffers to one file at explicit positions, keeping a
 * few writes in flight so the disk stays busy while the next chunk is being
 * encrypted or verified. Memory stays bounded by `maxInFlight` buffers.
 */
import type { FileHandle } from 'node:fs/promises';

export class PositionalWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly handle: FileHandle,
    private position = 0,
    private readonly maxInFlight = 4,
  ) {}

  /** Queues `bytes`; resolves once there is room for another write. Rejects with an earlier write's error. */
  async write(bytes: Uint8Array): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const job = this.writeFully(bytes, this.position).then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.position += bytes.length;
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  /** Waits for every queued write; rejects if any failed. */
  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  private async writeFully(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, position + done);
      done += bytesWritten;
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
