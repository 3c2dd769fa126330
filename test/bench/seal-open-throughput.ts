/**
 * Benchmark (not a test): seal and open one large file, print throughput and
 * peak memory, and run Debian's `age` on the same file side by side when it
 * is installed. Usage: npm run bench [-- --size-mib 1024] [--keep-dir DIR]
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium } from '../../main/crypto/sodium.js';
import { createCard } from '../../main/identity/contact-card.js';
import { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function identity(name: string): Promise<UnlockedIdentity> {
  const s = await loadSodium();
  const signing = s.crypto_sign_keypair();
  const secret = s.randombytes_buf(32);
  const card = createCard(
    { name, organisation: 'Bench', role: '', email: `${name.toLowerCase()}@bench.example` },
    { signingKey: signing.publicKey, encryptionKey: s.crypto_scalarmult_base(secret), signingSecretKey: signing.privateKey },
    new Date(),
  );
  return new UnlockedIdentity(card, signing.privateKey, secret, s.randombytes_buf(32));
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(8 * 2 ** 20);
  for (let written = 0; written < bytes; written += block.length) {
    const piece = block.subarray(0, Math.min(block.length, bytes - written));
    randomFillSync(piece);
    await handle.write(piece);
  }
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

function ageTimes(input: string, folder: string): { seal: number; open: number } | null {
  if (spawnSync('age', ['--version']).status !== 0) return null;
  const keyFile = join(folder, 'age-key.txt');
  spawnSync('age-keygen', ['-o', keyFile]);
  const time = (args: string[]) => {
    const start = process.hrtime.bigint();
    const result = spawnSync('age', args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error('age failed');
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const recipient = spawnSync('age-keygen', ['-y', keyFile]).stdout.toString().trim();
  const seal = time(['-r', recipient, '-o', join(folder, 'file.age'), input]);
  const openTime = time(['-d', '-i', keyFile, '-o', join(folder, 'file.age.out'), join(folder, 'file.age')]);
  return { seal, open: openTime };
}

async function main(): Promise<void> {
  const sizeMiB = Number(argument('--size-mib', '1024'));
  const bytes = sizeMiB * 2 ** 20;
  const folder = await mkdtemp(join(tmpdir(), 'medseal-bench-'));
  try {
    const input = join(folder, 'input.bin');
    await writeRandomFile(input, bytes);
    const [alice, bob] = [await identity('Alice'), await identity('Bob')];
    const pkg = join(folder, 'file.medseal');
    const baselineRss = process.memoryUsage().rss / 2 ** 20;
    const seal = await timed(() => sealPackage({ sender: alice, recipients: [bob.card], files: [{ path: input }], output: pkg }));
    const opening = await timed(async () => {
      const opened = await openPackage(pkg, bob);
      await mkdir(join(folder, 'out'));
      await opened.extractTo(join(folder, 'out'));
      await opened.close();
    });
    const overhead = (await stat(pkg)).size - bytes;
    const mbps = (seconds: number) => (bytes / 1e6 / seconds).toFixed(0);
    console.log(`MedSeal seal/open of ${sizeMiB} MiB (one file, 1 MiB chunks, single thread), node ${process.version}`);
    console.log(`  baseline RSS before sealing: ${baselineRss.toFixed(0)} MiB; package overhead: ${overhead} bytes`);
    console.log(`  seal: ${seal.seconds.toFixed(2)} s = ${mbps(seal.seconds)} MB/s, peak RSS ${seal.peakRssMiB.toFixed(0)} MiB`);
    console.log(`  open: ${opening.seconds.toFixed(2)} s = ${mbps(opening.seconds)} MB/s, peak RSS ${opening.peakRssMiB.toFixed(0)} MiB`);
    const age = ageTimes(input, folder);
    if (age) {
      console.log(`  age (reference, X25519 + ChaCha20-Poly1305, no signatures):`);
      console.log(`  age -r: ${age.seal.toFixed(2)} s = ${mbps(age.seal)} MB/s; age -d: ${age.open.toFixed(2)} s = ${mbps(age.open)} MB/s`);
    } else {
      console.log('  age not installed (apt-get install age) – no side-by-side reference');
    }
  } finally {
    clearInterval(sampler);
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
