/**
 * Benchmark (not a test): whole commands as a user runs them, the built
 * `medseal` CLI (unlock included) side by side with `age`, interleaved:
 * (MedSeal's seal and open, then age's, in each round) wall seconds, the speed relative to age with each tool's fixed cost (a
 * 16-byte file) subtracted, CPU-seconds per GiB (user + system) and the
 * peak RSS of the whole process (/usr/bin/time), per size and recipient
 * count; with --cores 1,2 the same on one core (taskset) and a projection
 * for 4 and 8 cores (Amdahl, from the 1 → 2 core speed-up: a projection).
 * age's output is fsynced like MedSeal's (MedSeal fsyncs what it publishes).
 * With --fill-gib 0,4 (the default) each measurement is made with the
 * tmpfs empty and again with 4 GiB of other files on it (a busy
 * workstation's memory), and the kernel's share (system-s/GiB) is shown.
 * Each round also runs the app's own path (app-path.ts: the package worker
 * as the renderer starts it, on an unlocked profile, so beside age with
 * age's fixed cost subtracted) with the main event loop's p99 delay.
 * Usage: node dist/bench/whole-command.mjs [--sizes-mib 1024,4096] [--recipients 1,10,100] [--runs 3]
 *        [--cores 2] [--fill-gib 0,4] [--folder DIR (default: /dev/shm when there, else the OS temp folder)]
 *        [--json FILE] [--baseline-cli OTHER/dist/cli/medseal.cjs]
 * With --baseline-cli, another build's CLI (an earlier commit's, built in a
 * worktree) runs its seal and open in each round too, interleaved with this
 * one's on the same profiles, and a before/after table follows: the VM's
 * speed swings between periods by more than most changes are worth.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash, randomFillSync } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultChunkThreads } from '../../main/package/payload/chunk-cipher.js';
import type { AppPathFigures } from './app-path.js';
import { argument } from './bench-args.js';
import { randomFile } from './random-file.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'cli', 'medseal.cjs');
const APP_PATH = join(here, 'app-path.mjs');
const PASS = 'correct horse battery staple for the benchmark';

const numbers = (text: string) => text.split(',').map(Number);

interface Run {
  readonly wall: number;
  readonly cpu: number;
  /** The kernel's share of `cpu` (page faults, copies into the page cache). */
  readonly system: number;
  readonly rssMiB: number;
}

/** Runs a command under /usr/bin/time (optionally pinned with taskset); its figures, or throws with its stderr. */
function timed(command: string[], cores: number, env: NodeJS.ProcessEnv = {}): Run {
  const pin = cores > 0 ? ['taskset', '-c', Array.from({ length: cores }, (_, i) => i).join(',')] : [];
  const out = join(tmpdir(), `medseal-bench-time-${process.pid}`);
  const result = spawnSync('/usr/bin/time', ['-o', out, '-f', '%e %U %S %M', ...pin, ...command], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024, // a seal to 100 recipients says something of each
  });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  const [wall = 0, user = 0, system = 0, rssKiB = 0] = spawnSync('tail', ['-n', '1', out], { encoding: 'utf8' })
    .stdout.trim()
    .split(/\s+/)
    .map(Number);
  return { wall, cpu: user + system, system, rssMiB: rssKiB / 1024 };
}

/** The app's path (app-path.ts) on `input`, pinned like the commands; its figures, or throws with its stderr. */
function appPath(
  input: string,
  recipients: number,
  cores: number,
  folder: string,
): { seal: AppPathFigures; open: AppPathFigures } {
  const pin = cores > 0 ? ['taskset', '-c', Array.from({ length: cores }, (_, i) => i).join(',')] : [];
  const command = [...pin, 'node', APP_PATH, '--input', input, '--recipients', String(recipients), '--folder', folder];
  const result = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { seal: AppPathFigures; open: AppPathFigures };
}

