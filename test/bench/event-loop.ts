/**
 * Benchmark (not a test): the main event loop's delay while a large file is
 * sealed and opened — in worker threads, as the app does, and, for contrast,
 * in the main thread. Goal: p99 under 20 ms with workers.
 * Usage: npm run bench:event-loop [-- --size-mib 1024]
 */
import { randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { benchIdentity } from './bench-identity.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { openJobKeysOf, sealJobKeysOf, type PackageJobs } from '../../main/services/package-runner.js';
import { WorkerPackageJobs } from '../../main/jobs/worker-package-jobs.js';

const sizeMiB = Number(process.argv[process.argv.indexOf('--size-mib') + 1] || 1024) || 1024;
const here = dirname(fileURLToPath(import.meta.url));

async function measure(
  label: string,
  jobs: PackageJobs,
  folder: string,
  input: string,
  alice: UnlockedIdentity,
  bob: UnlockedIdentity,
): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const pkg = join(folder, `${label}.medseal`);
  const out = join(folder, `${label}-out`);
  await mkdir(out);
  histogram.enable();
  const start = process.hrtime.bigint();
  const sealed = await jobs.run(
    {
      kind: 'seal',
      ...sealJobKeysOf(alice),
      recipientCards: [bob.card.bytes],
      recoveryCard: null,
      files: [{ path: input }],
      note: '',
      output: pkg,
    },
    {},
  ).done;
  await jobs.run(
    { kind: 'open', ...openJobKeysOf(bob), packagePath: pkg, folder: out, expectedPackageHash: sealed.packageHash },
    {},
  ).done;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  histogram.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(
    `  ${label.padEnd(12)} seal+open ${seconds.toFixed(1)} s; event-loop delay p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms`,
  );
  await rm(pkg, { force: true });
  await rm(out, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'medseal-bench-loop-'));
  try {
    const input = join(folder, 'input.bin');
    const handle = await open(input, 'w');
    const block = Buffer.alloc(8 * 2 ** 20);
    for (let i = 0; i < sizeMiB / 8; i++) await handle.write(randomFillSync(block));
    await handle.close();
    const [alice, bob] = [await benchIdentity('Alice'), await benchIdentity('Bob')];
    console.log(
      `Main event-loop delay while sealing and opening ${sizeMiB} MiB (goal with workers: p99 < 20 ms; figures include the 1 ms sampling interval)`,
    );
    await measure(
      'worker',
      new WorkerPackageJobs(join(here, '..', 'workers', 'package-worker.cjs')),
      folder,
      input,
      alice,
      bob,
    );
    await measure('main-thread', new InProcessPackageJobs(), folder, input, alice, bob);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
