/**
 * Benchmark (not a test): many small packages (one 50 KiB file each, a PDF's
 * size) sealed by the built CLI three ways, unlock at full Argon2id strength
 * included: one `medseal seal` per file, one `medseal seal --batch`, and the
 * hot folder (`medseal watch`, which also delivers each package into the
 * recipient's inbox on a shared folder). Prints seconds and packages per
 * second for each. Separate calls cost the same each (one process, one
 * unlock), so `--separate-sample N` times N of them and scales to the count,
 * saying so (500 separate calls take over half an hour on 2 cores).
 * Usage: node dist/bench/batch-vs-separate.mjs [--count 100] [--separate-sample N] [--folder DIR]
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argument } from './bench-args.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'cli', 'medseal.cjs');
const PASS = 'correct horse battery staple for the benchmark';

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli/medseal.cjs is missing: run npm run build first');
  const count = Number(argument('--count', '100'));
  const sample = Math.min(count, Number(argument('--separate-sample', String(count))));
  const work = await mkdtemp(
    join(argument('--folder', existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'medseal-batch-'),
  );
  const env = { ...process.env, MEDSEAL_PASSPHRASE: PASS };
  const medseal = (home: string, args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, '--home', join(work, home), ...args], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`medseal ${args[0]} failed: ${result.stderr}`);
    return result.stdout;
  };
  try {
    medseal('sender', ['identity', 'create', '--name', 'Sender', '--org', 'Bench', '--email', 'sender@bench.example']);
    medseal('lab', ['identity', 'create', '--name', 'Lab', '--org', 'Bench', '--email', 'lab@bench.example']);
    medseal('lab', ['identity', 'export-card', '-o', join(work, 'lab.card')]);
    medseal('sender', ['contacts', 'import', join(work, 'lab.card')]);
    const share = join(work, 'share');
    await mkdir(share);
    medseal('sender', ['exchange', 'add', share]);
    medseal('lab', ['exchange', 'add', share]);
    const files = join(work, 'files');
    await mkdir(files);
    for (let index = 0; index < count; index++)
      await writeFile(join(files, `scan-${index}.pdf`), randomFillSync(Buffer.alloc(50 * 1024)));
    const rows: [string, number][] = [];

    let start = performance.now();
    for (let index = 0; index < sample; index++)
      medseal('sender', [
        'seal',
        join(files, `scan-${index}.pdf`),
        '--to',
        'lab@bench.example',
        '-o',
        join(work, `separate-${index}.medseal`),
      ]);
    const separate = ((performance.now() - start) / 1000) * (count / sample);
    rows.push([
      sample === count ? `${count} × medseal seal` : `${count} × medseal seal (${sample} timed, scaled)`,
      separate,
    ]);

    const manifest = Array.from({ length: count }, (_, index) =>
      JSON.stringify({
        files: [join(files, `scan-${index}.pdf`)],
        to: ['lab@bench.example'],
        output: join(work, `batch-${index}.medseal`),
      }),
    ).join('\n');
    await writeFile(join(work, 'manifest.jsonl'), manifest);
    start = performance.now();
    medseal('sender', ['seal', '--batch', join(work, 'manifest.jsonl')]);
    rows.push([`medseal seal --batch (${count} lines)`, (performance.now() - start) / 1000]);

    const outbox = join(work, 'outbox');
    await mkdir(join(outbox, 'lab@bench.example'), { recursive: true });
    start = performance.now();
    const watcher = spawn(
      process.execPath,
      [CLI, '--home', join(work, 'sender'), 'watch', '--outbox', outbox, '--settle-ms', '200', '--interval-ms', '100'],
      { env },
    );
    let done = 0;
    watcher.stdout.on(
      'data',
      (chunk: Buffer) =>
        (done += chunk
          .toString()
          .split('\n')
          .filter((line) => line.startsWith('{')).length),
    );
    for (let index = 0; index < count; index++)
      await writeFile(join(outbox, 'lab@bench.example', `scan-${index}.pdf`), randomFillSync(Buffer.alloc(50 * 1024)));
    while (done < count) await new Promise((resolve) => setTimeout(resolve, 50));
    rows.push([`medseal watch (${count} files, each also delivered)`, (performance.now() - start) / 1000]);
    watcher.kill('SIGTERM');
    const sent = (await readdir(join(outbox, 'sent'), { recursive: true })).filter((name) =>
      String(name).endsWith('.medseal'),
    ).length;

    console.log(`Many small packages (50 KiB each), built CLI, Argon2id at full strength, folder ${work}`);
    console.log('');
    console.log('| way | seconds | packages/s |');
    console.log('| --- | ---: | ---: |');
    for (const [way, seconds] of rows)
      console.log(`| ${way} | ${seconds.toFixed(1)} | ${(count / seconds).toFixed(1)} |`);
    console.log('');
    console.log(`watch: ${sent} packages in sent/ (of ${count})`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

void main();
