/**
 * A referral thread in a real browser (Debian's Chromium) against the real
 * app cores of two clinicians: Alice seals a package with a subject; Bob
 * opens it, sees the subject, presses Reply; Send starts a draft answering
 * it, for Alice, with "Re: " and the subject; his reply is linked, and
 * Activity shows the referral and the reply as one thread, newest first,
 * each with its state, on both sides once Alice has opened the reply.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fillNewIdentity } from '../helpers/identity-form.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, screenshot, serveRenderer, type Party } from './harness.js';

const PASS = 'maple kettle orbit lantern';
const SUBJECT = 'Cardiology referral — echo report';

describe('a referral and its reply as one thread, in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let work: string;
  let alice: Party;
  let bob: Party;

  beforeAll(async () => {
    await loadSodium();
    let origin: string;
    ({ origin, server } = await serveRenderer());
    browser = await launchChromium();
    work = await mkdtemp(join(tmpdir(), 'medseal-e2e-threads-')); // lives for the whole file: the steps build on each other
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

  /** Seals the files chosen so far and saves the package at `path` (no exchange: "Seal and save…"). */
  async function sealAndSave(party: Party, path: string) {
    party.host.answers.save.push(path);
    await party.page.getByRole('button', { name: 'Seal and save…' }).click();
    await party.page.getByRole('button', { name: 'Seal for this recipient' }).click(); // a first package to them: confirmed
    await party.page.getByRole('heading', { name: 'Saved — not sent yet' }).waitFor({ timeout: scaled(30_000) });
  }

  /** Opens the package at `path` on Receive and saves its files. */
  async function openAndSave(party: Party, path: string, folder: string) {
    party.host.answers.package.push(path);
    await party.page.getByRole('button', { name: 'Receive' }).click();
    await party.page.getByRole('button', { name: 'Open a package…' }).click();
    await party.page.getByRole('heading', { name: 'From' }).waitFor();
    await mkdir(join(work, folder));
    party.host.answers.folder.push(join(work, folder));
    await party.page.getByRole('button', { name: 'Save files…' }).click();
    await party.page.getByText(/were verified and saved/).waitFor({ timeout: scaled(30_000) });
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
    'Alice seals with a subject; Bob opens it, presses Reply, and his reply is linked to it',
    async () => {
      await writeFile(join(work, 'referral.txt'), 'Referral letter (synthetic test data, no real patient)');
      alice.host.answers.filesToSeal.push([join(work, 'referral.txt')]);
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Choose files…' }).click();
      await alice.page.getByLabel('Recipients').fill('Bob');
      await alice.page.getByRole('button', { name: /^Bob Brown, General Hospital/ }).click();
      await alice.page.getByLabel('Subject (optional, encrypted, one line)').fill(SUBJECT);
      await sealAndSave(alice, join(work, 'referral.medseal'));

      await openAndSave(bob, join(work, 'referral.medseal'), 'bob-in');
      const preview = bob.page.getByRole('article', { name: 'Package' });
      expect(await preview.innerText()).toContain(`Subject: ${SUBJECT}`);
      await bob.page.getByRole('button', { name: 'Reply…' }).click();

      // Send, with the reply linked, Alice chosen and the subject filled in (editable).
      await bob.page.getByRole('heading', { name: 'Send records' }).waitFor();
      await bob.page.getByText(`This package answers “${SUBJECT}”`).waitFor();
      expect(await bob.page.getByLabel('Subject (optional, encrypted, one line)').inputValue()).toBe(`Re: ${SUBJECT}`);
      expect(await bob.page.getByRole('list', { name: 'Chosen recipients' }).innerText()).toContain('Alice Adams');
      await screenshot(bob.page, '42-send-reply');
      expect(await axeViolations(bob.page)).toEqual([]);

      await writeFile(join(work, 'echo.txt'), 'Echo report (synthetic test data, no real patient)');
      bob.host.answers.filesToSeal.push([join(work, 'echo.txt')]);
      await bob.page.getByRole('button', { name: 'Choose files…' }).click();
      await sealAndSave(bob, join(work, 'reply.medseal'));

      // The reply names the referral: Bob's history links them.
      const history = bob.app.session.profiles.requireUnlocked().history.list();
      const [reply, referral] = history;
      expect(reply).toMatchObject({ direction: 'sent', subject: `Re: ${SUBJECT}`, replyTo: referral!.packageHash });
    },
    scaled(150_000),
  );

  it(
    'Activity shows the referral and the reply as one thread, newest first, with their states, on both sides',
    async () => {
      await bob.page.getByRole('button', { name: 'Activity' }).click();
      const bobsThread = bob.page.getByRole('rowgroup', { name: `Thread: ${SUBJECT}` });
      await bobsThread.waitFor({ timeout: scaled(15_000) });
      const bobsRows = bobsThread.getByRole('row');
      expect(await bobsRows.count()).toBe(3); // the thread's heading, then its two packages
      expect(await bobsRows.nth(0).innerText()).toContain('2 packages, newest first');
      expect(await bobsRows.nth(1).innerText()).toMatch(
        /Sent[\s\S]*Alice Adams[\s\S]*Re: Cardiology referral[\s\S]*Alice Adams: sealed, not delivered/,
      );
      expect(await bobsRows.nth(2).innerText()).toMatch(
        /Received[\s\S]*Alice Adams[\s\S]*Cardiology referral[\s\S]*opened/,
      );
      await screenshot(bob.page, '43-activity-thread');
      expect(await axeViolations(bob.page)).toEqual([]);

      await openAndSave(alice, join(work, 'reply.medseal'), 'alice-in');
      await alice.page.getByRole('article', { name: 'Package' }).getByText(`Subject: Re: ${SUBJECT}`).waitFor();
      await alice.page.getByRole('button', { name: 'Activity' }).click();
      const alicesRows = alice.page.getByRole('rowgroup', { name: `Thread: ${SUBJECT}` }).getByRole('row');
      await alicesRows.nth(2).waitFor({ timeout: scaled(15_000) });
      expect(await alicesRows.nth(1).innerText()).toMatch(/Received[\s\S]*Bob Brown[\s\S]*Re: Cardiology referral/);
      expect(await alicesRows.nth(2).innerText()).toMatch(
        /Sent[\s\S]*Bob Brown[\s\S]*Cardiology referral[\s\S]*Bob Brown: sealed/,
      );

      // Search by the subject keeps the thread together.
      await alice.page.getByLabel('Search by file name, subject, person or organisation').fill('echo report');
      await alice.page
        .getByRole('rowgroup', { name: `Thread: ${SUBJECT}` })
        .getByRole('row')
        .nth(2)
        .waitFor({ timeout: scaled(15_000) });
      expect(alice.cspViolations).toEqual([]);
      expect(bob.cspViolations).toEqual([]);
    },
    scaled(120_000),
  );
});
