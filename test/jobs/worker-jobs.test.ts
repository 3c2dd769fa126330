/** Sealing and opening in worker threads: results, progress, temp-file records, cancel, typed errors. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobFailed, openJobKeysOf, sealJobKeysOf } from '../../main/services/package-runner.js';
import { WorkerPackageJobs } from '../../main/jobs/worker-package-jobs.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import type { TempFileRegistry } from '../../main/fs/temp-file-registry.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder, writeSample } from '../helpers/temp-folder.js';

const WORKER = join(process.cwd(), 'dist', 'workers', 'package-worker.cjs');
const jobs = new WorkerPackageJobs(WORKER);
let alice: UnlockedIdentity;
let bob: UnlockedIdentity;

function recordingRegistry() {
  const live = new Set<string>();
  const seen: string[] = [];
  const registry: TempFileRegistry = {
    register: async (path) => {
      live.add(path);
      seen.push(path);
    },
    release: async (path) => {
      live.delete(path);
    },
  };
  return { registry, live, seen };
}

beforeAll(async () => {
  if (!existsSync(WORKER))
    throw new Error('dist/workers/package-worker.cjs is missing: run "npm run build" first (npm test does).');
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
});

describe('worker jobs', () => {
  it('seal then open in workers round-trips, reports progress and records every temp file until it is gone', async () => {
    const folder = await tempFolder();
    const content = await writeSample(join(folder, 'scan.bin'), 5 * 1024 * 1024 + 3);
    const sealTemps = recordingRegistry();
    const progress: number[] = [];
    const sealed = await jobs.run(
      {
        kind: 'seal',
        ...sealJobKeysOf(alice),
        recipientCards: [bob.card.bytes],
        recoveryCard: null,
        files: [{ path: join(folder, 'scan.bin') }],
        note: 'n',
        output: join(folder, 'p.medseal'),
      },
      { tempFiles: sealTemps.registry, onProgress: (done) => progress.push(done) },
    ).done;
    expect(sealed.totalBytes).toBe(content.length);
    expect(progress.at(-1)).toBe(content.length);
    expect(sealTemps.seen).toHaveLength(1);
    expect(sealTemps.live.size).toBe(0);

    await mkdir(join(folder, 'out'));
    const openTemps = recordingRegistry();
    const opened = await jobs.run(
      {
        kind: 'open',
        ...openJobKeysOf(bob),
        packagePath: join(folder, 'p.medseal'),
        folder: join(folder, 'out'),
        expectedPackageHash: sealed.packageHash,
      },
      { tempFiles: openTemps.registry },
    ).done;
    expect((await readFile(opened.paths[0]!)).equals(content)).toBe(true); // Buffer.equals: a deep toEqual of 5 MiB takes vitest ~25 s
    expect(openTemps.live.size).toBe(0);
    expect(alice.signingSecretKey.some((byte) => byte !== 0)).toBe(true); // the worker wiped its copy, not ours
  });

  it('a cancelled job stops, removes its temp file and reports CANCELLED', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'big.bin'), '');
    await truncate(join(folder, 'big.bin'), 512 * 1024 * 1024);
    const temps = recordingRegistry();
    const running = jobs.run(
      {
        kind: 'seal',
        ...sealJobKeysOf(alice),
        recipientCards: [bob.card.bytes],
        recoveryCard: null,
        files: [{ path: join(folder, 'big.bin') }],
        note: '',
        output: join(folder, 'p.medseal'),
      },
      { tempFiles: temps.registry, onProgress: () => running.cancel() },
    );
    const error = await running.done.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JobFailed);
    expect((error as JobFailed).code).toBe('CANCELLED');
    expect(await readdir(folder)).toEqual(['big.bin']);
    expect(temps.live.size).toBe(0);
  });

  it('one thread serves job after job (a cancelled one too), and a late cancel never reaches the next job', async () => {
    const kept = new WorkerPackageJobs(WORKER);
    try {
      const folder = await tempFolder();
      await writeFile(join(folder, 'big.bin'), '');
      await truncate(join(folder, 'big.bin'), 64 * 1024 * 1024);
      const cancelled = kept.run(
        {
          kind: 'seal',
          ...sealJobKeysOf(alice),
          recipientCards: [bob.card.bytes],
          recoveryCard: null,
          files: [{ path: join(folder, 'big.bin') }],
          note: '',
          output: join(folder, 'c.medseal'),
        },
        { onProgress: () => cancelled.cancel() },
      );
      expect(((await cancelled.done.catch((caught: unknown) => caught)) as JobFailed).code).toBe('CANCELLED');
      const content = await writeSample(join(folder, 'a.bin'), 10 * 1024 * 1024 + 1); // chunk workers too
      for (const round of [1, 2]) {
        const seal = {
          kind: 'seal' as const,
          ...sealJobKeysOf(alice),
          recipientCards: [bob.card.bytes],
          recoveryCard: null,
          files: [{ path: join(folder, 'a.bin') }],
          note: '',
          output: join(folder, `p${round}.medseal`),
        };
        const sealing = kept.run(seal, {});
        const sealed = await sealing.done;
        cancelled.cancel(); // the first job's handle, long settled
        sealing.cancel();
        await mkdir(join(folder, `out${round}`));
        const opening = kept.run(
          {
            kind: 'open',
            ...openJobKeysOf(bob),
            packagePath: seal.output,
            folder: join(folder, `out${round}`),
            expectedPackageHash: sealed.packageHash,
          },
          {},
        );
        cancelled.cancel();
        const opened = await opening.done;
        expect((await readFile(opened.paths[0]!)).equals(content)).toBe(true);
      }
      expect(kept.started).toBe(1);
    } finally {
      await kept.stopIdle();
    }
  });

  it('a damaged package fails with its own code, and nothing is saved', async () => {
    const folder = await tempFolder();
    await writeSample(join(folder, 'a.bin'), 100_000);
    const sealed = await jobs.run(
      {
        kind: 'seal',
        ...sealJobKeysOf(alice),
        recipientCards: [bob.card.bytes],
        recoveryCard: null,
        files: [{ path: join(folder, 'a.bin') }],
        note: '',
        output: join(folder, 'p.medseal'),
      },
      {},
    ).done;
    const bytes = await readFile(join(folder, 'p.medseal'));
    bytes[bytes.length - 5]! ^= 1;
    await writeFile(join(folder, 'p.medseal'), bytes);
    await mkdir(join(folder, 'out'));
    const error = await jobs
      .run(
        {
          kind: 'open',
          ...openJobKeysOf(bob),
          packagePath: join(folder, 'p.medseal'),
          folder: join(folder, 'out'),
          expectedPackageHash: sealed.packageHash,
        },
        {},
      )
      .done.catch((caught: unknown) => caught);
    expect((error as JobFailed).code).toBe('PACKAGE_TAMPERED');
    expect((error as JobFailed).category).toBe('damaged-package');
    expect(await readdir(join(folder, 'out'))).toEqual([]);
  });

  it('a worker that dies tells the log its kind of failure (no message, no path), and the job fails as INTERNAL', async () => {
    const folder = await tempFolder();
    const script = join(folder, 'dies.cjs');
    await writeFile(script, "throw new RangeError('/home/someone/Quibble_MRN4417.pdf');\n");
    const reasons: string[] = [];
    const dying = new WorkerPackageJobs(script, (reason) => reasons.push(reason));
    const error = await dying
      .run(
        {
          kind: 'seal',
          ...sealJobKeysOf(alice),
          recipientCards: [bob.card.bytes],
          recoveryCard: null,
          files: [],
          note: '',
          output: join(folder, 'p.medseal'),
        },
        {},
      )
      .done.catch((caught: unknown) => caught);
    expect((error as JobFailed).code).toBe('INTERNAL');
    expect(reasons).toEqual(['package worker: RangeError']);
  });
});
