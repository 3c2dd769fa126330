/**
 * The payload half of sealing: read the input files chunk by chunk, seal each
 * chunk (here or on worker threads) and write the sealed chunks in order.
 * Reading the next chunk, sealing several and writing earlier ones overlap;
 * memory stays a fixed number of chunk buffers whatever the file sizes.
 */
import { BufferPool } from './buffer-pool.js';
import type { ChunkSealer } from './chunk-cipher.js';
import { CHUNK_OVERHEAD_BYTES } from '../format.js';
import { ChunkWriteFailed } from './chunk-workers/chunk-worker-pool.js';
import { toIoError } from '../../errors/io-error.js';
import type { InputFiles } from '../input-files.js';
import { throwIfCancelled, type JobControl } from '../progress.js';

export interface SealChunksPlan {
  readonly inputs: InputFiles;
  /** Appends to the package; resolves once there is room for more. */
  readonly write: (parts: readonly Uint8Array[]) => Promise<void>;
  readonly sealer: ChunkSealer;
  readonly threads: number;
  readonly chunkSize: number;
  readonly count: number;
  readonly total: number;
  readonly control: JobControl;
}

/** Seals and writes every chunk; returns the bytes written. Closes the sealer. */
export async function sealChunks(plan: SealChunksPlan): Promise<number> {
  const { inputs, sealer, chunkSize, count, total, control } = plan;
  // Chunks sealed (or being sealed) but not yet written: one per worker and two more keep them all busy.
  const maxQueued = plan.threads === 0 ? 0 : plan.threads + 2;
  const buffers = new BufferPool(chunkSize, maxQueued + 2);
  const lengthOf = (index: number) => (index === count - 1 ? total - index * chunkSize : chunkSize);
  const readChunk = async (index: number) => {
    const data = Buffer.from(await buffers.take(), 0, lengthOf(index));
    await inputs.readInto(data);
    return data;
  };
  const sealing: { readonly job: Promise<Buffer[]>; readonly length: number }[] = [];
  let written = 0;
  let bytesDone = 0;
  const writeOldest = async () => {
    const { job, length } = sealing.shift()!;
    const sealed = await job.catch((error: unknown) => {
      throw error instanceof ChunkWriteFailed ? toIoError('the package being written', error) : error;
    }); // [] when a worker wrote the chunk itself
    if (sealed.length > 0) await plan.write(sealed);
    written += length + CHUNK_OVERHEAD_BYTES;
    bytesDone += length;
    control.onProgress?.({ bytesDone, bytesTotal: total });
  };
  try {
    let nextRead = readChunk(0);
    for (let index = 0; index < count; index++) {
      throwIfCancelled(control.signal);
      const isFinal = index === count - 1;
      const data = await nextRead;
      if (!isFinal) {
        nextRead = readChunk(index + 1);
        nextRead.catch(() => {
          // Not unhandled while the chunk before is sealed: awaited (and rethrown) on the next turn.
        });
      }
      const length = data.length; // before sealing: a worker takes the buffer by transfer, leaving it empty here
      const job = sealer.seal(index, isFinal, data, (buffer) => buffers.give(buffer));
      job.catch(() => {
        // Not unhandled while it waits in the queue: awaited (and rethrown) in order by writeOldest.
      });
      sealing.push({ job, length });
      while (sealing.length > maxQueued) await writeOldest();
    }
    while (sealing.length > 0) await writeOldest();
    return written;
  } finally {
    await sealer.close();
    buffers.wipe();
  }
}
