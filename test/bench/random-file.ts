/** A file of `bytes` random bytes, written in 16 MiB blocks (the benchmarks' inputs and fillers). */
import { randomFillSync } from 'node:crypto';
import { open } from 'node:fs/promises';

export async function randomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const block = Buffer.alloc(16 * 1024 * 1024);
    for (let done = 0; done < bytes; done += block.length) {
      randomFillSync(block);
      await handle.write(block, 0, Math.min(block.length, bytes - done));
    }
  } finally {
    await handle.close();
  }
}
