/**
 * The passphrase loop across the boundary, with the built CLI as the sender and
 * MedSeal Reader in Chromium as the partner without MedSeal: the CLI seals for a
 * contact and a passphrase at once; the Reader opens the CLI's package and saves
 * the letter byte for byte, then a receipt; the sender's MedSeal takes the
 * receipt in and shows "opened — confirmed with the package's key". And the
 * attacks on receipts (docs/FORMAT.md §5.6): one made with another key, one
 * whose time was changed, one for a package the sender never sent, one for a
 * package sealed for contacts only; each is refused, audited, and changes nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { hmacSha256, sha256 } from '../../main/crypto/primitives.js';
import { createPassphraseReceipt, PASSPHRASE_RECEIPT_MAGIC } from '../../main/package/passphrase-receipt.js';
import { launchChromium } from '../e2e/harness.js';
import { assertCliBuilt, okJson, runCliJson } from '../helpers/built-cli.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { openPackageIn, openReader, savedBytes, savedDigest } from '../helpers/reader-page.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
const LETTER = 'Referral letter (synthetic test data, no real patient)\n';

let browser: Browser;
let work: string;
let words: string;
let packageHash: string;
let receipt: Buffer;

const alice = (args: string[]) => runCliJson(work, 'alice', args, { MEDSEAL_PASSPHRASE: PASS });
const bob = (args: string[]) => runCliJson(work, 'bob', args, { MEDSEAL_PASSPHRASE: PASS });

/** The sender's view of the package: its recipients' statuses, as `packages list --json` gives them. */
function deliveriesOf(hash: string): { name: string | null; status: string; passphrase: boolean }[] {
  const listed = okJson(alice(['packages', 'list'])) as {
    packages: { packageHash: string; recipients: { name: string | null; status: string; passphrase: boolean }[] }[];
  };
  return listed.packages.find((entry) => entry.packageHash === hash)!.recipients;
}

function refusedCount(): number {
  const exported = alice(['audit', 'export', '--format', 'jsonl']);
  expect(exported.code, exported.stderr).toBe(EXIT.ok);
  const entries = exported.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { action?: string });
  return entries.filter((entry) => entry.action === 'receipt.refused').length;
}

beforeAll(async () => {
  assertCliBuilt();
  browser = await launchChromium();
  work = await mkdtemp(join(tmpdir(), 'medseal-reader-loop-'));
  await createFastProfiles(
    work,
    PASS,
    [
      { home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example' },
      { home: 'bob', name: 'Dr Bob Brown', email: 'bob@clinic.example' },
    ],
    { acquainted: true },
  );
  await writeFile(join(work, 'letter.txt'), LETTER);
  const sealed = okJson(
    alice([
      'seal',
      'letter.txt',
      '--to',
      'bob@clinic.example',
      '--to-passphrase',
      'Dr Sam Smith,sam@partner.example',
      '--passphrase-out',
      'words.txt',
      '-o',
      'mixed.medseal',
    ]),
  );
  packageHash = String(sealed.packageHash);
  words = (await readFile(join(work, 'words.txt'), 'utf8')).trim();
}, scaled(120_000));

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a package from the CLI, opened in MedSeal Reader, answered with a receipt', () => {
  it('the Reader saves the letter byte for byte and a receipt for the sender', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    await openPackageIn(page, join(work, 'mixed.medseal'), words);
    expect(await page.locator('#result').textContent()).toContain('Dr Alice Adams, Test Org <alice@general.example>');
    await page.getByRole('button', { name: 'Save letter.txt' }).click();
    await expect.poll(() => savedDigest(page, 'letter.txt')).toBe(sha256(Buffer.from(LETTER)).toString('hex'));

    await page.getByRole('button', { name: 'Save a receipt' }).click();
    const name = `receipt-${packageHash.slice(0, 12)}.medseal-receipt`;
    await expect.poll(() => savedBytes(page, name)).not.toBeNull();
    receipt = (await savedBytes(page, name))!;
    expect(receipt.subarray(0, 16).equals(PASSPHRASE_RECEIPT_MAGIC)).toBe(true);
    expect(receipt.toString('latin1')).not.toContain(words.split(' ')[0]!); // nothing of the passphrase
    await context.close();
  });

  it('the contact also opens it with their identity (one package for both)', async () => {
    const opened = bob(['open', 'mixed.medseal', '-o', 'bob-out']);
    expect(opened.code, opened.stderr).toBe(EXIT.ok);
    expect(await readFile(join(work, 'bob-out', 'letter.txt'), 'utf8')).toBe(LETTER);
  });

  it("the sender takes the receipt in: the partner's status is opened, confirmed with the package's key", async () => {
    expect(deliveriesOf(packageHash).find((entry) => entry.passphrase)).toMatchObject({
      name: 'Dr Sam Smith',
      status: 'sealed',
    });
    await writeFile(join(work, 'receipt.medseal-receipt'), receipt);
    const taken = runCliJson(work, 'alice', ['receipts', 'import', 'receipt.medseal-receipt'], {
      MEDSEAL_PASSPHRASE: PASS,
    });
    expect(JSON.parse(taken.stdout)).toMatchObject({ alreadyTakenIn: false, confirmedBy: 'package-key' });
    expect(deliveriesOf(packageHash).find((entry) => entry.passphrase)).toMatchObject({
      name: 'Dr Sam Smith',
      status: 'opened',
    });
    const text = runCliJson(work, 'alice', ['receipts', 'import', 'receipt.medseal-receipt'], {
      MEDSEAL_PASSPHRASE: PASS,
    });
    expect(JSON.parse(text.stdout)).toMatchObject({ alreadyTakenIn: true }); // the same answer twice changes nothing
    const thread = runCliJson(work, 'alice', ['packages', 'list'], { MEDSEAL_PASSPHRASE: PASS });
    expect(thread.code).toBe(EXIT.ok);
  });
});

