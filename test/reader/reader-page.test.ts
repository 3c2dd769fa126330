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
import { axeViolations, launchChromium } from '../e2e/harness.js';
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
let contactsOnly: SealedSample;

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
  contactsOnly = await sealSample({ folder, name: 'contacts', sender: alice, recipients: [bob.card], sizes: [100] });
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

  it('a mistyped word is named by its position, before any key is derived', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    const typed = words.split(' ');
    typed[3] = 'zzzz';
    await openPackageIn(page, mixed.path, typed.join(' '));
    expect(await page.locator('form [role="alert"]').textContent()).toBe(
      errorText('PACKAGE_PASSPHRASE_INVALID.word', { position: 4 }),
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('passphrase'); // back to the words
    await context.close();
  });

  it('a package sealed only for MedSeal contacts, and a file that is no package: each says so', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    await openPackageIn(page, contactsOnly.path, words);
    expect(await page.locator('form [role="alert"]').textContent()).toBe(errorText('NOT_A_RECIPIENT.passphrase'));
    const notAPackage = join(folder, 'letter.medseal');
    await writeFile(notAPackage, 'Dear colleague, (synthetic test data)');
    await openPackageIn(page, notAPackage, words);
    expect(await page.locator('form [role="alert"]').textContent()).toBe(errorText('NOT_A_PACKAGE'));
    await context.close();
  });

  it('"Save all" never replaces a file in the chosen folder; a closed dialog saves nothing and says so', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    await openPackageIn(page, mixed.path, words);
    await page.evaluate((name) => {
      (window as unknown as { __reader: { saved: Map<string, Uint8Array> } }).__reader.saved.set(
        name,
        new Uint8Array(1),
      );
    }, mixed.names[2]!); // the folder already has a file of that name
    await page.getByRole('button', { name: 'Save all files' }).click();
    const alert = page.locator('#result [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('already has a file with the name');
    expect((await pickerRecord(page)).saved).toEqual([mixed.names[2]]); // nothing written beside it
    await page.evaluate(() => {
      (window as unknown as { __reader: { decline: boolean } }).__reader.decline = true;
    });
    await page.getByRole('button', { name: `Save ${mixed.names[0]}` }).click();
    await expect.poll(() => alert.textContent()).toBe('Nothing was saved.');
    await context.close();
  });
});

describe('where the browser has no File System Access API (Firefox, Safari)', () => {
  it('says the limit up front and saves each file as a download, byte for byte', async () => {
    const { page, context, requests } = await openReader(browser, { streams: false });
    expect(await page.locator('.warning').first().textContent()).toContain('files up to 1.0 GB can be saved here');
    await openPackageIn(page, mixed.path, words);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Save ${mixed.names[0]}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(mixed.names[0]);
    const path = join(folder, 'downloaded.bin');
    await download.saveAs(path);
    expect(hex(await readFile(path))).toBe(hex(mixed.contents[0]!));
    expect(requests.filter((url) => !url.startsWith('blob:'))).toEqual([`file://${READER_PAGE}`]);
    await context.close();
  });
});

describe('accessible, and usable by keyboard alone', () => {
  for (const zoom of [1, 2])
    it(`axe finds nothing serious or critical at ${zoom * 100} %, before and after opening`, async () => {
      // 200 %: a 1024×768 window zoomed twice shows what a 512×384 one shows at twice the pixels.
      const { page, context } = await openReader(browser, {
        streams: true,
        viewport: { width: 1024 / zoom, height: 768 / zoom },
        deviceScaleFactor: zoom,
      });
      expect(await axeViolations(page)).toEqual([]);
      await openPackageIn(page, mixed.path, words);
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0); // no sideways scrolling
      await context.close();
    });

  it('Tab reaches every control in order; Enter opens and saves', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    await page.getByLabel('The package file').setInputFiles(mixed.path); // the file chooser is the system's
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('package');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('passphrase');
    await page.keyboard.type(words);
    await page.keyboard.press('Enter'); // submits the form
    await page
      .locator('#result h2')
      .first()
      .waitFor({ timeout: scaled(60_000) });
    expect(await focused()).toBe('3. What the package holds');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Save ${mixed.names[0]}`,
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => savedDigest(page, mixed.names[0]!)).toBe(hex(mixed.contents[0]!));
    await context.close();
  });
});