/** A set-up command (not measured), run without blocking so that two can run at once; throws with its stderr. */
function setUp(command: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command.join(' ')} failed: ${stderr}`)),
    );
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli/medseal.cjs is missing: run npm run build first');
  if (spawnSync('age', ['--version']).error) throw new Error('age is not installed (Debian package age)');
  const base = argument('--folder', existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const work = await mkdtemp(join(base, 'medseal-whole-'));
  const sizes = numbers(argument('--sizes-mib', '1024'));
  const recipientCounts = numbers(argument('--recipients', '1,10'));
  const runs = Number(argument('--runs', '3'));
  const coreCounts = numbers(argument('--cores', '2'));
  const fillLevels = numbers(argument('--fill-gib', '0,4'));
  const env = { MEDSEAL_PASSPHRASE: PASS };
  const baselineCli = argument('--baseline-cli', '');
  if (baselineCli && !existsSync(baselineCli)) throw new Error(`${baselineCli} is missing`);
  const medseal = (home: string, args: string[], cli = CLI) => ['node', cli, '--home', join(work, home), ...args];
  try {
    // Recipient identities for both tools; MedSeal's at the default Argon2id strength.
    const maxRecipients = Math.max(...recipientCounts);
    timed(
      medseal('sender', [
        'identity',
        'create',
        '--name',
        'Sender',
        '--org',
        'Bench',
        '--email',
        'sender@bench.example',
      ]),
      0,
      env,
    );
    // Addresses far apart, so that 100 recipients are not 9,900 look-alike warnings.
    const email = (i: number) => `r${createHash('sha256').update(String(i)).digest('hex').slice(0, 12)}@bench.example`;
    // Set-up, not measured: two recipients at a time (separate profiles), then the imports one by one.
    for (let i = 0; i < maxRecipients; i += 2)
      await Promise.all(
        [i, i + 1]
          .filter((n) => n < maxRecipients)
          .map(async (n) => {
            await setUp(
              medseal(`r${n}`, [
                'identity',
                'create',
                '--name',
                `Recipient ${n}`,
                '--org',
                'Bench',
                '--email',
                email(n),
              ]),
              env,
            );
            await setUp(medseal(`r${n}`, ['identity', 'export-card', '-o', join(work, `r${n}.card`)]), env);
          }),
      );
    const ageRecipients: string[] = [];
    for (let i = 0; i < maxRecipients; i++) {
      timed(medseal('sender', ['contacts', 'import', join(work, `r${i}.card`)]), 0, env);
      spawnSync('age-keygen', ['-o', join(work, `age${i}.key`)]);
      ageRecipients.push(/public key: (\S+)/.exec(await readFile(join(work, `age${i}.key`), 'utf8'))?.[1] ?? '');
    }
    const to = (count: number) => Array.from({ length: count }, (_, i) => email(i));
    const ageTo = (count: number) => ageRecipients.slice(0, count).flatMap((key) => ['-r', key]);
    const rows: Record<string, unknown>[] = [];
    /** One build's (or age's) seal and open runs of a row. */
    interface SealOpen<T> {
      readonly seal: T;
      readonly open: T;
    }
    /** Per row with --baseline-cli: this build's and the baseline's medians from the same rounds. */
    const compared: { row: string; gib: number; now: SealOpen<Run>; baseline: SealOpen<Run> }[] = [];

    const measure = async (input: string, count: number, cores: number, withApp = true) => {
      const current: SealOpen<Run[]> = { seal: [], open: [] };
      const baseline: SealOpen<Run[]> = { seal: [], open: [] };
      const age: SealOpen<Run[]> = { seal: [], open: [] };
      const app = { seal: [] as AppPathFigures[], open: [] as AppPathFigures[] };
      const pkg = join(work, 'p.medseal');
      const out = join(work, 'out');
      // One tool's files are removed before the other's are written: 4 GiB × 3 must fit in a tmpfs.
      const sealAndOpen = async (cli: string, into: SealOpen<Run[]>) => {
        into.seal.push(timed(medseal('sender', ['seal', input, '--to', ...to(count), '-o', pkg], cli), cores, env));
        into.open.push(timed(medseal('r0', ['open', pkg, '-o', out], cli), cores, env));
        await rm(pkg, { force: true });
        await rm(out, { recursive: true, force: true });
      };
      for (let run = 0; run < runs; run++) {
        await rm(pkg, { force: true });
        await rm(out, { recursive: true, force: true });
        // This build's seal and open, and the baseline's, each first in every other round.
        const baselineFirst = run % 2 === 1;
        if (baselineCli && baselineFirst) await sealAndOpen(baselineCli, baseline);
        await sealAndOpen(CLI, current);
        if (baselineCli && !baselineFirst) await sealAndOpen(baselineCli, baseline);
        age.seal.push(
          timed(
            ['sh', '-c', `age ${ageTo(count).join(' ')} -o "$1" "$2" && sync "$1"`, 'sh', join(work, 'p.age'), input],
            cores,
          ),
        );
        age.open.push(
          timed(
            [
              'sh',
              '-c',
              'age -d -i "$1" -o "$2" "$3" && sync "$2"',
              'sh',
              join(work, 'age0.key'),
              join(work, 'age.out'),
              join(work, 'p.age'),
            ],
            cores,
          ),
        );
        await rm(join(work, 'p.age'), { force: true });
        await rm(join(work, 'age.out'), { force: true });
        if (withApp) {
          const figuresOfApp = appPath(input, count, cores, work);
          app.seal.push(figuresOfApp.seal);
          app.open.push(figuresOfApp.open);
        }
      }
      const summary = (list: Run[]) => ({
        wall: median(list.map((r) => r.wall)),
        cpu: median(list.map((r) => r.cpu)),
        system: median(list.map((r) => r.system)),
        rssMiB: Math.max(...list.map((r) => r.rssMiB)),
      });
      const appSummary = (list: AppPathFigures[]) => ({
        wall: median(list.map((r) => r.wall)),
        p99Ms: median(list.map((r) => r.p99Ms)),
      });
      return {
        appSeal: appSummary(app.seal),
        appOpen: appSummary(app.open),
        seal: summary(current.seal),
        ageSeal: summary(age.seal),
        open: summary(current.open),
        ageOpen: summary(age.open),
        baseline: baselineCli ? { seal: summary(baseline.seal), open: summary(baseline.open) } : undefined,
      };
    };

    // Other files on the tmpfs (as on a busy workstation, whose memory holds other work): each
    // fill level is measured with that many GiB of random files kept there throughout.
    for (const fillGiB of fillLevels) {
      for (let i = 0; i < fillGiB; i++) await randomFile(join(work, `other-${i}.bin`), 1024 * 1024 * 1024);
      for (const cores of coreCounts) {
        const tiny = join(work, 'tiny.bin');
        await writeFile(tiny, randomFillSync(Buffer.alloc(16)));
        const fixed = await measure(tiny, 1, cores, false);
        for (const sizeMiB of sizes) {
          const input = join(work, 'input.bin');
          await randomFile(input, sizeMiB * 1024 * 1024);
          for (const count of recipientCounts) {
            const m = await measure(input, count, cores);
            const gib = sizeMiB / 1024;
            if (m.baseline)
              compared.push({
                row: `${fillGiB} GiB | ${cores} | ${sizeMiB} MiB | ${count}`,
                gib,
                now: { seal: m.seal, open: m.open },
                baseline: m.baseline,
              });
            const ratio = (
              medsealRun: { wall: number },
              ageRun: { wall: number },
              medsealFixed: { wall: number },
              ageFixed: { wall: number },
            ) => (ageRun.wall - ageFixed.wall) / Math.max(0.001, medsealRun.wall - medsealFixed.wall);
            rows.push({
              fillGiB,
              cores,
              sizeMiB,
              recipients: count,
              sealSeconds: m.seal.wall,
              ageSealSeconds: m.ageSeal.wall,
              sealRatio: ratio(m.seal, m.ageSeal, fixed.seal, fixed.ageSeal),
              openSeconds: m.open.wall,
              ageOpenSeconds: m.ageOpen.wall,
              openRatio: ratio(m.open, m.ageOpen, fixed.open, fixed.ageOpen),
              sealCpuPerGiB: (m.seal.cpu - fixed.seal.cpu) / gib,
              ageSealCpuPerGiB: (m.ageSeal.cpu - fixed.ageSeal.cpu) / gib,
              openCpuPerGiB: (m.open.cpu - fixed.open.cpu) / gib,
              ageOpenCpuPerGiB: (m.ageOpen.cpu - fixed.ageOpen.cpu) / gib,
              sealSystemPerGiB: (m.seal.system - fixed.seal.system) / gib,
              ageSealSystemPerGiB: (m.ageSeal.system - fixed.ageSeal.system) / gib,
              openSystemPerGiB: (m.open.system - fixed.open.system) / gib,
              ageOpenSystemPerGiB: (m.ageOpen.system - fixed.ageOpen.system) / gib,
              sealRssMiB: m.seal.rssMiB,
              openRssMiB: m.open.rssMiB,
              ageRssMiB: Math.max(m.ageSeal.rssMiB, m.ageOpen.rssMiB),
              appSealSeconds: m.appSeal.wall,
              appSealRatio: (m.ageSeal.wall - fixed.ageSeal.wall) / Math.max(0.001, m.appSeal.wall),
              appSealP99Ms: m.appSeal.p99Ms,
              appOpenSeconds: m.appOpen.wall,
              appOpenRatio: (m.ageOpen.wall - fixed.ageOpen.wall) / Math.max(0.001, m.appOpen.wall),
              appOpenP99Ms: m.appOpen.p99Ms,
              fixedSealSeconds: fixed.seal.wall,
              fixedOpenSeconds: fixed.open.wall,
            });
          }
          await rm(input, { force: true });
        }
      }
      for (let i = 0; i < fillGiB; i++) await rm(join(work, `other-${i}.bin`), { force: true });
    }

    const f = (value: unknown, digits = 2) => (typeof value === 'number' ? value.toFixed(digits) : String(value));
    console.log(
      `Whole commands, folder ${base} (${work}), ${runs} interleaved runs, medians; ratio = age's time / MedSeal's, fixed costs subtracted (≥ 1: MedSeal as fast or faster)`,
    );
    console.log(
      `Chunk workers by default: ${defaultChunkThreads()} (${availableParallelism()} cores); CPU-s and system-s per GiB with the fixed cost subtracted`,
    );
    console.log(
      '| other files on the tmpfs | cores | size | recipients | seal s | age -r s | seal ratio | open s | age -d s | open ratio | CPU-s/GiB seal (age) | CPU-s/GiB open (age) | system-s/GiB seal (age) | system-s/GiB open (age) | peak RSS MiB seal / open (age) | app seal s (ratio; p99 ms) | app open s (ratio; p99 ms) |',
    );
    console.log(
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const row of rows) {
      console.log(
        `| ${String(row.fillGiB)} GiB | ${String(row.cores)} | ${String(row.sizeMiB)} MiB | ${String(row.recipients)} | ${f(row.sealSeconds)} | ${f(row.ageSealSeconds)} | ${f(row.sealRatio)} | ${f(row.openSeconds)} | ${f(row.ageOpenSeconds)} | ${f(row.openRatio)} | ${f(row.sealCpuPerGiB)} (${f(row.ageSealCpuPerGiB)}) | ${f(row.openCpuPerGiB)} (${f(row.ageOpenCpuPerGiB)}) | ${f(row.sealSystemPerGiB)} (${f(row.ageSealSystemPerGiB)}) | ${f(row.openSystemPerGiB)} (${f(row.ageOpenSystemPerGiB)}) | ${f(row.sealRssMiB, 0)} / ${f(row.openRssMiB, 0)} (${f(row.ageRssMiB, 0)}) | ${f(row.appSealSeconds)} (${f(row.appSealRatio)}; ${f(row.appSealP99Ms, 1)}) | ${f(row.appOpenSeconds)} (${f(row.appOpenRatio)}; ${f(row.appOpenP99Ms, 1)}) |`,
      );
    }
    for (const fillGiB of fillLevels)
      for (const cores of coreCounts) {
        const row = rows.find((candidate) => candidate.cores === cores && candidate.fillGiB === fillGiB);
        console.log(
          `Fixed cost on ${cores} core(s), ${fillGiB} GiB of other files (16 bytes, unlock included): seal ${f(row?.fixedSealSeconds)} s, open ${f(row?.fixedOpenSeconds)} s`,
        );
      }
    const one = rows.filter((row) => row.cores === 1 && row.fillGiB === fillLevels[0]);
    for (const row of rows.filter((candidate) => candidate.cores === 2 && candidate.fillGiB === fillLevels[0])) {
      const single = one.find(
        (candidate) => candidate.sizeMiB === row.sizeMiB && candidate.recipients === row.recipients,
      );
      if (!single) continue;
      for (const kind of ['seal', 'open'] as const) {
        const t1 =
          Number(single[`${kind}Seconds`]) - Number(single[kind === 'seal' ? 'fixedSealSeconds' : 'fixedOpenSeconds']);
        const t2 =
          Number(row[`${kind}Seconds`]) - Number(row[kind === 'seal' ? 'fixedSealSeconds' : 'fixedOpenSeconds']);
        const parallel = Math.min(1, Math.max(0, 2 * (1 - t2 / t1)));
        const project = (n: number) => (t1 * (1 - parallel + parallel / n)).toFixed(2);
        console.log(
          `${kind} ${String(row.sizeMiB)} MiB, ${String(row.recipients)} recipient(s): 1 core ${t1.toFixed(2)} s, 2 cores ${t2.toFixed(2)} s; projection (Amdahl, parallel share ${(parallel * 100).toFixed(0)} %): 4 cores ${project(4)} s, 8 cores ${project(8)} s`,
        );
      }
    }
    if (compared.length > 0) {
      console.log(`\nThis build beside ${baselineCli}, same rounds (medians; system-s per GiB of the whole command):`);
      console.log(
        '| other files | cores | size | recipients | seal s (baseline) | open s (baseline) | system-s/GiB seal (baseline) | system-s/GiB open (baseline) |',
      );
      console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const { row, gib, now, baseline: before } of compared)
        console.log(
          `| ${row} | ${f(now.seal.wall)} (${f(before.seal.wall)}) | ${f(now.open.wall)} (${f(before.open.wall)}) | ${f(now.seal.system / gib)} (${f(before.seal.system / gib)}) | ${f(now.open.system / gib)} (${f(before.open.system / gib)}) |`,
        );
    }
    const json = argument('--json', '');
    if (json)
      await writeFile(json, `${JSON.stringify({ folder: base, runs, rows, baselineCli, compared }, null, 2)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
