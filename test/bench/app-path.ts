/**
 * Benchmark (not a test): seal and open through the app's own path: the
 * package worker (package-worker.cjs with its chunk workers) started by the
 * app core's WorkerPackageJobs, as the renderer's Send and Receive start
 * them, on a profile already unlocked (the app unlocks once a session, so
 * there is no Argon2id here). Prints one JSON line: for seal and for open,
 * wall seconds, CPU and system seconds (every thread of the process) and
 * the main event loop's p99 delay, which the window's responsiveness
 * depends on. whole-command.ts runs it beside the CLI and age.
 * Usage: node dist/bench/app-path.mjs --input FILE [--recipients 1] [--folder DIR]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WorkerPackageJobs } from '../../main/jobs/worker-package-jobs.js';
import { openJobKeysOf, sealJobKeysOf, type PackageJobs } from '../../main/services/package-runner.js';
import { argument } from './bench-args.js';
import { benchIdentity } from './bench-identity.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface AppPathFigures {
  readonly wall: number;
  readonly cpu: number;
  readonly system: number;
  readonly p99Ms: number;
}

/** Runs `work` with the event loop's delay and the process's CPU time measured. */
async function measured(work: () => Promise<unknown>): Promise<AppPathFigures> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const before = process.resourceUsage();
  const start = process.hrtime.bigint();
  histogram.enable();
  await work();
  histogram.disable();
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const after = process.resourceUsage();
  const system = (after.systemCPUTime - before.systemCPUTime) / 1e6;
  return {
    wall,
    cpu: (after.userCPUTime - before.userCPUTime) / 1e6 + system,
    system,
    p99Ms: histogram.percentile(99) / 1e6,
  };
}

async function main(): Promise<void> {
  const input = argument('--input', '');
  if (!input) throw new Error('--input FILE is required');
  const recipients = Number(argument('--recipients', '1'));
  const folder = await mkdtemp(join(argument('--folder', tmpdir()), 'medseal-app-path-'));
  const jobs: PackageJobs = new WorkerPackageJobs(join(here, '..', 'workers', 'package-worker.cjs'));
  try {
    const sender = await benchIdentity('Sender');
    const cards: Uint8Array[] = [];
    const first = await benchIdentity('Recipient 0');
    cards.push(first.card.bytes);
    for (let i = 1; i < recipients; i++) cards.push((await benchIdentity(`Recipient ${i}`)).card.bytes);
    const pkg = join(folder, 'p.medseal');
    const out = join(folder, 'out');
    await mkdir(out);
    let packageHash = '';
    const seal = await measured(async () => {
      const sealed = await jobs.run(
        {
          kind: 'seal',
          ...sealJobKeysOf(sender),
          recipientCards: cards,
          recoveryCard: null,
          files: [{ path: input }],
          note: '',
          output: pkg,
        },
        {},
      ).done;
      packageHash = sealed.packageHash;
    });
    const open = await measured(
      () =>
        jobs.run(
          { kind: 'open', ...openJobKeysOf(first), packagePath: pkg, folder: out, expectedPackageHash: packageHash },
          {},
        ).done,
    );
    process.stdout.write(`${JSON.stringify({ seal, open })}\n`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
