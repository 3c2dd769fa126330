/**
 * Benchmark (not a test): seal and open one file for 1 and 10 recipients,
 * side by side with Debian's `age` on the same file (when installed), with
 * MB/s, the ratio MedSeal/age and peak RSS; a markdown table on stdout and
 * JSON with --json FILE.
 * Usage: node dist/bench/seal-open-throughput.mjs [--sizes-mib 64,1024] [--recipients 1,10] [--runs 3]
 *        [--folder DIR (default: the OS temp folder)] [--json docs/bench/results.json]
 *        [--format 2 (post-quantum identities, the default) | 1 (identities made before post-quantum keys)]
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { benchIdentity } from './bench-identity.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { createKeystore, unlockKeystore } from '../../main/identity/keystore.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { chunkThreads } from '../../main/package/payload/chunk-cipher.js';
import { argument } from './bench-args.js';

/** Format version 2 packages (every identity post-quantum) unless --format 1. */
const postQuantum = argument('--format', '2') !== '1';

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(8 * 2 ** 20);
  for (let written = 0; written < bytes; written += block.length) {
    const piece = block.subarray(0, Math.min(block.length, bytes - written));
    randomFillSync(piece);
    await handle.write(piece);
  }
  await handle.sync(); // so its write-back does not run during the first measurement
  await handle.close();
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; peakRssMiB: number }> {
  peakRss = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, peakRssMiB: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20 };
}

interface AgeTimes {
  /** Seconds for `age` plus an fsync of its output: the same durability MedSeal always gives. */
  readonly seal: number;
  readonly open: number;
  /** Seconds for `age` alone (it does not fsync). */
  readonly sealNoSync: number;
  readonly openNoSync: number;
}

