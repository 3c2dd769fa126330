/**
 * Benchmark (not a test): the memory of a whole `seal` and `open` over time,
 * the built CLI as a user runs it, split into its two phases: the unlock
 * (Argon2id's 256 MiB in its worker, which ends with it) and the payload
 * (the chunk pipeline). Samples the process's resident memory
 * (/proc/PID/status, VmRSS) every 10 ms; the unlock phase ends where the
 * memory falls by more than half of Argon2id's from its peak. Prints the
 * peak of each phase per size, so that "flat with size" and "the payload
 * phase's memory beside Argon2id's" are figures, not impressions.
 * Usage: npm run bench:rss [-- --sizes-mib 1024,4096]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argument } from './bench-args.js';
import { randomFile } from './random-file.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'medseal.cjs');
const ENV = { ...process.env, MEDSEAL_PASSPHRASE: 'correct horse battery staple for the benchmark' };
const ARGON2_MIB = 256;

/** Runs the CLI, sampling its resident memory (MiB) every 10 ms until it ends. */
async function sampled(args: string[]): Promise<number[]> {
  const child = spawn(process.execPath, [CLI, ...args], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const samples: number[] = [];
  const timer = setInterval(() => {
    readFile(`/proc/${child.pid}/status`, 'utf8').then(
      (status) => {
        const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
        if (Number.isFinite(kib)) samples.push(kib / 1024);
      },
      () => undefined, // the process ended between two samples: nothing to read
    );
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`medseal ${args[0]} failed: ${stderr}`);
  return samples;
}

/**
 * The unlock's peak, and the payload phase's: the highest from 0.2 s after the memory fell from the
 * unlock's peak (the Argon2id worker's memory goes as the worker ends, while the payload starts).
 */
function phases(samples: readonly number[]): { unlock: number; payload: number } {
  const unlock = Math.max(...samples);
  const peakAt = samples.indexOf(unlock);
  const end = samples.findIndex((mib, at) => at > peakAt && mib < unlock - ARGON2_MIB / 2);
  const payload = end < 0 ? [] : samples.slice(end + 20);
  return { unlock, payload: payload.length > 0 ? Math.max(...payload) : NaN };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli/medseal.cjs is missing: run npm run build first');
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const work = await mkdtemp(join(base, 'medseal-rss-'));
  const home = (name: string) => ['--home', join(work, name)];
  const run = (args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { env: ENV, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`medseal ${args.join(' ')} failed: ${result.stderr}`);
  };
  try {
    for (const [name, email] of [
      ['sender', 'sender@bench.example'],
      ['reader', 'reader@bench.example'],
    ] as const) {
      run([...home(name), 'identity', 'create', '--name', name, '--org', 'Bench', '--email', email]);
      run([...home(name), 'identity', 'export-card', '-o', join(work, `${name}.card`)]);
    }
    run([...home('sender'), 'contacts', 'import', join(work, 'reader.card')]);
    console.log(`Resident memory (MiB), sampled every 10 ms; Argon2id ${ARGON2_MIB} MiB; folder ${base}`);
    console.log('| command | size | unlock peak | payload phase peak |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const sizeMiB of argument('--sizes-mib', '1024').split(',').map(Number)) {
      const input = join(work, 'input.bin');
      await randomFile(input, sizeMiB * 2 ** 20);
      const pkg = join(work, 'p.medseal');
      const figures = {
        seal: phases(await sampled([...home('sender'), 'seal', input, '--to', 'reader@bench.example', '-o', pkg])),
        open: phases(await sampled([...home('reader'), 'open', pkg, '-o', join(work, 'out')])),
      };
      for (const [command, f] of Object.entries(figures))
        console.log(`| ${command} | ${sizeMiB} MiB | ${f.unlock.toFixed(0)} | ${f.payload.toFixed(0)} |`);
      await rm(input, { force: true });
      await rm(pkg, { force: true });
      await rm(join(work, 'out'), { recursive: true, force: true });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
