/**
 * Benchmark (not a test): what readying the Argon2id worker ahead saves
 * (crypto/kdf-prewarm.ts), at MedSeal's default strength (256 MiB, three
 * passes), in the bundled kdf-worker.cjs as the CLI runs it: a derivation
 * in a fresh worker (start, libsodium, heap growth, the engine's first
 * compile, then Argon2id), and one in a worker readied a second before (the
 * CLI's case, where the readying overlaps with loading). Prints wall times,
 * each run in a new worker, median of 5.
 * Usage: npm run bench:kdf
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveKeyFromPassphrase, KDF_DEFAULT, newKdfParams } from '../../main/crypto/kdf.js';
import { prewarmKdfWorker } from '../../main/crypto/kdf-prewarm.js';
import { useKdfWorkerScript } from '../../main/crypto/kdf-worker-script.js';
import { loadSodium } from '../../main/crypto/sodium.js';

const RUNS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function main(): Promise<void> {
  await loadSodium();
  useKdfWorkerScript(join(dirname(fileURLToPath(import.meta.url)), 'kdf-worker.cjs'));
  const params = newKdfParams(KDF_DEFAULT);
  const fresh: number[] = [];
  const readied: number[] = [];
  const readying: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    fresh.push(await timed(() => deriveKeyFromPassphrase('benchmark passphrase', params)));
    prewarmKdfWorker(params.memLimitBytes);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // readied meanwhile
    readied.push(await timed(() => deriveKeyFromPassphrase('benchmark passphrase', params)));
    // Readying and deriving at once: the whole cost when nothing else overlaps with the readying.
    readying.push(
      await timed(async () => {
        prewarmKdfWorker(params.memLimitBytes);
        await deriveKeyFromPassphrase('benchmark passphrase', params);
      }),
    );
  }
  const ms = (values: number[]) => `${median(values).toFixed(0).padStart(5)} ms`;
  console.log(`Argon2id ${KDF_DEFAULT.memLimitBytes / 2 ** 20} MiB × ${KDF_DEFAULT.opsLimit}, median of ${RUNS}:`);
  console.log(`fresh worker                              ${ms(fresh)}`);
  console.log(`worker readied ahead (derivation alone)   ${ms(readied)}`);
  console.log(`readied and derived at once               ${ms(readying)}`);
}

await main();
