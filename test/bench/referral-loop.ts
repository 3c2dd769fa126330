/**
 * Benchmark (not a test): the whole referral loop between two clinicians over
 * a real OpenSSH server on 127.0.0.1, started here — seal and deliver, the
 * partner lists the inbox, opens the package, the sender sees "opened" — in
 * the app core (its worker threads for jobs and exchanges, as the desktop app
 * runs) and through the built CLI (each command a new process, unlock at the
 * default Argon2id strength included). Prints wall time per step.
 * Usage: npm run bench:loop [-- --size-kib 300] [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMedSealApp, type MedSealApp } from '../../main/app/medseal-app.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { WorkerPackageJobs } from '../../main/jobs/worker-package-jobs.js';
import { KeptWorkerTransports } from '../../main/jobs/worker-transport.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { clientFor, TEST_ORIGIN } from '../helpers/app-client.js';
import { FakeHost } from '../helpers/fake-host.js';
import { startSshd, type SshdServer } from '../helpers/sshd.js';
import { argument } from './bench-args.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'cli', 'medseal.cjs');
const WORKERS = join(here, '..', 'workers');
const PASS = 'correct horse battery staple for the benchmark';
const sizeKiB = Number(argument('--size-kib', '300'));
const runs = Number(argument('--runs', '3'));

type Steps = Record<string, number>;

async function timed<T>(steps: Steps, name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  steps[name] = (steps[name] ?? 0) + (performance.now() - start);
  return result;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Two app cores with profiles at the KDF floor (set-up is not measured), on the SFTP exchange. */
async function appParties(work: string, sshd: SshdServer) {
  const parties = [];
  for (const [name, email] of [
    ['Alice Adams', 'alice@general.example'],
    ['Bob Brown', 'bob@lab.example'],
  ] as const) {
    const host = new FakeHost();
    const app: MedSealApp = createMedSealApp({
      kdf: KDF_FLOOR,
      folder: new ProfileFolder(join(work, name)),
      host,
      jobs: new WorkerPackageJobs(join(WORKERS, 'package-worker.cjs')),
      transports: new KeptWorkerTransports(join(WORKERS, 'transport-worker.cjs')),
      origin: TEST_ORIGIN,
    });
    const { call } = clientFor(app);
    await call('identity.create', { name, organisation: 'Bench', role: 'Doctor', email, passphrase: PASS });
    host.answers.sftpKey.push(sshd.clientKeyFile);
    await call('exchange.addSftp', { url: sshd.url, hostKey: sshd.hostKeyFingerprint });
    parties.push({ app, host, call });
  }
  const [alice, bob] = parties as [(typeof parties)[0], (typeof parties)[0]];
  for (const [me, them] of [
    [alice, bob],
    [bob, alice],
  ] as const) {
    const { contact } = await me.call('contacts.importText', { text: (await them.call('identity.myCard')).armored });
    const { safetyNumber } = await me.call('contacts.safetyNumber', { fingerprint: contact.fingerprint });
    await me.call('contacts.verify', { fingerprint: contact.fingerprint, safetyNumber });
    await me.call('exchange.inbox'); // announced
  }
  return { alice, bob };
}

