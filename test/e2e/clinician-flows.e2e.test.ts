/**
 * The clinician's flows in a real browser (Debian's Chromium) against the
 * real app core, with a screenshot and an axe-core scan of every screen.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCard } from '../../main/identity/contact-card.js';
import { armorCard } from '../../main/identity/contact-card.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fillNewIdentity } from '../helpers/identity-form.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealPackage } from '../../main/package/seal.js';
import {
  axeViolations,
  launchChromium,
  openParty,
  openWindow,
  screenshot,
  serveRenderer,
  type Party,
} from './harness.js';
import { scaled } from '../helpers/time.js';

const PASS = 'maple kettle orbit lantern';
const NEW_PASS = 'quartz meadow ferry violin';
let browser: Browser;
let server: Server;
let origin: string;
let work: string;
let alice: Party;
let bob: Party;
const axeFindings: Record<string, { id: string; impact: string; nodes: number; targets: string[] }[]> = {};

async function scan(party: Party, screen: string, options: { fullPage?: boolean } = {}) {
  await screenshot(party.page, screen, options);
  axeFindings[screen] = await axeViolations(party.page);
}

/** Where the keyboard focus is: never the page body after an action (WCAG 2.4.3). */
async function focused(
  party: Party,
): Promise<{ tag: string; id: string; className: string; text: string; inView: boolean }> {
  return party.page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const box = element.getBoundingClientRect();
    return {
      tag: element.tagName.toLowerCase(),
      id: element.id,
      className: element.className,
      text: (element.textContent ?? '').trim(),
      inView: box.bottom > 0 && box.top < window.innerHeight && box.height > 0,
    };
  });
}

async function createIdentity(party: Party, name: string, email: string) {
  await fillNewIdentity(party.page, {
    name,
    email,
    organisation: 'General Hospital',
    role: 'Cardiologist',
    passphrase: PASS,
  });
}

