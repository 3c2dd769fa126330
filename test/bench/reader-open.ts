/**
 * Benchmark (not a test): MedSeal Reader in Debian's Chromium, loaded from a
 * file:// URL, opening passphrase packages of each size: the time from "Open
 * the package" to the sender and files on screen (Argon2id at full strength
 * and the header), then "Save all files" to the last byte verified and
 * handed to the save target. The save dialogs cannot be driven headless, so
 * the targets are the test's File System Access stand-ins that count what
 * they get (test/helpers/reader-page.ts): the figures are the page's own
 * work (reading the File, WebCrypto AES-GCM, SHA-256, the sender's Ed25519
 * signature per chunk), not a disk's. Also prints the page's size.
 * Usage: npm run bench:reader [-- --sizes-mib 10,500]
 */
import { randomBytes } from 'node:crypto';
import { open, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium } from '../../main/crypto/sodium.js';
import { sealPackage } from '../../main/package/seal.js';
import { newPassphraseKdf } from '../../main/package/passphrase-stanza.js';
import { derivePassphraseKey } from '../../main/package/passphrase-key.js';
import { newPackagePassphrase } from '../../main/package/passphrase-words.js';
import { launchChromium } from '../helpers/chromium.js';
import { bytesWritten, openPackageIn, openReader, READER_PAGE } from '../helpers/reader-page.js';
import { argument } from './bench-args.js';
import { benchIdentity } from './bench-identity.js';

const sizes = argument('--sizes-mib', '10,500').split(',').map(Number);
const MIB = 1024 * 1024;

async function writeRandom(path: string, bytes: number): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (let done = 0; done < bytes; done += 8 * MIB) await file.write(randomBytes(Math.min(8 * MIB, bytes - done)));
  } finally {
    await file.close();
  }
}

async function main(): Promise<void> {
  await loadSodium();
  const work = await mkdtemp(join(tmpdir(), 'medseal-bench-reader-'));
  const browser = await launchChromium();
  try {
    const sender = await benchIdentity('Alice');
    const words = newPackagePassphrase();
    const key = await derivePassphraseKey(words, newPassphraseKdf());
    console.log(`MedSeal Reader: ${((await stat(READER_PAGE)).size / MIB).toFixed(2)} MiB (${READER_PAGE})`);
    console.log('size      open (Argon2id + header)   save all (verify + hand over)   throughput');
    for (const mib of sizes) {
      const input = join(work, `scan-${mib}.bin`);
      await writeRandom(input, mib * MIB);
      const output = join(work, `scan-${mib}.medseal`);
      await sealPackage({
        sender,
        recipients: [],
        passphrase: { recipient: { name: 'Dr Sam Smith', email: 'sam@partner.example', phone: null }, key },
        files: [{ path: input }],
        output,
        note: '',
      });
      await rm(input);
      const { page, context } = await openReader(browser, { streams: true, keep: false });
      const opening = performance.now();
      await openPackageIn(page, output, words);
      const opened = performance.now();
      await page.getByRole('button', { name: 'Save all files' }).click();
      await page.getByText('All files saved.').waitFor({ timeout: 600_000 });
      const saved = performance.now();
      const written = await bytesWritten(page);
      if (written !== mib * MIB) throw new Error(`the page handed over ${written} bytes of ${mib * MIB}`);
      const saveSeconds = (saved - opened) / 1000;
      console.log(
        `${String(mib).padStart(4)} MiB  ${((opened - opening) / 1000).toFixed(2).padStart(10)} s` +
          `${saveSeconds.toFixed(2).padStart(28)} s${(mib / saveSeconds).toFixed(0).padStart(22)} MiB/s`,
      );
      await context.close();
      await rm(output);
    }
  } finally {
    await browser.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
