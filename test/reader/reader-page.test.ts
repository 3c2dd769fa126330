/**
 * MedSeal Reader in Debian's Chromium, from a file:// URL (test/helpers/reader-page.ts):
 * it opens passphrase packages with the core's own checks and saves exactly the
 * bytes that were sealed, streamed (File System Access API) or as downloads; a
 * wrong or mistyped passphrase, a package with no passphrase stanza and a
 * tampered chunk are refused with the catalogue's words and nothing saved; the
 * page makes no request at all beyond its own file, and its policy lets nothing
 * else run.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../main/crypto/primitives.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { newPassphraseKdf, type PassphraseKey } from '../../main/package/passphrase-stanza.js';
import { derivePassphraseKey } from '../../main/package/passphrase-key.js';
import { newPackagePassphrase } from '../../main/package/passphrase-words.js';
import { PASSPHRASE_SENDER_LABEL } from '../../main/texts/passphrase-texts.js';
import { errorText } from '../../main/texts/errors/error-text.js';
import { launchChromium } from '../e2e/harness.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealSample, type SealedSample } from '../helpers/packages.js';
import { openPackageIn, openReader, pickerRecord, READER_PAGE, savedDigest } from '../helpers/reader-page.js';
import { scaled } from '../helpers/time.js';

const SAM = { name: 'Dr Sam Smith', email: 'sam@partner.example', phone: null };
const NOTE = 'Referral for review (synthetic test data, no real patient). <b>not markup</b>';

let browser: Browser;
let folder: string;
let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let words: string;
let key: PassphraseKey;
let mixed: SealedSample;

const hex = (bytes: Uint8Array) => sha256(bytes).toString('hex');

beforeAll(async () => {
  browser = await launchChromium();
  folder = await mkdtemp(join(tmpdir(), 'medseal-reader-'));
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
  words = newPackagePassphrase();
  key = await derivePassphraseKey(words, newPassphraseKdf());
  // Three files across several 4 KiB chunks, one empty: for a contact and a passphrase at once.
  mixed = await sealSample({
    folder,
    name: 'mixed',
    sender: alice,
    recipients: [bob.card],
    sizes: [70_000, 0, 9_000],
    note: NOTE,
    passphrase: { recipient: SAM, key },
  });
}, scaled(120_000));

afterAll(async () => {
  await browser?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('MedSeal Reader opens a passphrase package', () => {
  it('shows the sender as written in the package, the note as text, then saves every file byte for byte', async () => {
    const reader = await openReader(browser, { streams: true });
    const { page } = reader;
    await openPackageIn(page, mixed.path, words.toUpperCase().replace(/ /g, ', '));
    const result = page.locator('#result');
    await expect.poll(() => result.textContent()).toContain('Alice, Test Hospital <alice@example.org>');
    expect(await result.textContent()).toContain(PASSPHRASE_SENDER_LABEL);
    expect(await page.locator('.note').textContent()).toBe(NOTE); // as text: no <b> element made of it
    expect(await page.locator('#result b').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('3. What the package holds');

    await page.getByRole('button', { name: 'Save all files' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toBe('All files saved.');
    for (const [index, name] of mixed.names.entries())
      expect(await savedDigest(page, name)).toBe(hex(mixed.contents[index]!));

    expect(reader.requests).toEqual([`file://${READER_PAGE}`]);
    expect(reader.consoleErrors).toEqual([]);
    await reader.context.close();
  });
});

describe('what the Reader refuses', () => {
  it('a wrong passphrase: the catalogue says so and nothing is shown or saved', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    await openPackageIn(page, mixed.path, newPackagePassphrase());
    expect(await page.locator('form [role="alert"]').textContent()).toBe(errorText('PACKAGE_PASSPHRASE_WRONG'));
    expect(await page.locator('#result').textContent()).toBe('');
    expect((await pickerRecord(page)).pickerCalls).toBe(0);
    await context.close();
  });

  it('a chunk changed on the way: saving stops with the words for it and the file is not saved', async () => {
    const bytes = await readFile(mixed.path);
    bytes[bytes.length - 200]! ^= 0x01; // inside the last chunk
    const tampered = join(folder, 'tampered.medseal');
    await writeFile(tampered, bytes);
    const { page, context } = await openReader(browser, { streams: true });
    await openPackageIn(page, tampered, words);
    await page.getByRole('button', { name: 'Save all files' }).click();
    const alert = page.locator('#result [role="alert"]');
    await expect.poll(() => alert.textContent()).not.toBe('');
    expect(await alert.textContent()).toBe(errorText('PACKAGE_TAMPERED', { part: 'chunk', index: 2 }));
    const record = await pickerRecord(page);
    expect(record.saved).toEqual([]);
    expect(record.aborted.sort()).toEqual([...mixed.names].sort());
    await context.close();
  });
});