beforeAll(async () => {
  await loadSodium();
  ({ origin, server } = await serveRenderer());
  browser = await launchChromium();
  work = await mkdtemp(join(tmpdir(), 'medseal-e2e-')); // lives for the whole file: the flows build on each other
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

describe('clinician flows in Chromium', () => {
  it(
    'Alice and Bob create identities (first run)',
    async () => {
      await createIdentity(alice, 'Alice Adams', 'alice@general.example');
      await scan(alice, '01-first-run');
      await alice.page.getByRole('button', { name: 'Create my identity' }).click();
      await alice.page.getByRole('heading', { name: 'Your contact card' }).waitFor({ timeout: scaled(30_000) });
      await scan(alice, '02-contacts-my-card');
      await createIdentity(bob, 'Bob Brown', 'bob@clinic.example');
      await bob.page.getByRole('button', { name: 'Create my identity' }).click();
      await bob.page.getByRole('heading', { name: 'Your contact card' }).waitFor({ timeout: scaled(30_000) });
    },
    scaled(60_000),
  );

  it(
    'they exchange cards and verify safety numbers',
    async () => {
      const aliceCard = await alice.page.getByLabel('Card text', { exact: true }).inputValue();
      const bobCard = await bob.page.getByLabel('Card text', { exact: true }).inputValue();
      await alice.page.getByLabel('Paste the card text from an e-mail').fill(bobCard);
      await alice.page.getByRole('button', { name: 'Import pasted card' }).click();
      await alice.page.getByText('Bob Brown was added').waitFor();
      await bob.page.getByLabel('Paste the card text from an e-mail').fill(aliceCard);
      await bob.page.getByRole('button', { name: 'Import pasted card' }).click();
      await bob.page.getByText('Alice Adams was added').waitFor();

      await alice.page.getByRole('button', { name: 'Verify Bob Brown' }).click();
      await bob.page.getByRole('button', { name: 'Verify Alice Adams' }).click();
      const number = async (party: Party) => party.page.getByLabel(/^Safety number:/).getAttribute('aria-label');
      await alice.page.getByRole('img', { name: /QR code of the same 60 digits/ }).waitFor();
      expect(await number(alice)).toBe(await number(bob));
      // The 60 digits appear once, in 12 groups, under one instruction.
      expect(await alice.page.locator('.digits').count()).toBe(1);
      expect(await alice.page.locator('.digits span').count()).toBe(12);
      await scan(alice, '03-verify-contact');
      await alice.page.getByRole('button', { name: /The numbers match/ }).click();
      await bob.page.getByRole('button', { name: /The numbers match/ }).click();
      await alice.page.getByRole('cell', { name: 'Verified' }).waitFor();
      await bob.page.getByRole('cell', { name: 'Verified' }).waitFor();
      // The import's "now compare safety numbers" notice is gone; only the result stays.
      await alice.page.getByText('Bob Brown is verified.').waitFor();
      expect(await alice.page.getByText(/Now compare safety numbers/).count()).toBe(0);
      expect(await focused(alice)).toMatchObject({ text: 'Bob Brown is verified.', inView: true }); // the result, not the page body
    },
    scaled(60_000),
  );

  it(
    'Alice seals two files with a note to Bob; Bob sees the sender first, opens them, and the bytes match',
    async () => {
      const inputs = join(work, 'inputs');
      await mkdir(inputs);
      const letter = Buffer.from('Referral letter for Zebulon Quibble (synthetic)\n');
      const scanBytes = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
      await writeFile(join(inputs, 'Quibble referral letter.txt'), letter);
      await writeFile(join(inputs, 'ECG scan.bin'), scanBytes);
      alice.host.answers.filesToSeal.push([join(inputs, 'Quibble referral letter.txt'), join(inputs, 'ECG scan.bin')]);
      alice.host.answers.save.push(join(work, 'referral.medseal'));
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Choose files…' }).click();
      await alice.page.getByLabel('Recipients').fill('Bob');
      await alice.page.getByRole('button', { name: /^Bob Brown, General Hospital/ }).click();
      expect(await focused(alice)).toMatchObject({ id: 'recipient-search' }); // on to the next recipient
      await alice.page.getByLabel('Note (optional, encrypted)').fill('Please review before Friday.');
      await scan(alice, '04-send');
      await alice.page.getByRole('button', { name: 'Seal and save…' }).click();
      // The recipients once more, by name, organisation and e-mail; a first package to Bob is marked.
      const confirmation = alice.page.getByRole('list', { name: 'Recipients to confirm' });
      expect(await confirmation.innerText()).toMatch(
        /Bob Brown, General Hospital <bob@clinic\.example>\s*First package to them/,
      );
      await scan(alice, '04b-send-confirm');
      await alice.page.getByRole('button', { name: 'Seal for this recipient' }).click();
      await alice.page.getByRole('heading', { name: 'Saved — not sent yet' }).waitFor({ timeout: scaled(30_000) }); // no exchange yet: never "Sent"
      await expect.poll(async () => (await focused(alice)).text).toBe('Saved — not sent yet');
      await alice.page.getByText(/Not sent to Bob Brown: no exchange reaches them/).waitFor();
      expect(await alice.page.title()).toBe('MedSeal');
      await alice.page.getByRole('button', { name: 'Show in folder' }).click();
      await expect.poll(() => alice.host.revealed).toEqual([join(work, 'referral.medseal')]);

      bob.host.answers.package.push(join(work, 'referral.medseal'));
      await bob.page.getByRole('button', { name: 'Receive' }).click();
      await bob.page.getByRole('button', { name: 'Open a package…' }).click();
      await bob.page.getByRole('heading', { name: 'From' }).waitFor();
      const preview = bob.page.getByRole('article', { name: 'Package' });
      expect(await preview.innerText()).toMatch(
        /From\s+Alice Adams[\s\S]*Verified[\s\S]*Quibble referral letter\.txt[\s\S]*Please review before Friday\./,
      );
      await scan(bob, '05-receive-preview');
      const out = join(work, 'received');
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page
        .getByText(/All 2 file\(s\) were verified and saved in the folder “received”/)
        .waitFor({ timeout: scaled(30_000) });
      expect(await focused(bob)).toMatchObject({ className: expect.stringContaining('notice-success'), inView: true });
      await bob.page.getByRole('button', { name: 'Show in folder' }).click();
      await expect.poll(() => bob.host.revealed).toEqual([join(out, 'Quibble referral letter.txt')]);
      expect(await readFile(join(out, 'Quibble referral letter.txt'))).toEqual(letter);
      expect((await readFile(join(out, 'ECG scan.bin'))).equals(scanBytes)).toBe(true);
    },
    scaled(90_000),
  );

  it(
    'a tampered package shows the plain warning and saves nothing',
    async () => {
      const bytes = await readFile(join(work, 'referral.medseal'));
      bytes[bytes.length - 40]! ^= 0x01;
      await writeFile(join(work, 'tampered.medseal'), bytes);
      bob.host.answers.package.push(join(work, 'tampered.medseal'));
      await bob.page.getByRole('button', { name: 'Open a package…' }).click();
      await bob.page.getByRole('heading', { name: 'From' }).waitFor();
      const out = join(work, 'tampered-out');
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await bob.page.getByLabel('Save its files again.').check(); // the same header as the package Bob opened above
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page
        .getByText('This package was changed after it was sealed. Do not trust it; ask the sender to send it again.')
        .waitFor({ timeout: scaled(30_000) });
      await scan(bob, '06-receive-tampered');
      expect(await readdir(out)).toEqual([]);
      // No "Verified contact" badge stays above the error: nothing in a changed package is the sender's.
      const preview = bob.page.getByRole('article', { name: 'Package' });
      expect(await preview.getByText('Verified contact').count()).toBe(0);
      await preview.getByText('Not trusted: the package was changed').waitFor();
      // The preview survives a look at another tab.
      await bob.page.getByRole('button', { name: 'Contacts' }).click();
      await bob.page.getByRole('button', { name: 'Receive' }).click();
      await preview.getByText('Not trusted: the package was changed').waitFor();
      expect(await bob.page.getByRole('button', { name: 'Save files…' }).count()).toBe(0); // no retry of a damaged package
    },
    scaled(60_000),
  );

  it(
    'opening into a folder that has the names already: the files are named, "Keep both" saves beside them',
    async () => {
      bob.host.answers.package.push(join(work, 'referral.medseal'));
      await bob.page.getByRole('button', { name: 'Open a package…' }).click();
      await bob.page.getByRole('heading', { name: 'From' }).waitFor();
      const out = join(work, 'received'); // Bob saved this package there before
      bob.host.answers.folder.push(out);
      // Opened before (outside review 2, item 7): said so, and saving again needs a tick first.
      await bob.page.getByText(/^You already opened this package on .+ sends no second receipt\.$/).waitFor();
      expect(await bob.page.getByRole('button', { name: 'Save files…' }).isDisabled()).toBe(true);
      await bob.page.getByLabel('Save its files again.').check();
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      const question = bob.page.getByRole('group', { name: /already has files of the same name/ });
      await question.waitFor();
      expect(await question.innerText()).toMatch(
        /The folder “received” already has files of the same name:[\s\S]*“Quibble referral letter\.txt” — keeping both saves the new one as “Quibble referral letter \(2\)\.txt”[\s\S]*“ECG scan\.bin”/,
      );
      expect(await focused(bob)).toMatchObject({ className: 'conflict', inView: true });
      await scan(bob, '18-receive-keep-both');
      await bob.page.getByRole('button', { name: 'Keep both' }).click(); // no second folder question
      await bob.page
        .getByText(
          'All 2 file(s) were verified and saved in the folder “received”; “Quibble referral letter.txt” as “Quibble referral letter (2).txt”; “ECG scan.bin” as “ECG scan (2).bin”.',
        )
        .waitFor({ timeout: scaled(30_000) });
      expect((await readdir(out)).sort()).toEqual([
        'ECG scan (2).bin',
        'ECG scan.bin',
        'Quibble referral letter (2).txt',
        'Quibble referral letter.txt',
      ]);
    },
    scaled(60_000),
  );

  it(
    'a package from a sender Bob does not know: he adds them from the preview, unverified',
    async () => {
      const dana = await fastIdentity('Dana Doyle');
      await writeFile(join(work, 'inputs', 'Dana letter.txt'), 'synthetic letter from a new partner');
      await sealPackage({
        sender: dana,
        recipients: [bob.app.session.requireProfile().identity.card],
        files: [{ path: join(work, 'inputs', 'Dana letter.txt') }],
        output: join(work, 'from-dana.medseal'),
      });
      bob.host.answers.package.push(join(work, 'from-dana.medseal'));
      await bob.page.getByRole('button', { name: 'Open a package…' }).click();
      const preview = bob.page.getByRole('article', { name: 'Package' });
      await preview.getByText('Dana Doyle').first().waitFor();
      await scan(bob, '19-receive-unknown-sender');
      await bob.page.getByRole('button', { name: 'Add Dana Doyle to contacts (not verified)' }).click();
      await bob.page.getByText(/Dana Doyle was added to your contacts, not verified/).waitFor();
      expect(await focused(bob)).toMatchObject({ text: expect.stringMatching(/^Dana Doyle was added/), inView: true });
      expect(await bob.page.getByRole('button', { name: /^Add Dana Doyle/ }).count()).toBe(0);
      await bob.page.getByRole('button', { name: 'Contacts' }).click();
      await bob.page
        .getByRole('row', { name: /Dana Doyle/ })
        .getByText('Not verified yet')
        .waitFor();
      await bob.page.getByRole('button', { name: 'Receive' }).click();
      await bob.page.getByLabel('I understand the sender is not verified and want to save the files.').check();
      const out = join(work, 'from-dana');
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page.getByText(/All 1 file\(s\) were verified and saved/).waitFor({ timeout: scaled(30_000) });
    },
    scaled(60_000),
  );

  it(
    'through a shared exchange folder: Alice delivers, Bob finds it in his inbox and opens it',
    async () => {
      const shared = join(work, 'exchange');
      await mkdir(shared);
      for (const party of [alice, bob]) {
        party.host.answers.exchange.push(shared);
        await party.page.getByRole('button', { name: 'Settings' }).click();
        await party.page.getByRole('button', { name: 'Add an exchange folder…' }).click();
        await party.page.getByRole('list', { name: 'Exchanges' }).getByText(shared).waitFor();
      }
      await scan(alice, '10-settings');
      await writeFile(join(work, 'inputs', 'Lab results.pdf'), 'synthetic lab results');
      alice.host.answers.filesToSeal.push([join(work, 'inputs', 'Lab results.pdf')]);
      // The main job, counted: files and a verified partner sent to before, to "Sent". Each click in
      // the window is one action; the files are picked in the system dialog "Choose files…" opens
      // (the fake host answers it here). No Save dialog: the exchange reaches Bob.
      const actions: string[] = [];
      const act = async (name: string, target: Locator) => {
        actions.push(name);
        await target.click();
      };
      await act('open Send', alice.page.getByRole('button', { name: 'Send', exact: true }));
      await act('Choose files…', alice.page.getByRole('button', { name: 'Choose files…' }));
      await act(
        'a recent partner',
        alice.page
          .getByRole('list', { name: 'Recently sent to' })
          .getByRole('button', { name: /^Bob Brown, General Hospital/ }),
      ); // sent to before: nothing to type
      // A verified partner sent to before, no look-alike: sealed and sent at once, no second look.
      await act('Seal and send', alice.page.getByRole('button', { name: 'Seal and send' }));
      await alice.page.getByRole('heading', { name: 'Sent' }).waitFor({ timeout: scaled(30_000) });
      expect(actions).toHaveLength(4);
      expect(alice.host.saveRequests.filter((request) => request.kind === 'package')).toHaveLength(1); // the first package only, before any exchange
      await expect.poll(async () => (await focused(alice)).text).toBe('Sent');
      await alice.page.getByText(`Delivered to Bob Brown's inbox on ${shared} · waiting for receipt`).waitFor();

      await bob.page.getByRole('button', { name: 'Receive 1 waiting' }).waitFor({ timeout: scaled(15_000) }); // the tab counts what waits
      await bob.page.getByRole('button', { name: 'Receive' }).click();
      await bob.page.getByRole('heading', { name: 'In your exchange inbox' }).waitFor({ timeout: scaled(15_000) });
      // The entry says who sent it and how far they are trusted, before it is opened.
      expect(await bob.page.locator('section[aria-labelledby="inbox-title"]').innerText()).toMatch(
        /From Alice Adams, General Hospital\s*Verified contact/,
      );
      await scan(bob, '11-receive-inbox');
      await bob.page.getByRole('button', { name: 'Open', exact: true }).click();
      await bob.page.getByText('Lab results.pdf').waitFor();
      const out = join(work, 'from-inbox');
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page.getByText(/All 1 file\(s\) were verified and saved/).waitFor({ timeout: scaled(30_000) });
      expect(await readFile(join(out, 'Lab results.pdf'), 'utf8')).toBe('synthetic lab results');
      await bob.page
        .getByRole('heading', { name: 'In your exchange inbox' })
        .waitFor({ state: 'detached', timeout: scaled(15_000) });

      // Bob's MedSeal answered with a signed receipt; Alice's picks it up and Activity says so
      await alice.page.getByRole('button', { name: 'Activity' }).click();
      await alice.page
        .getByRole('list', { name: 'Recipients' })
        .first()
        .getByText(/^Bob Brown: opened/)
        .waitFor({ timeout: scaled(20_000) });
      await scan(alice, '12-activity-opened');
    },
    scaled(90_000),
  );

  it(
    'a key change blocks sending until re-verified',
    async () => {
      const s = await loadSodium();
      const signing = s.crypto_sign_keypair();
      const secret = s.randombytes_buf(32);
      const impostor = createCard(
        { name: 'Bob Brown', organisation: 'General Hospital', role: 'Cardiologist', email: 'bob@clinic.example' },
        {
          signingKey: signing.publicKey,
          encryptionKey: s.crypto_scalarmult_base(secret),
          signingSecretKey: signing.privateKey,
        },
        new Date(),
      );
      await alice.page.getByRole('button', { name: 'Contacts' }).click();
      await alice.page.getByLabel('Paste the card text from an e-mail').fill(armorCard(impostor));
      await alice.page.getByRole('button', { name: 'Import pasted card' }).click();
      await alice.page
        .getByText(/keys have changed/)
        .first()
        .waitFor();
      await scan(alice, '07-contacts-key-changed');
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByLabel('Recipients').fill('Bob');
      expect(await alice.page.getByRole('button', { name: /^Bob Brown, General Hospital/ }).isDisabled()).toBe(true);

      // Alice does not believe the new card: she keeps Bob's earlier keys (confirmed), to verify again.
      await alice.page.getByRole('button', { name: 'Contacts' }).click();
      await alice.page.getByRole('button', { name: 'Verify Bob Brown' }).click();
      await alice.page.getByRole('button', { name: 'Reject the new card…' }).click();
      await alice.page.getByRole('group', { name: 'Confirm keeping the earlier keys' }).waitFor();
      await scan(alice, '07b-contacts-reject-new-card');
      await alice.page.getByRole('button', { name: 'Keep the earlier keys' }).click();
      await alice.page.getByText('Not verified yet').first().waitFor();
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByLabel('Recipients').fill('Bob');
      expect(await alice.page.getByRole('button', { name: /^Bob Brown, General Hospital/ }).isDisabled()).toBe(false);
    },
    scaled(60_000),
  );

  it(
    'lock and unlock, with a clear message on a wrong passphrase',
    async () => {
      await alice.page.getByRole('button', { name: 'Lock' }).click();
      await alice.page.getByRole('heading', { name: 'MedSeal is locked' }).waitFor();
      await alice.page.getByLabel('Passphrase').fill('not my passphrase');
      await alice.page.getByRole('button', { name: 'Unlock' }).click();
      await alice.page.getByText('The passphrase is not correct. Nothing was changed.').waitFor();
      expect(await focused(alice)).toMatchObject({ id: 'unlock-passphrase' }); // back in the field, to type again
      await scan(alice, '08-lock');
      // keyboard alone: type the passphrase, Enter, then Tab to a screen and open it; focus is always visible
      await alice.page.getByLabel('Passphrase').fill('');
      await alice.page.getByLabel('Passphrase').focus();
      await alice.page.keyboard.type(PASS);
      await alice.page.keyboard.press('Enter');
      await alice.page.getByRole('button', { name: 'Lock' }).waitFor({ timeout: scaled(30_000) });
      await alice.page.locator('body').focus();
      let reached = '';
      for (let presses = 0; presses < 10 && reached !== 'Activity'; presses++) {
        await alice.page.keyboard.press('Tab');
        reached = await alice.page.evaluate(() => document.activeElement?.textContent ?? '');
      }
      expect(reached).toBe('Activity');
      expect(await alice.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
      await alice.page.keyboard.press('Enter');
      await alice.page.getByRole('heading', { name: 'Activity' }).waitFor();
    },
    scaled(60_000),
  );

  it(
    'a wrong current passphrase in Settings: the error shows beside the form, in view and focused',
    async () => {
      await alice.page.getByRole('button', { name: 'Settings' }).click();
      await alice.page.getByLabel('Current passphrase').fill('not my passphrase');
      await alice.page
        .getByLabel('Passphrase (at least 12 characters; a few unrelated words work well)')
        .fill(NEW_PASS);
      await alice.page.getByLabel('Type it again').fill(NEW_PASS);
      await alice.page.getByRole('button', { name: 'Change passphrase' }).click();
      await alice.page.getByText('The passphrase is not correct. Nothing was changed.').waitFor();
      expect(await focused(alice)).toMatchObject({
        text: 'The passphrase is not correct. Nothing was changed.',
        inView: true,
      });
      await alice.page.getByLabel('Current passphrase').fill('');
    },
    scaled(60_000),
  );

  it(
    'an automatic lock while writing a referral keeps the draft, hidden while locked, back after the unlock',
    async () => {
      await writeFile(join(work, 'inputs', 'Draft letter.txt'), 'synthetic draft letter');
      alice.host.answers.filesToSeal.push([join(work, 'inputs', 'Draft letter.txt')]);
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Choose files…' }).click();
      await alice.page.getByLabel('Recipients').fill('Bob');
      await alice.page.getByRole('button', { name: /^Bob Brown, General Hospital/ }).click();
      const note = 'Draft note for Zebulon Quibble (synthetic)';
      await alice.page.getByLabel('Note (optional, encrypted)').fill(note);

      alice.app.session.lock('idle');
      await alice.page.getByText('MedSeal locked itself after a period without activity.').waitFor();
      expect(await alice.page.getByText('Draft letter.txt').isVisible()).toBe(false);
      expect(await alice.page.evaluate((text) => document.body.innerText.includes(text), note)).toBe(false); // nothing of the draft shows
      await alice.page.getByLabel('Passphrase').fill(PASS);
      await alice.page.getByRole('button', { name: 'Unlock' }).click();
      await alice.page.getByRole('button', { name: 'Lock' }).waitFor({ timeout: scaled(30_000) });
      expect(await alice.page.getByLabel('Note (optional, encrypted)').inputValue()).toBe(note);
      await alice.page.getByText('Draft letter.txt').waitFor();
      expect(await alice.page.getByRole('list', { name: 'Chosen recipients' }).innerText()).toMatch(/Bob Brown/);

      // The Lock button ends the work: after it, Send starts empty.
      await alice.page.getByRole('button', { name: 'Lock' }).click();
      await alice.page.getByLabel('Passphrase').fill(PASS);
      await alice.page.getByRole('button', { name: 'Unlock' }).click();
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      expect(await alice.page.getByLabel('Note (optional, encrypted)').inputValue()).toBe('');
    },
    scaled(90_000),
  );

  it(
    'activity search finds the package by file name; the audit log verifies',
    async () => {
      await bob.page.getByRole('button', { name: 'Activity' }).click();
      await bob.page.getByLabel('Search by file name, subject, person or organisation').fill('quibble');
      await bob.page
        .getByRole('cell', { name: /Quibble referral letter\.txt/ })
        .first()
        .waitFor();
      await bob.page.getByLabel('Search by file name, subject, person or organisation').fill('Dana');
      await bob.page.getByRole('cell', { name: /Dana Doyle/ }).waitFor(); // by the sender's name
      await expect
        .poll(() => bob.page.getByRole('cell', { name: /Quibble/ }).count(), { timeout: scaled(10_000) })
        .toBe(0); // the filtered answer, not a row count at one instant
      await bob.page.getByLabel('Search by file name, subject, person or organisation').fill('quibble');
      await bob.page
        .getByRole('cell', { name: /Quibble referral letter\.txt/ })
        .first()
        .waitFor();
      await bob.page.getByRole('button', { name: 'Verify the audit log' }).click();
      await bob.page.getByText(/The audit log is intact/).waitFor();
      await scan(bob, '09-activity');
      await bob.page.getByRole('button', { name: 'Settings' }).click();
      await bob.page.getByRole('heading', { name: 'About' }).waitFor();
    },
    scaled(60_000),
  );

  it(
    'Bob saves a recovery kit and a backup; a new workstation restores it; the kit resets a forgotten passphrase',
    async () => {
      await bob.page.getByRole('button', { name: 'Settings' }).click();
      await bob.page.getByText(/You have no recovery kit yet/).waitFor();
      bob.host.answers.save.push(join(work, 'bob-kit.html'));
      await bob.page.getByRole('button', { name: 'Make a recovery kit…' }).click();
      await bob.page.getByText(/Recovery kit saved/).waitFor();
      await bob.page.getByText(/Your recovery kit was made on/).waitFor();
      await scan(bob, '13-settings-recovery');
      const words = [...(await readFile(join(work, 'bob-kit.html'), 'utf8')).matchAll(/\d+\. ([a-z]+)/g)]
        .map((match) => match[1])
        .join(' ');
      bob.host.answers.save.push(join(work, 'bob.medseal-backup'));
      await bob.page.getByRole('button', { name: 'Save a backup…' }).click();
      await bob.page.getByText(/Backup saved/).waitFor({ timeout: scaled(30_000) });

      const newPc = await openParty(browser, origin, join(work, 'bob-new-pc'));
      try {
        await newPc.page.getByRole('button', { name: 'Restore from a backup' }).click();
        newPc.host.answers.backup.push(join(work, 'bob.medseal-backup'));
        await newPc.page.getByRole('button', { name: 'Choose a backup…' }).click();
        await newPc.page.getByText(/Backup of Bob Brown, General Hospital \(bob@clinic\.example\), made/).waitFor();
        await scan(newPc, '14-restore-backup');
        await newPc.page.getByLabel('Passphrase of the backup').fill('not the passphrase');
        await newPc.page.getByRole('button', { name: 'Restore', exact: true }).click();
        await newPc.page.getByText('The passphrase is not correct. Nothing was changed.').waitFor();
        await newPc.page.getByLabel('Passphrase of the backup').fill(PASS);
        await newPc.page.getByRole('button', { name: 'Restore', exact: true }).click();
        await newPc.page.getByRole('button', { name: 'Lock' }).waitFor({ timeout: scaled(30_000) });

        // The kit is not restored: the new workstation asks for a new one.
        await newPc.page.getByRole('button', { name: 'Settings' }).click();
        await newPc.page.getByText(/You have no recovery kit yet/).waitFor();
        newPc.host.answers.save.push(join(work, 'bob-kit-2.html'));
        await newPc.page.getByRole('button', { name: 'Make a recovery kit…' }).click();
        await newPc.page.getByText(/Recovery kit saved/).waitFor();
        const newWords = [...(await readFile(join(work, 'bob-kit-2.html'), 'utf8')).matchAll(/\d+\. ([a-z]+)/g)]
          .map((match) => match[1])
          .join(' ');

        await newPc.page.getByRole('button', { name: 'Lock' }).click();
        await newPc.page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
        await newPc.page.getByLabel('The 24 words of your recovery kit').fill(words); // the old kit: replaced
        await newPc.page
          .getByLabel('Passphrase (at least 12 characters; a few unrelated words work well)')
          .fill(NEW_PASS);
        await newPc.page.getByLabel('Type it again').fill(NEW_PASS);
        await newPc.page.getByRole('button', { name: 'Set the new passphrase' }).click();
        await newPc.page.getByText(/a newer recovery kit has replaced it/).waitFor();
        await newPc.page.getByLabel('The 24 words of your recovery kit').fill(newWords);
        await newPc.page
          .getByLabel('Passphrase (at least 12 characters; a few unrelated words work well)')
          .fill(NEW_PASS);
        await newPc.page.getByLabel('Type it again').fill(NEW_PASS);
        await scan(newPc, '15-forgot-passphrase');
        await newPc.page.getByRole('button', { name: 'Set the new passphrase' }).click();
        await newPc.page.getByRole('button', { name: 'Lock' }).waitFor({ timeout: scaled(30_000) });
        await newPc.page.getByRole('button', { name: 'Contacts' }).click();
        await newPc.page.getByRole('cell', { name: 'Verified' }).first().waitFor(); // Alice, verified before the move
        expect(newPc.cspViolations).toEqual([]);
      } finally {
        newPc.app.close();
      }
    },
    scaled(90_000),
  );

  it(
    'a hundred contacts: found by name, sorted by organisation, counted; the type-ahead says how many more match',
    async () => {
      const s = await loadSodium();
      for (let index = 1; index <= 100; index++) {
        const signing = s.crypto_sign_keypair();
        const number = String(index).padStart(3, '0');
        const card = createCard(
          {
            name: `Dr Partner ${number}`,
            organisation: `Clinic ${String.fromCharCode(65 + (index % 26))}`,
            role: 'Consultant',
            email: `partner${number}@clinic${index % 26}.example`,
          },
          {
            signingKey: signing.publicKey,
            encryptionKey: s.crypto_scalarmult_base(s.randombytes_buf(32)),
            signingSecretKey: signing.privateKey,
          },
          new Date(),
        );
        await alice.app.dispatch(
          'contacts.importText',
          { url: `${origin}/index.html`, isMainFrame: true },
          { text: armorCard(card) },
        );
      }
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Contacts' }).click();
      await alice.page.getByText(/^10[0-9] contacts$/).waitFor();
      await scan(alice, '16-contacts-100', { fullPage: false }); // the window as a clinician sees it; axe still scans the whole page
      await alice.page.getByLabel('Find a contact').fill('partner 042');
      await alice.page.getByText(/^1 of 10[0-9] contacts match$/).waitFor();
      expect(await alice.page.getByRole('table').getByRole('row').count()).toBe(2); // the header and Dr Partner 042
      await alice.page.getByLabel('Find a contact').fill('');
      await alice.page.getByLabel('Sort by').selectOption('organisation');
      const first = await alice.page.getByRole('table').getByRole('row').nth(1).innerText();
      expect(first).toMatch(/Clinic A/);
      // The import form stays one click away however long the list.
      await alice.page.getByRole('button', { name: 'Import a card' }).click();
      expect(await alice.page.evaluate(() => document.activeElement?.id)).toBe('card-paste');

      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByLabel('Recipients').fill('Partner');
      await alice.page
        .getByText(
          'Showing 8 of 100 matching contacts: type more of the name, organisation or e-mail to narrow them down.',
        )
        .waitFor();
    },
    scaled(120_000),
  );

  it(
    'fifty files in one package: counted with their total size, in a list that scrolls, every name whole',
    async () => {
      const folder = join(work, 'inputs', 'fifty');
      await mkdir(folder);
      const long =
        'Discharge summary and medication reconciliation for the cardiology referral, second opinion requested, 2026-11-30.pdf';
      const paths: string[] = [];
      for (let index = 1; index <= 50; index++) {
        const path = join(folder, index === 50 ? long : `Lab result ${String(index).padStart(2, '0')}.pdf`);
        await writeFile(path, Buffer.alloc(1000 + index));
        paths.push(path);
      }
      alice.host.answers.filesToSeal.push(paths);
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Choose files…' }).click();
      await alice.page.getByText('50 files · 50 KB in all').waitFor();
      const region = alice.page.getByRole('region', { name: 'Files to seal: 50 files, scrolls' });
      expect(await region.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
      const longName = alice.page.locator('.file-name', { hasText: 'Discharge summary' });
      await longName.scrollIntoViewIfNeeded();
      expect(
        await longName.evaluate((element) => ({
          text: element.textContent,
          cut: element.scrollWidth > element.clientWidth + 1,
        })),
      ).toEqual({ text: long, cut: false });
      await alice.page.getByRole('button', { name: 'Send', exact: true }).scrollIntoViewIfNeeded();
      await scan(alice, '20-send-50-files', { fullPage: false });
    },
    scaled(60_000),
  );

  it(
    'reflows at 200 % zoom of a 1024×700 window and at 320 px: no sideways scrolling, the header whole and legible; axe there and at 1920×1080',
    async () => {
      const sizes = [
        { name: 'zoom200', viewport: { width: 512, height: 350 }, deviceScaleFactor: 2 }, // what a 1024×700 window shows at 200 %
        { name: 'w320', viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 },
        { name: '1920x1080', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 },
      ];
      for (const { name, ...size } of sizes) {
        const { page } = await openWindow(browser, origin, alice.app, alice.host, size);
        try {
          for (const tab of ['Send', 'Receive', 'Contacts', 'Activity', 'Settings']) {
            await page
              .getByRole('navigation', { name: 'Main' })
              .getByRole('button', { name: new RegExp(`^${tab}`) })
              .click();
            await page.getByRole('heading', { level: 2 }).first().waitFor();
            const layout = await page.evaluate(() => {
              const header = document.querySelector('.app header')!.getBoundingClientRect();
              const outside = [...document.querySelectorAll('.app header button, .app header .who')]
                .map((element) => ({ text: element.textContent ?? '', box: element.getBoundingClientRect() }))
                .filter(
                  ({ box }) =>
                    box.left < header.left - 1 ||
                    box.right > header.right + 1 ||
                    box.top < header.top - 1 ||
                    box.bottom > header.bottom + 1,
                )
                .map(({ text }) => text);
              // What sticks out, by element, so that a failure says where to look.
              const wide = [...document.querySelectorAll('.app *')]
                .filter(
                  (element) =>
                    element.getBoundingClientRect().right > window.innerWidth + 1 &&
                    !element.parentElement?.closest('.scroll-x'),
                )
                .slice(-3)
                .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
              const sideways = document.documentElement.scrollWidth - window.innerWidth;
              return { width: window.innerWidth, sideways, outside, ...(sideways > 0 ? { wide } : {}) };
            });
            expect({ size: name, tab, ...layout }).toEqual({
              size: name,
              tab,
              width: size.viewport.width,
              sideways: 0,
              outside: [],
            });
            const shot = { page, host: alice.host, app: alice.app, cspViolations: [] };
            if (name === 'zoom200' && tab === 'Send') await scan(shot, '17-send-at-200-percent', { fullPage: false });
            else axeFindings[`${name}-${tab}`] = await axeViolations(page);
          }
        } finally {
          await page.context().close();
        }
      }
    },
    scaled(180_000),
  );

  it('a skip link leads from the first Tab to the main content', async () => {
    // Start where a keyboard user starts: at the top of the page.
    await alice.page.evaluate(() => {
      document.body.setAttribute('tabindex', '-1');
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    await alice.page.keyboard.press('Tab');
    expect(await alice.page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await alice.page.keyboard.press('Enter');
    expect(await alice.page.evaluate(() => document.activeElement?.id)).toBe('main-content');
  });

  it('every screen passes axe-core without serious or critical violations, and the CSP held', () => {
    expect(Object.keys(axeFindings).length).toBeGreaterThanOrEqual(35); // 21 flow screens; 5 tabs at 200 %, 320 px and 1920×1080
    console.log(
      `axe, serious or critical violations per screen:\n${Object.entries(axeFindings)
        .map(([screen, found]) => `  ${screen}: ${found.length}`)
        .join('\n')}`,
    );
    expect(axeFindings).toEqual(Object.fromEntries(Object.keys(axeFindings).map((screen) => [screen, []])));
    expect([...alice.cspViolations, ...bob.cspViolations]).toEqual([]);
  });
});
