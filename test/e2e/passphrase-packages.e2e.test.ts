/**
 * A package for a contact and for a partner without MedSeal at once, in a
 * real browser (Debian's Chromium) against the real app cores: Alice adds
 * Bob and "Someone without MedSeal…" (Sam) on Send, seals, and the result
 * shows the six words once with how to hand over package and passphrase;
 * confirming takes them off the screen. Bob opens the package as a contact;
 * Sam opens it on the first run of a fresh app, and Alice from her own lock
 * screen, with the words shown in the send result. The saved bytes are
 * compared, axe checks each new screen, and the sender's actions are counted.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fillNewIdentity } from '../helpers/identity-form.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, screenshot, serveRenderer, type Party } from './harness.js';

const PASS = 'maple kettle orbit lantern';
const SCAN = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7919) % 251));

describe('a package for a contact and a partner without MedSeal, in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  let work: string;
  let alice: Party;
  let bob: Party;
  let words = '';

  beforeAll(async () => {
    await loadSodium();
    ({ origin, server } = await serveRenderer());
    browser = await launchChromium();
    work = await mkdtemp(join(tmpdir(), 'medseal-e2e-passphrase-')); // the steps build on each other
    alice = await openParty(browser, origin, join(work, 'alice-profile'));
    bob = await openParty(browser, origin, join(work, 'bob-profile'));
  }, scaled(60_000));

  afterAll(async () => {
    await browser?.close();
    server?.close();
    alice?.app.close();
    bob?.app.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Opens a passphrase package on the screen `page` shows ("Open a package with a passphrase" already pressed). */
  async function openWithWords(party: Party, typed: string, folder: string) {
    const { page } = party;
    party.host.answers.package.push(join(work, 'referral.medseal'));
    await page.getByRole('button', { name: 'Choose the package…' }).click();
    await page.getByLabel('The six words of the passphrase').fill(typed);
    await page.getByRole('button', { name: 'Show what is in it' }).click();
    await page.getByRole('heading', { name: 'From' }).waitFor({ timeout: scaled(60_000) });
    const preview = await page.getByRole('article', { name: 'Package' }).innerText();
    expect(preview).toContain(
      'Alice Adams, General Hospital (alice@general.example) — as written in the package; not verified',
    );
    expect(preview).toContain('scan.bin');
    expect(preview).toContain('Please see on Friday');
    expect(await axeViolations(page)).toEqual([]);
    await mkdir(join(work, folder));
    party.host.answers.folder.push(join(work, folder));
    await page.getByRole('button', { name: 'Choose a folder and open…' }).click();
    await page.getByText(/verified and saved in/).waitFor({ timeout: scaled(60_000) });
    expect(await readFile(join(work, folder, 'scan.bin'))).toEqual(SCAN);
  }

  it(
    'Alice and Bob create identities and verify each other',
    async () => {
      for (const [party, name, email] of [
        [alice, 'Alice Adams', 'alice@general.example'],
        [bob, 'Bob Brown', 'bob@clinic.example'],
      ] as const) {
        await fillNewIdentity(party.page, {
          name,
          email,
          organisation: 'General Hospital',
          role: '',
          passphrase: PASS,
        });
        await party.page.getByRole('button', { name: 'Create my identity' }).click();
        await party.page.getByRole('heading', { name: 'Your contact card' }).waitFor({ timeout: scaled(30_000) });
      }
      const cardOf = (party: Party) => party.page.getByLabel('Card text', { exact: true }).inputValue();
      const [aliceCard, bobCard] = [await cardOf(alice), await cardOf(bob)];
      for (const [party, card, who] of [
        [alice, bobCard, 'Bob Brown'],
        [bob, aliceCard, 'Alice Adams'],
      ] as const) {
        await party.page.getByLabel('Paste the card text from an e-mail').fill(card);
        await party.page.getByRole('button', { name: 'Import pasted card' }).click();
        await party.page.getByText(`${who} was added`).waitFor();
      }
      await alice.page.getByRole('button', { name: 'Verify Bob Brown' }).click();
      await bob.page.getByRole('button', { name: 'Verify Alice Adams' }).click();
      for (const party of [alice, bob]) {
        await party.page.getByRole('button', { name: /The numbers match/ }).click();
        await party.page.getByRole('cell', { name: 'Verified' }).waitFor();
      }
    },
    scaled(120_000),
  );

  it(
    'Alice seals for Bob and for Sam (no MedSeal) at once; the words are shown once, then taken off the screen',
    async () => {
      const page = alice.page;
      /** The sender's actions from the Send screen to the handed-over result: clicks and typed fields. */
      let actions = 0;
      const click = async (name: string | RegExp) => {
        actions++;
        await page.getByRole('button', { name, exact: typeof name === 'string' }).click();
      };
      const type = async (label: string, text: string) => {
        actions++;
        await page.getByLabel(label, { exact: true }).fill(text);
      };
      await writeFile(join(work, 'scan.bin'), SCAN);
      await page.getByRole('button', { name: 'Send', exact: true }).click(); // to the Send screen: not counted
      alice.host.answers.filesToSeal.push([join(work, 'scan.bin')]);
      await click('Choose files…');
      await type('Recipients', 'Bob');
      await click(/^Bob Brown, General Hospital/);
      await click('Someone without MedSeal…');
      // A mistyped address is refused at its field, in the service's words.
      await type('Their name', 'Dr Sam Smith');
      await type('Their e-mail address', 'sam at partner');
      await type('Their phone number (optional, to read them the passphrase)', '+41 44 123 45 67');
      await click('Add');
      const wrong = page.getByLabel('Their e-mail address', { exact: true });
      await expect.poll(() => wrong.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#partner-email-problem').innerText()).toContain(
        'e-mail address given for the partner',
      );
      expect(await axeViolations(page)).toEqual([]);
      await type('Their e-mail address', 'sam@partner.example');
      await click('Add');
      await page.getByRole('list', { name: 'Partner without MedSeal' }).waitFor();
      await page.getByLabel('Note (optional, encrypted)').fill('Please see on Friday'); // optional: not counted
      actions--; // the mistyped address and its second Add are the test's, not the sender's
      actions--;
      alice.host.answers.save.push(join(work, 'referral.medseal'));
      await click('Seal and save…');
      expect(await page.getByRole('list', { name: 'Recipients to confirm' }).innerText()).toContain('Dr Sam Smith');
      await click('Seal for these 2 recipients');
      await page.getByRole('heading', { name: 'Saved — not sent yet' }).waitFor({ timeout: scaled(60_000) });

      const shown = page.getByRole('list', { name: 'The passphrase, six words' });
      words = (await shown.getByRole('listitem').allInnerTexts()).join(' ');
      expect(words.split(' ')).toHaveLength(6);
      const result = await page.locator('main').innerText();
      expect(result).toContain(
        'Read it to them on the phone or send it by text message — never in the same e-mail as the package.',
      );
      expect(result).toContain('Drag the package into an e-mail to Dr Sam Smith (sam@partner.example)');
      expect(await page.title()).not.toContain(words.split(' ')[0]);
      await screenshot(page, '48-send-passphrase-result');
      expect(await axeViolations(page)).toEqual([]);
      actions++; // dragging the package into an e-mail (the drag itself is the OS's)
      await page
        .getByRole('note', { name: 'Drag the package into an e-mail to Dr Sam Smith' })
        .dispatchEvent('dragstart');
      await expect.poll(() => alice.host.dragged).toEqual([join(work, 'referral.medseal')]);
      // A copy of MedSeal Reader to hand over too (not counted: the organisation's link serves as well).
      alice.host.answers.save.push(join(work, 'medseal-reader.html'));
      await page.getByRole('button', { name: 'Save MedSeal Reader…' }).click();
      await expect.poll(() => existsSync(join(work, 'medseal-reader.html'))).toBe(true);
      await click('I have written it down / passed it on');
      await page.getByText('The passphrase was taken off the screen').waitFor();
      expect(await page.content()).not.toContain(words);
      console.log(
        `sender's actions for a contact and a partner without MedSeal: ${actions} (and the two native dialogs)`,
      );
      expect(actions).toBe(12);

      // Activity names Sam as Alice typed him; never the words.
      await page.getByRole('button', { name: 'Activity' }).click();
      const row = page.getByRole('list', { name: 'Sent to' }).first();
      await row.getByText('passphrase package to Dr Sam Smith (sam@partner.example, +41 44 123 45 67)').waitFor();
      expect(await page.content()).not.toContain(words);
      expect(alice.cspViolations).toEqual([]);
    },
    scaled(180_000),
  );

  it(
    'Bob opens it as a contact; Sam opens it on the first run of a fresh app, Alice from her lock screen',
    async () => {
      bob.host.answers.package.push(join(work, 'referral.medseal'));
      await bob.page.getByRole('button', { name: 'Receive' }).click();
      await bob.page.getByRole('button', { name: 'Open a package…' }).click();
      await bob.page.getByRole('heading', { name: 'From' }).waitFor({ timeout: scaled(30_000) });
      await mkdir(join(work, 'bob-in'));
      bob.host.answers.folder.push(join(work, 'bob-in'));
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page.getByText(/were verified and saved/).waitFor({ timeout: scaled(30_000) });
      expect(await readFile(join(work, 'bob-in', 'scan.bin'))).toEqual(SCAN);

      const sam = await openParty(browser, origin, join(work, 'sam-profile'));
      try {
        await sam.page.getByRole('button', { name: 'Open a package with a passphrase' }).click();
        await sam.page.getByRole('heading', { name: 'Open a package with a passphrase' }).waitFor();
        expect(await axeViolations(sam.page)).toEqual([]);
        // A mistyped word is named by its position, and nothing is shown.
        sam.host.answers.package.push(join(work, 'referral.medseal'));
        await sam.page.getByRole('button', { name: 'Choose the package…' }).click();
        const typo = words
          .split(' ')
          .map((word, index) => (index === 2 ? `${word}q` : word))
          .join(' ');
        await sam.page.getByLabel('The six words of the passphrase').fill(typo);
        await sam.page.getByRole('button', { name: 'Show what is in it' }).click();
        await sam.page.getByText(/Word 3 of the passphrase is not one of the passphrase words/).waitFor();
        await sam.page.getByRole('button', { name: 'Back' }).click();
        await sam.page.getByRole('button', { name: 'Open a package with a passphrase' }).click();
        await openWithWords(sam, words, 'sam-in');
        await screenshot(sam.page, '49-open-with-passphrase');
        expect((await sam.app.session.status()).state).toBe('no-identity');
        expect(sam.cspViolations).toEqual([]);
      } finally {
        sam.app.close();
      }

      await alice.page.getByRole('button', { name: 'Lock' }).click();
      await alice.page.getByRole('button', { name: 'Open a package with a passphrase' }).click();
      await openWithWords(alice, words, 'alice-in');
      await alice.page.getByRole('button', { name: 'Done' }).click();
      await alice.page.getByRole('heading', { name: 'MedSeal is locked' }).waitFor();
    },
    scaled(240_000),
  );
});