async function appLoop(work: string, sshd: SshdServer): Promise<Steps> {
  const { alice, bob } = await appParties(work, sshd);
  const steps: Steps = {};
  try {
    const [bobContact] = await alice.call('contacts.list');
    for (let run = 0; run < runs; run++) {
      const path = join(work, `scan-${run}.bin`);
      await writeFile(path, randomBytes(sizeKiB * 1024));
      const file = await alice.call('files.registerDropped', { path });
      const jobId = await timed(steps, 'seal', async () => {
        const started = await alice.call('seal.start', {
          files: [file.token],
          recipients: [bobContact.fingerprint],
          note: '',
          confirmUnverified: false,
        });
        await alice.host.next('job.finished', (event) => event.jobId === started.jobId);
        return started.jobId as string;
      });
      await timed(steps, 'deliver', () => alice.call('seal.deliver', { jobId }));
      const [waiting] = await timed(steps, 'partner lists the inbox', () => bob.call('exchange.inbox'));
      await timed(steps, 'partner previews', () => bob.call('open.preview', { token: waiting.token }));
      const out = join(work, `out-${run}`);
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await timed(steps, 'partner opens (archive, receipt)', async () => {
        const { jobId: opening } = await bob.call('open.start', { token: waiting.token, confirmUntrusted: false });
        await bob.host.next('job.finished', (event) => event.jobId === opening);
        await until(async () => (await bob.call('exchange.inbox')).length === 0);
      });
      await timed(steps, 'sender sees "opened"', async () => {
        await alice.call('exchange.inbox');
        await until(async () => {
          const [latest] = await alice.call('history.recent', { limit: 1 });
          if (latest.deliveries[0]?.status === 'opened') return true;
          await alice.call('exchange.inbox'); // the receipt may still be on its way
          return false;
        });
      });
    }
  } finally {
    alice.app.close();
    bob.app.close();
  }
  return steps;
}

function cli(work: string, home: string, args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, '--home', join(work, home), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`medseal ${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return result.stdout;
}

async function cliLoop(work: string, sshd: SshdServer): Promise<Steps> {
  for (const [home, name, email] of [
    ['alice', 'Dr Alice Adams', 'alice@general.example'],
    ['bob', 'Dr Bob Brown', 'bob@lab.example'],
  ] as const) {
    cli(work, home, ['identity', 'create', '--name', name, '--email', email, '--org', 'Bench']);
    cli(work, home, ['identity', 'export-card', '-o', join(work, `${home}.card`)]);
    cli(work, home, [
      'exchange',
      'add',
      sshd.url,
      '--key-file',
      sshd.clientKeyFile,
      '--host-key',
      sshd.hostKeyFingerprint,
    ]);
  }
  cli(work, 'alice', ['contacts', 'import', join(work, 'bob.card')]);
  cli(work, 'bob', ['contacts', 'import', join(work, 'alice.card')]);
  cli(work, 'bob', ['inbox']); // announced
  cli(work, 'alice', ['inbox']);
  const steps: Steps = {};
  for (let run = 0; run < runs; run++) {
    const path = join(work, `scan-${run}.bin`);
    await writeFile(path, randomBytes(sizeKiB * 1024));
    await timed(steps, 'seal --deliver', async () =>
      cli(work, 'alice', ['seal', path, '--to', 'bob@lab.example', '-o', join(work, `p-${run}.medseal`), '--deliver']),
    );
    const listed = await timed(steps, 'partner: inbox', async () => JSON.parse(cli(work, 'bob', ['--json', 'inbox'])));
    await timed(steps, 'partner: inbox open', async () =>
      cli(work, 'bob', ['inbox', 'open', listed.packages[0].id, '-o', join(work, `cli-out-${run}`)]),
    );
    await timed(steps, 'sender: inbox (receipt)', async () => cli(work, 'alice', ['inbox']));
  }
  return steps;
}

function print(title: string, steps: Steps): void {
  const total = Object.values(steps).reduce((sum, value) => sum + value, 0) / runs;
  console.log(`\n${title} (${sizeKiB} KiB, mean of ${runs} runs)`);
  for (const [name, value] of Object.entries(steps))
    console.log(`  ${name.padEnd(36)} ${(value / runs).toFixed(0).padStart(6)} ms`);
  console.log(`  ${'whole loop'.padEnd(36)} ${total.toFixed(0).padStart(6)} ms`);
}

async function main(): Promise<void> {
  await loadSodium();
  const work = await mkdtemp(join(tmpdir(), 'medseal-bench-loop-'));
  const sshd = await startSshd();
  try {
    print('App core over SFTP', await appLoop(join(work, 'app'), sshd));
    await mkdir(join(work, 'cli'));
    print('CLI over SFTP (each command a new process, unlock included)', await cliLoop(join(work, 'cli'), sshd));
  } finally {
    await sshd.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