describe('receipts that are refused', () => {
  /** Imports `bytes` as a receipt; returns the CLI's result. */
  async function importReceipt(bytes: Buffer) {
    await writeFile(join(work, 'attack.medseal-receipt'), bytes);
    return alice(['receipts', 'import', 'attack.medseal-receipt']);
  }

  it('one made with another key (a guess, or another package’s): refused as forged, audited', async () => {
    const before = refusedCount();
    const forged = createPassphraseReceipt(Buffer.alloc(32, 7), packageHash, new Date());
    const result = await importReceipt(forged);
    expect(result.code).not.toBe(EXIT.ok);
    expect(JSON.parse(result.stderr || result.stdout)).toMatchObject({
      error: {
        code: 'RECEIPT_REFUSED',
        message: expect.stringContaining('not made with the passphrase of that package'),
      },
    });
    expect(refusedCount()).toBe(before + 1);
  });

  it('the real one with its time changed: refused, and the recorded time stays', async () => {
    const before = deliveriesOf(packageHash).find((entry) => entry.passphrase);
    const changed = Buffer.from(receipt.toString('latin1').replace(/"at":"\d{4}/, '"at":"1999'), 'latin1');
    expect(changed.equals(receipt)).toBe(false);
    const result = await importReceipt(changed);
    expect(result.code).not.toBe(EXIT.ok);
    expect(result.stdout + result.stderr).toContain('not made with the passphrase of that package');
    expect(deliveriesOf(packageHash).find((entry) => entry.passphrase)).toEqual(before);
  });

  it('one naming a package this sender never sent: refused as unknown', async () => {
    const other = Buffer.from(receipt);
    other[PASSPHRASE_RECEIPT_MAGIC.length]! ^= 0xff;
    const macStart = other.length - 32;
    hmacSha256(Buffer.alloc(32), other.subarray(0, macStart)).copy(other, macStart);
    const result = await importReceipt(other);
    expect(result.stdout + result.stderr).toContain('RECEIPT_REFUSED');
    expect(result.stdout + result.stderr).toContain('it is about a package you did not send');
  });

  it('one for a package sealed for contacts only (no passphrase key kept): refused', async () => {
    const sealed = okJson(alice(['seal', 'letter.txt', '--to', 'bob@clinic.example', '-o', 'contacts-only.medseal']));
    const result = await importReceipt(
      createPassphraseReceipt(Buffer.alloc(32, 1), String(sealed.packageHash), new Date()),
    );
    expect(result.stdout + result.stderr).toContain('RECEIPT_REFUSED');
  });
});
