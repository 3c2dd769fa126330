/**
 * A fixed set of equal-size buffers handed out and given back, so streaming
 * a file of any size reuses the same memory (and `take` waits when all are
 * in use, which bounds how far reading runs ahead). Each is an ArrayBuffer
 * of its own, so it can be transferred to a worker thread and back.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly waiting: ((buffer: ArrayBuffer) => void)[] = [];

  constructor(
    readonly bufferSize: number,
    count: number,
  ) {
    for (let index = 0; index < count; index++) this.free.push(new ArrayBuffer(bufferSize));
  }

  take(): Promise<ArrayBuffer> {
    const buffer = this.free.pop();
    return buffer ? Promise.resolve(buffer) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a buffer back (one moved to a worker and back is a new ArrayBuffer object: that is fine). */
  give(buffer: ArrayBuffer): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(buffer);
    else this.free.push(buffer);
  }

  /** Zeroes the buffers given back; call once the work is done and every buffer has come back. */
  wipe(): void {
    for (const buffer of this.free) new Uint8Array(buffer).fill(0);
  }
}
