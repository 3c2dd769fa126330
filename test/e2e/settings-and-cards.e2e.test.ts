/**
 * Settings and cards in Chromium against the real app core (issue 28,
 * items 5 and 8): the reader's own card as partners see it, with a QR code
 * of what fits (a post-quantum card does not); "1 contact"; the SFTP fields
 * styled like the rest; an exchange added under a name people chose;
 * "Test connection" against a real sshd, working and stopped; Remove that
 * asks first; and "Forgot your passphrase?" naming the organisation's
 * emergency access where the policy has a recovery key.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { splitForTest } from '../helpers/custodians.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, serveRenderer, type Party } from './harness.js';

const PASS = 'correct horse battery staple';
const noSshd = sshdUnavailable();
if (noSshd) console.warn(`the SFTP parts of the settings e2e are skipped: ${noSshd}`);

let browser: Browser;
let server: Server;
let origin: string;
let work: string;
let alice: Party;
let bob: Party;
let sshd: SshdServer | undefined;

async function unlock(party: Party): Promise<void> {
  await party.page.getByLabel('Passphrase').fill(PASS);
  await party.page.getByRole('button', { name: 'Unlock' }).click();
  await party.page.getByRole('button', { name: 'Contacts' }).click({ timeout: scaled(30_000) });
  await party.page.getByRole('heading', { name: 'Your contact card' }).waitFor();
}

beforeAll(async () => {
  ({ origin, server } = await serveRenderer());
  browser = await launchChromium();
  work = await mkdtemp(join(tmpdir(), 'medseal-e2e-settings-'));
  await createFastProfiles(work, PASS, [
    { home: 'alice', name: 'Alice Adams', email: 'alice@general.example', organisation: 'General Hospital' },
    { home: 'bob', name: 'Bob Brown', email: 'bob@clinic.example', organisation: 'Clinic' },
  ]);
  const key = await splitForTest(await mkdtemp(join(work, 'shares-')), 2, 2, 'General Hospital');
  const policy: PolicyState = {
    state: 'ok',
    source: 'test policy',
    effective: { ...POLICY_DEFAULTS, orgRecoveryKey: Buffer.from(key.card.bytes).toString('base64') },
    managed: ['orgRecoveryKey'],
  };
  alice = await openParty(browser, origin, join(work, 'alice'), { policy });
  bob = await openParty(browser, origin, join(work, 'bob'));
  if (!noSshd) sshd = await startSshd();
}, scaled(60_000));

afterAll(async () => {
  await browser?.close();
  server?.close();
  alice?.app.close();
  bob?.app.close();
  await sshd?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('settings and cards in Chromium', () => {
  it('"Forgot your passphrase?" names the emergency access of the policy; without one, says nobody can open it', async () => {
    await alice.page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
    await alice.page
      .getByText(/^No recovery kit\? General Hospital has emergency access: several custodians together can restore/)
      .waitFor();
    await alice.page.getByText(/Ask IT \(privacy-office@hospital\.example\)/).waitFor();
    await alice.page.getByRole('button', { name: 'Back' }).click();
    await bob.page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
    await bob.page.getByText(/^No recovery kit\? Your IT department cannot open your identity either/).waitFor();
    expect(await bob.page.getByText(/emergency access/).count()).toBe(0);
    await bob.page.getByRole('button', { name: 'Back' }).click();
  });

  it(
    "the own card as partners see it, with a QR code of its fingerprint (a post-quantum card is too big for one); '1 contact'",
    async () => {
      await unlock(alice);
      await unlock(bob);
      const card = alice.page.getByRole('definition').filter({ hasText: /^[0-9a-f]{4}( [0-9a-f]{4}){15}$/ });
      const fingerprint = (await card.textContent())!.replace(/ /g, '');
      const shown = alice.page.getByLabel('Your card as partners see it');
      expect(await shown.textContent()).toBe(
        `NameAlice AdamsOrganisationGeneral HospitalE-mailalice@general.exampleFingerprint${(await card.textContent())!}`,
      );
      const qr = alice.page.getByRole('img', { name: /^QR code of your fingerprint/ });
      await qr.waitFor({ timeout: scaled(10_000) });
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      // The raw card text is there to copy, folded away: not what the screen shows.
      const text = alice.page.getByLabel('Card text', { exact: true });
      expect(await text.isVisible()).toBe(false);
      const armored = await text.inputValue();
      expect(armored).toMatch(/BEGIN MEDSEAL CONTACT CARD/);
      expect(await alice.page.locator('body').innerText()).not.toContain(armored.split('\n')[2]!); // innerText: what is rendered

      await alice.page
        .getByLabel('Paste the card text from an e-mail')
        .fill(await bob.page.getByLabel('Card text', { exact: true }).inputValue());
      await alice.page.getByRole('button', { name: 'Import pasted card' }).click();
      await alice.page.getByText('Bob Brown was added').waitFor();
      await alice.page.getByText('1 contact', { exact: true }).waitFor();
      expect(await axeViolations(alice.page)).toEqual([]);
    },
    scaled(60_000),
  );

  it('the SFTP fields look like every other field; a folder is added under the name typed', async () => {
    await alice.page.getByRole('button', { name: 'Settings' }).click();
    const field = alice.page.locator('#sftp-url');
    await field.waitFor();
    const style = await field.evaluate((element) => {
      const computed = getComputedStyle(element);
      return {
        radius: computed.borderTopLeftRadius,
        border: computed.borderTopColor,
        boxSizing: computed.boxSizing,
        width: element.getBoundingClientRect().width,
        formWidth: element.parentElement!.getBoundingClientRect().width,
      };
    });
    expect(style).toMatchObject({ radius: '6px', border: 'rgb(140, 151, 164)', boxSizing: 'border-box' });
    expect(style.width).toBeGreaterThan(style.formWidth * 0.8); // full width, not a tiny box

    const folder = join(work, 'ward-4');
    await mkdir(folder);
    alice.host.answers.exchange.push(folder);
    await alice.page.getByLabel('Name you will see (optional)').first().fill('Ward 4 share');
    await alice.page.getByRole('button', { name: 'Add an exchange folder…' }).click();
    await alice.page.getByRole('list', { name: 'Exchanges' }).getByText(`Folder Ward 4 share (${folder})`).waitFor();
  });

  it.skipIf(noSshd !== null)(
    'an SFTP server under a name; "Test connection" says each step, or the one that failed and what to do',
    async () => {
      const server = sshd!;
      const page = alice.page;
      await page.getByLabel('Address from IT (sftp://user@server/path)').fill(server.url);
      await page.getByLabel('Name you will see (optional)').last().fill('Lab partners');
      await page.getByRole('button', { name: 'Show the server’s key' }).click();
      await page.getByLabel('Host key from IT').fill(server.hostKeyFingerprint);
      alice.host.answers.sftpKey.push(server.clientKeyFile);
      await page.getByRole('button', { name: 'Keys match: add it and choose my login key…' }).click();
      const list = page.getByRole('list', { name: 'Exchanges' });
      await list.getByText('SFTP Lab partners (127.0.0.1)').waitFor({ timeout: scaled(15_000) });

      await page.getByRole('button', { name: 'Test connection of Lab partners (127.0.0.1)' }).click();
      await page
        .getByText(
          'Lab partners (127.0.0.1) works: connected · host key as pinned · your inbox is there · announced to partners · writable.',
        )
        .waitFor({ timeout: scaled(15_000) });
      expect(await axeViolations(page)).toEqual([]);

      await server.stop();
      try {
        await page.getByRole('button', { name: 'Test connection of Lab partners (127.0.0.1)' }).click();
        const failed = page.getByRole('alert').filter({ hasText: 'Lab partners (127.0.0.1): cannot connect.' });
        await failed.waitFor({ timeout: scaled(20_000) });
        expect(await failed.textContent()).toMatch(
          /The exchange server could not be reached \(127\.0\.0\.1:\d+\).* Next: Check the network, then ask IT whether the server is running/,
        );
      } finally {
        await server.start();
      }
    },
    scaled(60_000),
  );

  it('Remove asks first: packages waiting there will not be fetched; "Keep it" keeps it', async () => {
    const page = alice.page;
    const folder = join(work, 'ward-4');
    const list = page.getByRole('list', { name: 'Exchanges' });
    await page.getByRole('button', { name: `Remove Ward 4 share (${folder})` }).click();
    const question = page.getByRole('group', { name: `Remove Ward 4 share (${folder})?` });
    await question.getByText(/Packages waiting there will not be fetched/).waitFor();
    await question.getByRole('button', { name: 'Keep it' }).click();
    expect(await question.count()).toBe(0);
    expect(await list.getByText(`Folder Ward 4 share (${folder})`).count()).toBe(1);
    await page.getByRole('button', { name: `Remove Ward 4 share (${folder})` }).click();
    await question.getByRole('button', { name: 'Remove it' }).click();
    await list.getByText(`Folder Ward 4 share (${folder})`).waitFor({ state: 'detached' });
  });
});