/** One `age -r` and one `age -d` of `input`, each followed by `sync FILE` (an fsync) timed separately. */
function ageTimes(input: string, folder: string, recipients: number): AgeTimes | null {
  if (spawnSync('age', ['--version']).status !== 0) return null;
  const keys = Array.from({ length: recipients }, (_, index) => {
    const keyFile = join(folder, `age-key-${index}.txt`);
    spawnSync('age-keygen', ['-o', keyFile]);
    return { keyFile, recipient: spawnSync('age-keygen', ['-y', keyFile]).stdout.toString().trim() };
  });
  const time = (command: string, args: string[]) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${command} failed`);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const sealed = join(folder, 'file.age');
  const opened = join(folder, 'file.age.out');
  const sealNoSync = time('age', [...keys.flatMap((key) => ['-r', key.recipient]), '-o', sealed, input]);
  const sealSync = time('sync', [sealed]);
  const openNoSync = time('age', ['-d', '-i', keys[0]!.keyFile, '-o', opened, sealed]);
  const openSync = time('sync', [opened]);
  spawnSync('rm', ['-f', sealed, opened]);
  return { seal: sealNoSync + sealSync, open: openNoSync + openSync, sealNoSync, openNoSync };
}

interface Row {
  sizeMiB: number;
  recipients: number;
  runs: number;
  sealMBps: number;
  openMBps: number;
  ageSealMBps: number | null;
  ageOpenMBps: number | null;
  sealRatio: number | null;
  openRatio: number | null;
  ageSealNoSyncMBps: number | null;
  ageOpenNoSyncMBps: number | null;
  peakRssMiB: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

/** `runs` rounds of MedSeal seal + open, then age seal + open, alternating; the median of each. */
async function measure(
  sizeMiB: number,
  recipientCount: number,
  runs: number,
  folder: string,
  input: string,
  sender: UnlockedIdentity,
  readers: UnlockedIdentity[],
): Promise<Row> {
  const bytes = sizeMiB * 2 ** 20;
  const pkg = join(folder, 'file.medseal');
  const out = join(folder, 'out');
  const seconds = {
    seal: [] as number[],
    open: [] as number[],
    ageSeal: [] as number[],
    ageOpen: [] as number[],
    ageSealNoSync: [] as number[],
    ageOpenNoSync: [] as number[],
  };
  let peak = 0;
  for (let run = 0; run < runs; run++) {
    const seal = await timed(() =>
      sealPackage({
        sender,
        recipients: readers.slice(0, recipientCount).map((reader) => reader.card),
        files: [{ path: input }],
        output: pkg,
      }),
    );
    await mkdir(out);
    const opening = await timed(async () => {
      const opened = await openPackage(pkg, readers[0]!);
      await opened.extractTo(out);
      await opened.close();
    });
    await rm(pkg, { force: true });
    await rm(out, { recursive: true, force: true });
    seconds.seal.push(seal.seconds);
    seconds.open.push(opening.seconds);
    peak = Math.max(peak, seal.peakRssMiB, opening.peakRssMiB);
    const age = ageTimes(input, folder, recipientCount);
    if (age) {
      seconds.ageSeal.push(age.seal);
      seconds.ageOpen.push(age.open);
      seconds.ageSealNoSync.push(age.sealNoSync);
      seconds.ageOpenNoSync.push(age.openNoSync);
    }
  }
  const mbps = (values: number[]) => (values.length === 0 ? null : Math.round(bytes / 1e6 / median(values)));
  const ratio = (ours: number, theirs: number | null) => (theirs === null ? null : Number((ours / theirs).toFixed(2)));
  const sealMBps = mbps(seconds.seal)!;
  const openMBps = mbps(seconds.open)!;
  return {
    sizeMiB,
    recipients: recipientCount,
    runs,
    sealMBps,
    openMBps,
    ageSealMBps: mbps(seconds.ageSeal),
    ageOpenMBps: mbps(seconds.ageOpen),
    sealRatio: ratio(sealMBps, mbps(seconds.ageSeal)),
    openRatio: ratio(openMBps, mbps(seconds.ageOpen)),
    ageSealNoSyncMBps: mbps(seconds.ageSealNoSync),
    ageOpenNoSyncMBps: mbps(seconds.ageOpenNoSync),
    peakRssMiB: Math.round(peak),
  };
}

/** Unlock time at the default Argon2id strength, and one package of 100 small files. */
async function otherFigures(): Promise<{ unlockMs: number; smallFilesMs: number }> {
  const folder = await mkdtemp(join(tmpdir(), 'medseal-bench-small-'));
  try {
    const passphrase = 'benchmark passphrase, long enough';
    const { keystoreText, identity: sender } = await createKeystore({
      profile: { name: 'Bench', organisation: 'Bench', role: '', email: 'bench@bench.example' },
      passphrase,
    });
    let start = process.hrtime.bigint();
    (await unlockKeystore(keystoreText, passphrase)).wipe();
    const unlockMs = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
    const files = [];
    for (let index = 0; index < 100; index++) {
      const path = join(folder, `file-${index}.bin`);
      await writeFile(path, randomFillSync(Buffer.alloc(1024 + ((index * 197) % 19) * 1024)));
      files.push({ path });
    }
    const reader = await benchIdentity('Reader', { postQuantum });
    start = process.hrtime.bigint();
    await sealPackage({ sender, recipients: [reader.card], files, output: join(folder, 'small.medseal') });
    return { unlockMs, smallFilesMs: Math.round(Number(process.hrtime.bigint() - start) / 1e6) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = argument('--sizes-mib', '64,1024').split(',').map(Number);
  const recipientCounts = argument('--recipients', '1,10').split(',').map(Number);
  const runs = Number(argument('--runs', '3'));
  const folder = await mkdtemp(join(argument('--folder', tmpdir()), 'medseal-bench-'));
  const rows: Row[] = [];
  try {
    const sender = await benchIdentity('Alice', { postQuantum });
    const readers = await Promise.all(
      Array.from({ length: Math.max(...recipientCounts) }, (_, index) =>
        benchIdentity(`Reader${index}`, { postQuantum }),
      ),
    );
    for (const sizeMiB of sizes) {
      const input = join(folder, 'input.bin');
      await writeRandomFile(input, sizeMiB * 2 ** 20);
      for (const count of recipientCounts)
        rows.push(await measure(sizeMiB, count, runs, folder, input, sender, readers));
      await rm(input, { force: true });
    }
  } finally {
    clearInterval(sampler);
    await rm(folder, { recursive: true, force: true });
  }
  const cell = (value: number | null) => (value === null ? 'n/a' : String(value));
  console.log(
    `MedSeal (format version ${postQuantum ? 2 : 1}) vs age — seal and open one file, 1 MiB chunks, median of ${runs} alternating runs, node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), folder ${folder}`,
  );
  console.log(
    'age is timed with an fsync of its output, as MedSeal always syncs before it publishes; age without it in brackets.',
  );
  console.log('');
  console.log(
    '| size | recipients | MedSeal seal MB/s | age -r MB/s | ratio | MedSeal open MB/s | age -d MB/s | ratio | peak RSS MiB |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.sizeMiB} MiB | ${row.recipients} | ${row.sealMBps} | ${cell(row.ageSealMBps)} (${cell(row.ageSealNoSyncMBps)}) | ${cell(row.sealRatio)} | ${row.openMBps} | ${cell(row.ageOpenMBps)} (${cell(row.ageOpenNoSyncMBps)}) | ${cell(row.openRatio)} | ${row.peakRssMiB} |`,
    );
  }
  const other = await otherFigures();
  console.log('');
  console.log(`Unlock (Argon2id, opsLimit 3, 256 MiB — the default for new identities): ${other.unlockMs} ms`);
  console.log(`Seal 100 small files (1–20 KiB) into one package for 1 recipient: ${other.smallFilesMs} ms`);
  const output = argument('--json', '');
  if (output) {
    await mkdir(dirname(output), { recursive: true });
    await writeFile(
      output,
      `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? null, cores: cpus().length, runs, chunkThreads: chunkThreads(2 ** 30), throughput: rows, unlockMs: other.unlockMs, seal100SmallFilesMs: other.smallFilesMs }, null, 2)}\n`,
    );
  }
}

await main();
