/** A fresh temporary folder per test, removed afterwards. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(async () => {
  // retried: an app closed by the test may still be finishing a background write (an inbox poll) in there
  await Promise.all(
    made.splice(0).map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })),
  );
});

export async function tempFolder(prefix = 'medseal-test-'): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  made.push(folder);
  return folder;
}

export async function listFolder(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

/** Writes deterministic pseudo-random content of the given size. */
export async function writeSample(path: string, size: number, seed = 1): Promise<Buffer> {
  const data = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  await writeFile(path, data);
  return data;
}
