/**
 * Activity → Withdraw in a real browser (Debian's Chromium) against the real
 * app cores of two clinicians on a real SFTP server (sshd on 127.0.0.1):
 * Alice sends, Bob's inbox lists it, Alice withdraws it after a plain
 * warning that what was downloaded cannot be taken back; Bob's inbox
 * empties, Alice's Activity says "withdrawn", both audit logs record it.
 * A package Bob opened offers no Withdraw.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { CANNOT_TAKE_BACK } from '../../main/texts/withdraw-texts.js';
import { fillNewIdentity } from '../helpers/identity-form.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, screenshot, serveRenderer, type Party } from './harness.js';

const PASS = 'maple kettle orbit lantern';
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`the withdraw end-to-end test is skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('withdrawing a package in Chromium, over a real SFTP server', () => {
  let browser: Browser;
  let server: Server;
  let sshd: SshdServer;
  let work: string;
  let alice: Party;
  let bob: Party;
  const focusedText = (party: Party) => party.page.evaluate(() => (document.activeElement?.textContent ?? '').trim());
  const actions = (party: Party) =>
    party.app.session.profiles
      .requireUnlocked()
      .audit.entries()
      .map((entry) => entry.action);

  beforeAll(async () => {
    await loadSodium();
    sshd = await startSshd();
    let origin: string;
    ({ origin, server } = await serveRenderer());
    browser = await launchChromium();
    work = await mkdtemp(join(tmpdir(), 'medseal-e2e-withdraw-')); // lives for the whole file: the steps build on each other
    alice = await openParty(browser, origin, join(work, 'alice-profile'));
    bob = await openParty(browser, origin, join(work, 'bob-profile'));
  }, scaled(60_000));

  afterAll(async () => {
    await browser?.close();
    server?.close();
    alice?.app.close();
    bob?.app.close();
    await sshd?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(
    'Alice and Bob create identities, exchange cards and add the same SFTP server',
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
      // They compare safety numbers (as clinician-flows does), so sending needs no extra confirmation.
      await alice.page.getByRole('button', { name: 'Verify Bob Brown' }).click();
      await bob.page.getByRole('button', { name: 'Verify Alice Adams' }).click();
      for (const party of [alice, bob]) {
        await party.page.getByRole('button', { name: /The numbers match/ }).click();
        await party.page.getByRole('cell', { name: 'Verified' }).waitFor();
      }
      for (const party of [alice, bob]) {
        party.host.answers.sftpKey.push(sshd.clientKeyFile);
        await party.page.getByRole('button', { name: 'Settings' }).click();
        await party.page.getByLabel('Address from IT (sftp://user@server/path)').fill(sshd.url);
        await party.page.getByRole('button', { name: 'Show the server’s key' }).click();
        await party.page.getByLabel('Host key from IT').fill(sshd.hostKeyFingerprint);
        await party.page.getByRole('button', { name: 'Keys match: add it and choose my login key…' }).click();
        await party.page
          .getByRole('list', { name: 'Exchanges' })
          .getByText(/127\.0\.0\.1/)
          .first()
          .waitFor({ timeout: scaled(30_000) });
      }
    },
    scaled(120_000),
  );

  /** Alice sends a file to Bob through the exchange; Bob's tab then counts it. */
  async function aliceSendsToBob(name: string) {
    await writeFile(join(work, name), `synthetic ${name}`);
    alice.host.answers.filesToSeal.push([join(work, name)]);
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.page.getByRole('button', { name: 'Choose files…' }).click();
    await alice.page.getByLabel('Recipients').fill('Bob');
    await alice.page.getByRole('button', { name: /^Bob Brown, General Hospital/ }).click();
    await alice.page.getByRole('button', { name: 'Seal and send' }).click({ timeout: scaled(30_000) });
    // The recipients are confirmed again only for a first package (a verified partner sent to before is not asked).
    const confirm = alice.page.getByRole('button', { name: 'Seal for this recipient' });
    const sent = alice.page.getByRole('heading', { name: 'Sent' });
    await confirm
      .or(sent)
      .first()
      .waitFor({ timeout: scaled(30_000) });
    if (await confirm.isVisible()) await confirm.click();
    await sent.waitFor({ timeout: scaled(30_000) });
    expect(alice.host.saveRequests).toEqual([]); // sending asks no Save dialog
    await bob.page.getByRole('button', { name: 'Receive 1 waiting' }).waitFor({ timeout: scaled(30_000) });
  }

  it(
    'Bob sees the package; Alice withdraws it after a plain warning; his inbox empties and both logs record it',
    async () => {
      await aliceSendsToBob('Lab results.txt');
      await bob.page.getByRole('button', { name: 'Receive 1 waiting' }).click();
      await bob.page.getByRole('heading', { name: 'In your exchange inbox' }).waitFor({ timeout: scaled(15_000) }); // Bob has seen it

      await alice.page.getByRole('button', { name: 'Activity' }).click();
      const row = alice.page.getByRole('row').filter({ hasText: 'Lab results.txt' });
      await row.getByText(/Bob Brown: delivered, waiting for receipt/).waitFor({ timeout: scaled(15_000) });
      await row.getByRole('button', { name: /^Withdraw the package sent/ }).click();
      const panel = alice.page.getByRole('region', { name: /^Withdraw the package sent/ });
      expect(await panel.innerText()).toContain(CANNOT_TAKE_BACK); // said before anything is done
      expect(await focusedText(alice)).toMatch(/^Withdraw the package sent/); // the question is where the reader is
      await screenshot(alice.page, '40-activity-withdraw');
      expect(await axeViolations(alice.page)).toEqual([]);
      await panel.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await panel
        .getByRole('list', { name: 'What became of each copy' })
        .getByText('Bob Brown: withdrawn — it no longer waits in their inbox.')
        .waitFor({ timeout: scaled(30_000) });
      await row.getByText(/Bob Brown: withdrawn/).waitFor({ timeout: scaled(15_000) });
      expect(await row.getByRole('button', { name: /^Withdraw the package sent/ }).count()).toBe(0); // nothing left to withdraw
      await screenshot(alice.page, '41-activity-withdrawn');
      expect(await axeViolations(alice.page)).toEqual([]);
      await panel.getByRole('button', { name: 'Done' }).click();
      expect(await panel.count()).toBe(0);
      expect(await focusedText(alice)).toBe('Activity'); // not the page body

      // Bob's next poll: nothing waits, and the signed notice is recorded in his audit log.
      await bob.page.getByRole('button', { name: 'Receive', exact: true }).waitFor({ timeout: scaled(30_000) });
      await expect.poll(() => actions(bob), { timeout: scaled(30_000) }).toContain('package.withdrawn-by-sender');
      expect(actions(alice)).toContain('package.withdrawn');
      expect(alice.cspViolations).toEqual([]);
    },
    scaled(150_000),
  );

  it(
    'a package Bob opened offers no Withdraw: what he has cannot be taken back',
    async () => {
      await aliceSendsToBob('Discharge note.txt');
      await bob.page.getByRole('button', { name: 'Receive 1 waiting' }).click();
      await bob.page.getByRole('button', { name: 'Open', exact: true }).click({ timeout: scaled(15_000) });
      const out = join(work, 'bob-saved');
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page.getByText(/All 1 file\(s\) were verified and saved/).waitFor({ timeout: scaled(30_000) });

      await alice.page.getByRole('button', { name: 'Activity' }).click();
      const row = alice.page.getByRole('row').filter({ hasText: 'Discharge note.txt' });
      await row.getByText(/Bob Brown: opened/).waitFor({ timeout: scaled(30_000) });
      expect(await row.getByRole('button', { name: /^Withdraw the package sent/ }).count()).toBe(0);
    },
    scaled(120_000),
  );
});
