/**
 * A referral by e-mail in Chromium, over real Postfix and Dovecot on
 * 127.0.0.1 (test/helpers/mail-server.ts): two clinicians whose cards name
 * their mailboxes each set up e-mail in Settings → Exchanges through the
 * form (the CA file's dialog answered by the fake host; Alice first types a
 * wrong password and is told so, focused); "Test connection" passes the
 * mailbox's steps; Alice sends to Bob, whom no exchange reaches, and sees
 * "Sent by e-mail to <Bob's address>"; Bob's Receive lists the package and
 * he opens it; Alice's Activity shows it opened (the receipt came back by
 * e-mail). Under a policy the form asks only what the organisation left
 * open, or says that e-mail is not set up.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import type { MedSealApp } from '../../main/app/medseal-app.js';
import { clientFor as coreClientFor } from '../helpers/app-client.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, screenshot, serveRenderer, type Party } from './harness.js';

const PASS = 'maple kettle orbit lantern';
const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`e-mail referral e2e skipped: ${unavailable}`);

/** Where the keyboard focus is after an action (never the page body). */
function focused(party: Party) {
  return party.page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    return { className: element.className, text: (element.textContent ?? '').trim() };
  });
}

describe.skipIf(unavailable !== null)('a referral by e-mail, in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let mail: MailServer;
  let work: string;
  let origin: string;
  let alice: Party & { user: MailUser };
  let bob: Party & { user: MailUser };
  const clientFor = (app: MedSealApp) => {
    const { call } = coreClientFor(app);
    return {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by the contract
      call: <T = any>(channel: string, payload: unknown = {}) =>
        call<T>(channel, payload, { url: `${origin}/index.html`, isMainFrame: true }),
    };
  };

  /** A clinician whose card names their mailbox on the test server (the identity made through the app core). */
  async function clinician(name: string, local: string, organisation: string, policy?: PolicyState) {
    const user = await mail.users.create(local);
    const party = await openParty(browser, origin, join(work, local), policy ? { policy } : {});
    await clientFor(party.app).call('identity.create', {
      name,
      organisation,
      role: 'Doctor',
      email: user.address,
      passphrase: PASS,
    });
    await party.page.reload();
    await party.page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    return { ...party, user };
  }

  /** Settings → Exchanges → "Set up e-mail", as the person fills it in; the CA file from the dialog. */
  async function fillMailForm(party: Party & { user: MailUser }, password: string) {
    const { page } = party;
    const form = page.getByRole('form', { name: 'Set up e-mail' });
    await page.getByLabel('Outgoing server', { exact: false }).fill(`smtps://127.0.0.1:${mail.smtpsPort}`);
    await page.getByLabel('Incoming server', { exact: false }).fill(`imaps://127.0.0.1:${mail.imapPort}`);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel(/own certificate authority/).check();
    party.host.answers.mailCaFile.push(mail.caFile);
    await form.getByRole('button', { name: 'Set up e-mail and choose the certificate…' }).click();
  }

  beforeAll(async () => {
    await loadSodium();
    mail = await startMailServer();
    ({ server, origin } = await serveRenderer());
    browser = await launchChromium();
    work = await tempFolder('medseal-e2e-mail-');
    alice = await clinician('Alice Adams', 'alice', 'General Hospital');
    bob = await clinician('Bob Brown', 'bob', 'Partner Lab');
    // They exchanged cards and compared safety numbers earlier; no exchange of any kind is set up.
    for (const [me, them] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const { call } = clientFor(me.app);
      const { armored } = await clientFor(them.app).call('identity.myCard');
      const { contact } = await call('contacts.importText', { text: armored });
      const { safetyNumber } = await call('contacts.safetyNumber', { fingerprint: contact.fingerprint });
      await call('contacts.verify', { fingerprint: contact.fingerprint, safetyNumber });
    }
  }, scaled(120_000));

  afterAll(async () => {
    await browser?.close();
    server?.close();
    alice?.app.close();
    bob?.app.close();
    await mail?.dispose();
  });

  it(
    'each sets up e-mail in Settings; Alice sends by e-mail, Bob opens it from Receive, Alice sees "opened"',
    async () => {
      // Alice: the form starts from her card's address; a wrong password is refused in plain words, focused.
      await alice.page.getByRole('button', { name: 'Settings' }).click();
      await alice.page.getByRole('heading', { name: 'Set up e-mail' }).waitFor();
      expect(await alice.page.getByLabel('Your e-mail address').inputValue()).toBe(alice.user.address);
      await fillMailForm(alice, 'not the password');
      await alice.page.getByText(/refused the login/).waitFor({ timeout: scaled(20_000) });
      await expect.poll(async () => (await focused(alice)).className).toContain('notice-error');
      expect(await alice.page.getByLabel('Password', { exact: true }).inputValue()).toBe(''); // never kept
      expect(await clientFor(alice.app).call('exchange.list')).toEqual([]);

      await fillMailForm(alice, alice.user.password);
      await alice.page
        .getByText(`E-mail is set up for ${alice.user.address}: both logins worked.`)
        .waitFor({ timeout: scaled(20_000) });
      const exchanges = alice.page.getByRole('list', { name: 'Exchanges' });
      await exchanges.getByText(`E-mail (${alice.user.address})`).waitFor();
      expect(await axeViolations(alice.page)).toEqual([]);
      await alice.page.evaluate(() => window.scrollTo(0, 0)); // the sticky header at the top of the full page
      await screenshot(alice.page, '44-settings-email');
      await exchanges.getByRole('button', { name: `Test connection of E-mail (${alice.user.address})` }).click();
      await alice.page
        .getByText(
          `E-mail (${alice.user.address}) works: sending works (TLS verified, logged in) · receiving works (TLS verified, logged in) · a test message to yourself arrived (and was removed).`,
        )
        .waitFor({ timeout: scaled(30_000) });

      await bob.page.getByRole('button', { name: 'Settings' }).click();
      await fillMailForm(bob, bob.user.password);
      await bob.page
        .getByText(`E-mail is set up for ${bob.user.address}: both logins worked.`)
        .waitFor({ timeout: scaled(20_000) });

      // Alice sends to Bob, whom no exchange reaches: by e-mail, to the address on his card.
      await writeFile(join(work, 'Lab request.pdf'), 'synthetic lab request');
      alice.host.answers.filesToSeal.push([join(work, 'Lab request.pdf')]);
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Choose files…' }).click();
      await alice.page.getByLabel('Recipients').fill('Bob');
      await alice.page.getByRole('button', { name: /^Bob Brown, Partner Lab/ }).click();
      await alice.page.getByRole('button', { name: 'Seal and send' }).click();
      await alice.page.getByRole('button', { name: 'Seal for this recipient' }).click(); // a first package to Bob
      await alice.page.getByRole('heading', { name: 'Sent' }).waitFor({ timeout: scaled(30_000) });
      await alice.page.getByText(`Sent by e-mail to ${bob.user.address} (Bob Brown) · waiting for receipt`).waitFor();
      expect(alice.host.saveRequests).toEqual([]); // no Save dialog: e-mail reached him
      await screenshot(alice.page, '45-sent-by-email');

      // Bob: Receive lists it (a poll or two: mail goes through Postfix and Dovecot), he opens it.
      await bob.page.getByRole('button', { name: 'Receive 1 waiting' }).waitFor({ timeout: scaled(30_000) });
      await bob.page.getByRole('button', { name: 'Receive' }).click();
      const inbox = bob.page.locator('section[aria-labelledby="inbox-title"]');
      await inbox.waitFor({ timeout: scaled(20_000) });
      expect(await inbox.innerText()).toMatch(/From Alice Adams, General Hospital\s*Verified contact/);
      await bob.page.getByRole('button', { name: 'Open', exact: true }).click();
      await bob.page.getByText('Lab request.pdf').waitFor();
      const out = join(work, 'bob-files');
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page.getByText(/All 1 file\(s\) were verified and saved/).waitFor({ timeout: scaled(30_000) });
      expect(await readFile(join(out, 'Lab request.pdf'), 'utf8')).toBe('synthetic lab request');
      await inbox.waitFor({ state: 'detached', timeout: scaled(20_000) }); // moved to the archive folder

      // Alice: Bob's signed receipt came back by e-mail.
      await alice.page.getByRole('button', { name: 'Activity' }).click();
      await alice.page
        .getByRole('list', { name: 'Recipients' })
        .first()
        .getByText(/^Bob Brown: opened/)
        .waitFor({ timeout: scaled(40_000) });
    },
    scaled(180_000),
  );

  it(
    "under a policy the form asks only for the login (the organisation's servers and CA are named), or says e-mail is not set up",
    async () => {
      const fixed = {
        ...POLICY_DEFAULTS,
        mailSmtpServer: `smtps://127.0.0.1:${mail.smtpsPort}`,
        mailImapServer: `imaps://127.0.0.1:${mail.imapPort}`,
        mailCaFile: mail.caFile,
        mailAllowOwnServers: false,
      };
      const carol = await clinician('Carol Clark', 'carol', 'General Hospital', {
        state: 'ok',
        source: 'test',
        effective: fixed,
        managed: ['mailSmtpServer', 'mailImapServer', 'mailCaFile', 'mailAllowOwnServers'],
      });
      await carol.page.getByRole('button', { name: 'Settings' }).click();
      const form = carol.page.getByRole('form', { name: 'Set up e-mail' });
      await form.getByText(`Mail servers set by your organisation: ${fixed.mailSmtpServer} (outgoing)`).waitFor();
      expect(await form.getByLabel('Outgoing server', { exact: false }).count()).toBe(0);
      expect(await form.getByLabel(/own certificate authority/).count()).toBe(0);
      await form.getByLabel('Password', { exact: true }).fill(carol.user.password);
      await form.getByRole('button', { name: 'Set up e-mail', exact: true }).click();
      await carol.page
        .getByText(`E-mail is set up for ${carol.user.address}: both logins worked.`)
        .waitFor({ timeout: scaled(20_000) });

      const dan = await clinician('Dan Dunn', 'dan', 'General Hospital', {
        state: 'ok',
        source: 'test',
        effective: { ...POLICY_DEFAULTS, mailAllowOwnServers: false },
        managed: ['mailAllowOwnServers'],
      });
      await dan.page.getByRole('button', { name: 'Settings' }).click();
      await dan.page.getByText('Your organisation has not set up delivery by e-mail.').waitFor();
      expect(await dan.page.getByRole('form', { name: 'Set up e-mail' }).count()).toBe(0);
      for (const party of [carol, dan]) party.app.close();
    },
    scaled(120_000),
  );
});
