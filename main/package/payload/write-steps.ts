/**
 * The one write path of the payload pipeline: how buffers become write
 * calls. Parts are written one after another from a position, each call at
 * most MAX_WRITE_BYTES (measured on ext4, 1 MiB writes cost the kernel
 * twice the CPU of 64–256 KiB ones for the same bytes; below 64 KiB the
 * per-call overhead wins: docs/PERFORMANCE.md), and a short write is
 * finished by the next call. The positional writer drives it with
 * asynchronous writes, the chunk workers with synchronous ones.
 */
export const MAX_WRITE_BYTES = 128 * 1024;

/** A write call returned 0 bytes for a non-empty request: reported as the I/O error EIO. */
export class WriteMadeNoProgress extends Error {
  /** A system error code, as a Node fs error has (toIoError and the chunk workers read it): not a MedSeal code. */
  readonly code: string;
  constructor() {
    super('A write wrote nothing (EIO).');
    this.name = 'WriteMadeNoProgress';
    this.code = 'EIO';
  }
}

/** One write call to make: `length` bytes of `buffer` from `offset`, at file `position`. */
export interface WriteStep {
  readonly buffer: Uint8Array;
  readonly offset: number;
  readonly length: number;
  readonly position: number;
}

/** Yields the write calls for `parts` from `position`; give it back the bytes each call wrote. */
export function* writeSteps(parts: readonly Uint8Array[], position: number): Generator<WriteStep, void, number> {
  for (const buffer of parts) {
    for (let offset = 0; offset < buffer.length;) {
      const written: number = yield {
        buffer,
        offset,
        length: Math.min(MAX_WRITE_BYTES, buffer.length - offset),
        position,
      };
      // A write that wrote nothing would be asked for again for ever (and, in a chunk worker,
      // with the pool's write lock held): a device error, as the system would have said.
      if (!(written > 0)) throw new WriteMadeNoProgress();
      offset += written;
      position += written;
    }
  }
}

/** Runs the steps with a synchronous write (the chunk workers: node:fs writeSync). */
export function writeAllSync(parts: readonly Uint8Array[], position: number, write: (step: WriteStep) => number): void {
  const steps = writeSteps(parts, position);
  for (let step = steps.next(); !step.done; step = steps.next(write(step.value)));
}

/** Runs the steps with an asynchronous write (the positional writer: a FileHandle). */
export async function writeAll(
  parts: readonly Uint8Array[],
  position: number,
  write: (step: WriteStep) => Promise<number>,
): Promise<void> {
  const steps = writeSteps(parts, position);
  for (let step = steps.next(); !step.done; step = steps.next(await write(step.value)));
}
