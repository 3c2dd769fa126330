/**
 * Crash robustness: the `medseal` CLI is killed (SIGKILL: no cleanup code
 * runs) at random points while sealing and while opening, over and over.
 * After every kill the destination holds either the complete, verified
 * output or nothing; the next start removes the temp files the crash left;
 * the database passes SQLite's integrity check and the audit chain verifies.
 *
 * CI runs a few kills of each; the long run (docs/PERFORMANCE.md) is
 * `CRASH_RUNS=50 npx vitest run test/crash`. CRASH_SEED replays a run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../main/crypto/primitives.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { scaled } from '../helpers/time.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
const PASS = 'correct horse battery staple';
const RUNS = Number(process.env.CRASH_RUNS ?? 4);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const INPUT_BYTES = 24 * 2 ** 20 + 12_345; // enough chunks to go through the worker threads
const PARTIAL = '.medseal-partial-';

let work: string;
let inputDigest: string;
/** How long a full run takes, and how much of that comes after its temp file appears (writing the data). */
interface Timing {
  readonly totalMs: number;
  readonly workMs: number;
}
let sealTiming: Timing;
let openTiming: Timing;

/** A small seeded generator, so a failing run can be replayed with CRASH_SEED. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function medseal(home: string, args: string[]) {
  const result = spawnSync(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
    encoding: 'utf8',
  });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

/**
 * Runs the CLI and SIGKILLs it (if still running) at a random point: three times in four while the
 * data is being written (`delay` after the temp file appears in `watch`), else `delay` after start
 * (start-up, unlock, header). Resolves when the process is gone.
 */
async function runAndKill(
  home: string,
  args: string[],
  watch: string,
  random: () => number,
  timing: Timing,
): Promise<void> {
  const child = start(home, args, watch);
  if (random() < 0.75) {
    await child.partialSeen;
    await sleep(random() * timing.workMs * 1.2);
  } else {
    await sleep(random() * timing.totalMs * 1.1);
  }
  child.process.kill('SIGKILL');
  await child.exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the CLI; `partialSeen` resolves when a temp file appears in `watch` (or the process ends). */
function start(home: string, args: string[], watch = work) {
  const child = spawn(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
    stdio: 'ignore',
  });
  let running = true;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))).finally(
    () => (running = false),
  );
  const partialSeen = (async () => {
    while (running && (await partialsIn(watch)).length === 0) await sleep(2);
    return Date.now();
  })();
  return { process: child, exited, partialSeen };
}

/** One full run, watched: its total time and the time after the temp file appeared. */
async function observe(home: string, args: string[], watch: string): Promise<Timing> {
  const started = Date.now();
  const child = start(home, args, watch);
  const seen = await child.partialSeen;
  expect(await child.exited).toBe(0);
  const ended = Date.now();
  return { totalMs: ended - started, workMs: Math.max(10, ended - seen) };
}

async function partialsIn(folder: string): Promise<string[]> {
  return (await readdir(folder).catch(() => [] as string[])).filter((name) => name.startsWith(PARTIAL));
}

/** The next start of the profile (any command) must clean up, and leave a sound database and audit chain. */
async function nextStartIsClean(home: string, folders: string[]): Promise<void> {
  const verified = medseal(home, ['audit', 'verify']);
  expect(verified.code, `audit verify after a kill (seed ${SEED}): ${verified.stderr}`).toBe(0);
  for (const folder of folders)
    expect(await partialsIn(folder), `temp files left in ${folder} (seed ${SEED})`).toEqual([]);
  const db = new Database(join(work, home, 'medseal.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) AS n FROM temp_files').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}

async function digestOf(path: string): Promise<string> {
  return sha256(await readFile(path)).toString('hex');
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/medseal.cjs is missing: run "npm run build" first (npm test does).');
  work = await mkdtemp(join(tmpdir(), 'medseal-crash-'));
  for (const [home, name, email] of [
    ['alice', 'Dr Alice Adams', 'alice@general.example'],
    ['bob', 'Dr Bob Brown', 'bob@clinic.example'],
  ]) {
    const created = medseal(home!, ['identity', 'create', '--name', name!, '--org', 'Test Org', '--email', email!]);
    expect(created.code, created.stderr).toBe(0);
  }
  await writeFile(join(work, 'bob.medseal-contact'), medseal('bob', ['identity', 'export-card']).stdout);
  await writeFile(join(work, 'alice.medseal-contact'), medseal('alice', ['identity', 'export-card']).stdout);
  expect(medseal('alice', ['contacts', 'import', 'bob.medseal-contact']).code).toBe(0);
  expect(medseal('bob', ['contacts', 'import', 'alice.medseal-contact']).code).toBe(0);
  const input = randomBytes(INPUT_BYTES);
  inputDigest = sha256(input).toString('hex');
  await writeFile(join(work, 'scan.bin'), input);
  sealTiming = await observe(
    'alice',
    ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'reference.medseal'],
    work,
  );
  openTiming = await observe('bob', ['open', 'reference.medseal', '-o', 'reference-out'], join(work, 'reference-out'));
  console.info(
    `crash loop: ${RUNS} kills each, seed ${SEED}; seal ${JSON.stringify(sealTiming)}, open ${JSON.stringify(openTiming)}`,
  );
}, scaled(120_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('SIGKILL at random points', () => {
  it(
    `while sealing: the package is complete and opens, or absent (${RUNS} kills)`,
    async () => {
      const random = randomFrom(SEED);
      let complete = 0;
      for (let run = 0; run < RUNS; run++) {
        const output = `killed-${run}.medseal`;
        await runAndKill(
          'alice',
          ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', output],
          work,
          random,
          sealTiming,
        );
        if (existsSync(join(work, output))) {
          // Whatever exists under the package name must be the whole package: Bob opens it and gets the file.
          const out = join(work, `check-${run}`);
          const opened = medseal('bob', ['open', output, '-o', out]);
          expect(opened.code, `run ${run} (seed ${SEED}): ${opened.stderr}`).toBe(0);
          expect(await digestOf(join(out, 'scan.bin'))).toBe(inputDigest);
          await rm(out, { recursive: true });
          complete++;
        }
        await nextStartIsClean('alice', [work]);
        await rm(join(work, output), { force: true });
      }
      console.info(
        `crash loop, seal: ${RUNS} kills, ${complete} after the package was complete, ${RUNS - complete} before (nothing left)`,
      );
    },
    RUNS * 20_000 + 60_000,
  );

  it(
    `while opening: the file is complete and verified, or absent (${RUNS} kills)`,
    async () => {
      const random = randomFrom(SEED + 1);
      let complete = 0;
      for (let run = 0; run < RUNS; run++) {
        const out = join(work, `opened-${run}`);
        await runAndKill('bob', ['open', 'reference.medseal', '-o', out], out, random, openTiming);
        const names = (await readdir(out).catch(() => [] as string[])).filter((name) => !name.startsWith(PARTIAL));
        if (names.length > 0) {
          expect(names).toEqual(['scan.bin']);
          expect(await digestOf(join(out, 'scan.bin')), `run ${run} (seed ${SEED})`).toBe(inputDigest);
          complete++;
        }
        await nextStartIsClean('bob', [out]);
        await rm(out, { recursive: true, force: true });
      }
      console.info(
        `crash loop, open: ${RUNS} kills, ${complete} after the file was complete, ${RUNS - complete} before (nothing left)`,
      );
    },
    RUNS * 20_000 + 60_000,
  );
});
