/**
 * Inviting a partner by e-mail in Chromium, over real Postfix and Dovecot on
 * 127.0.0.1 (test/helpers/mail-server.ts). Alice has no mailbox yet: her
 * invitation is refused in the shared words (MAILBOX_MISSING), focused, with
 * the way to Settings → Exchanges, where she sets up e-mail through the
 * form. She invites Carol from Contacts; Carol's Contacts, open meanwhile,
 * lists Alice's card under "Cards received by e-mail" once her poll counts
 * it; Carol imports it and sees Alice unverified, with the safety number.
 * Carol answers with an invitation of her own (her card); from there Alice
 * imports it, compares the safety number and marks Carol verified, and
 * seals and sends her a first package, by e-mail. Alice's actions from the
 * invitation to the package sent are counted and printed. Both audit logs
 * record the invitation and the accepted card.
 */
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { TRUST_LABEL } from '../../main/texts/trust-texts.js';
import type { MedSealApp } from '../../main/app/medseal-app.js';
import { clientFor as coreClientFor } from '../helpers/app-client.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, screenshot, serveRenderer, type Party } from './harness.js';

const PASS = 'maple kettle orbit lantern';
const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`invitation e2e skipped: ${unavailable}`);

type Clinician = Party & { user: MailUser };

/** Where the keyboard focus is after an action (never the page body). */
function focused(party: Party) {
  return party.page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    return {
      tag: element.tagName.toLowerCase(),
      className: element.className,
      text: (element.textContent ?? '').trim(),
    };
  });
}

/** The audit log's actions, in order. */
const actions = (party: Party) =>
  party.app.session.profiles
    .requireUnlocked()
    .audit.entries()
    .map((entry) => entry.action);

describe.skipIf(unavailable !== null)('an invitation by e-mail, in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let mail: MailServer;
  let work: string;
  let origin: string;
  let alice: Clinician;
  let carol: Clinician;
  const clientFor = (app: MedSealApp) => {
    const { call } = coreClientFor(app);
    return {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by the contract
      call: <T = any>(channel: string, payload: unknown = {}) =>
        call<T>(channel, payload, { url: `${origin}/index.html`, isMainFrame: true }),
    };
  };

  /** A clinician whose card names their mailbox on the test server (the identity made through the app core). */
  async function clinician(name: string, local: string, organisation: string): Promise<Clinician> {
    const user = await mail.users.create(local);
    const party = await openParty(browser, origin, join(work, local));
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

  beforeAll(async () => {
    await loadSodium();
    mail = await startMailServer();
    ({ server, origin } = await serveRenderer());
    browser = await launchChromium();
    work = await tempFolder('medseal-e2e-invite-');
    alice = await clinician('Alice Adams', 'alice', 'General Hospital');
    carol = await clinician('Carol Clark', 'carol', 'Heart Clinic');
    // Carol set up her mailbox earlier (through the app core); they have never exchanged anything.
    carol.host.answers.mailCaFile.push(mail.caFile);
    await clientFor(carol.app).call('exchange.addMail', {
      smtp: `smtps://127.0.0.1:${mail.smtpsPort}`,
      imap: `imaps://127.0.0.1:${mail.imapPort}`,
      password: carol.user.password,
      chooseCaFile: true,
    });
  }, scaled(120_000));

  afterAll(async () => {
    await browser?.close();
    server?.close();
    alice?.app.close();
    carol?.app.close();
    await mail?.dispose();
  });

  it(
    'Alice invites Carol; Carol imports the card (unverified, safety number); Carol answers, Alice verifies and sends by e-mail',
    async () => {
      // Alice, before her mailbox is set up: the refusal in the shared words, and the way to set it up.
      await alice.page.getByRole('button', { name: 'Contacts' }).click();
      const aliceOffers = alice.page.locator('section[aria-labelledby="offers-title"]');
      await aliceOffers.getByText(/Once your mailbox is set up/).waitFor({ timeout: scaled(20_000) });
      await alice.page.getByLabel('Partner’s e-mail address').fill(carol.user.address);
      await alice.page.getByRole('button', { name: 'Send invitation' }).click();
      await alice.page.getByText(/This needs e-mail, and no mailbox is set up here/).waitFor();
      await expect.poll(async () => (await focused(alice)).className).toContain('notice-error');
      await alice.page.getByRole('button', { name: 'Set up e-mail in Settings → Exchanges' }).click();
      await expect.poll(async () => focused(alice)).toMatchObject({ tag: 'h3', text: 'Exchanges' });
      const form = alice.page.getByRole('form', { name: 'Set up e-mail' });
      await form.getByLabel('Outgoing server', { exact: false }).fill(`smtps://127.0.0.1:${mail.smtpsPort}`);
      await form.getByLabel('Incoming server', { exact: false }).fill(`imaps://127.0.0.1:${mail.imapPort}`);
      await form.getByLabel('Password', { exact: true }).fill(alice.user.password);
      await form.getByLabel(/own certificate authority/).check();
      alice.host.answers.mailCaFile.push(mail.caFile);
      await form.getByRole('button', { name: 'Set up e-mail and choose the certificate…' }).click();
      await alice.page
        .getByText(`E-mail is set up for ${alice.user.address}: both logins worked.`)
        .waitFor({ timeout: scaled(20_000) });
      await alice.page.getByRole('button', { name: 'Contacts' }).click();
      await aliceOffers.getByText('No contact cards came by e-mail.').waitFor({ timeout: scaled(20_000) });

      // Carol looks at Contacts before anything came: the list fills in when her poll counts the card.
      await carol.page.getByRole('button', { name: 'Contacts' }).click();
      const carolOffers = carol.page.locator('section[aria-labelledby="offers-title"]');
      await carolOffers.getByText('No contact cards came by e-mail.').waitFor({ timeout: scaled(20_000) });

      // From here, every action of Alice's is counted (the partner's are not).
      const steps: string[] = [];
      const act = async (step: string, work: () => Promise<unknown>) => {
        steps.push(step);
        await work();
      };

      await act('type the partner’s e-mail address', () =>
        alice.page.getByLabel('Partner’s e-mail address').fill(carol.user.address),
      );
      await act('click "Send invitation"', () => alice.page.getByRole('button', { name: 'Send invitation' }).click());
      const sent = `Your contact card was sent to ${carol.user.address}. When their card comes back by e-mail, it is listed under "Cards received by e-mail": import it, then compare the safety number with them by phone before you send anything.`;
      await alice.page.getByText(sent).waitFor({ timeout: scaled(20_000) });
      expect(await focused(alice)).toMatchObject({ text: sent });
      expect(await axeViolations(alice.page)).toEqual([]);
      await alice.page.evaluate(() => window.scrollTo(0, 0)); // the sticky header at the top of the full page
      await screenshot(alice.page, '46-contacts-invite');

      // Carol: Alice's card, offered as partners' cards are shown, with Import.
      const import_ = carol.page.getByRole('button', { name: 'Import Alice Adams' });
      await import_.waitFor({ timeout: scaled(40_000) });
      expect(await carolOffers.innerText()).toMatch(
        new RegExp(`Alice Adams, Doctor, General Hospital <${alice.user.address}>[\\s\\S]*new: unverified`),
      );
      expect(await axeViolations(carol.page)).toEqual([]);
      await screenshot(carol.page, '47-contacts-cards-by-email');
      await import_.click();
      await carol.page.getByText('Alice Adams was added. Now compare safety numbers with them.').waitFor();
      expect((await focused(carol)).text).toBe('Alice Adams was added. Now compare safety numbers with them.');
      await carolOffers.getByText('No contact cards came by e-mail.').waitFor();
      const aliceRow = carol.page.getByRole('row', { name: /Alice Adams/ });
      await aliceRow.getByText(TRUST_LABEL.unverified).waitFor(); // "Not verified yet"
      await carol.page.getByRole('button', { name: 'Verify Alice Adams' }).click();
      const carolsNumber = await carol.page.getByLabel(/^Safety number:/).getAttribute('aria-label');
      expect(carolsNumber).toMatch(/^Safety number: (\d{5} ){11}\d{5}$/);

      // Carol answers with her card: an invitation of her own, to Alice's address.
      await carol.page.getByRole('button', { name: 'Back' }).click();
      await carol.page.getByLabel('Partner’s e-mail address').fill(alice.user.address);
      await carol.page.getByRole('button', { name: 'Send invitation' }).click();
      await carol.page.getByText(`Your contact card was sent to ${alice.user.address}.`, { exact: false }).waitFor({
        timeout: scaled(20_000),
      });

      // Alice, still on Contacts: Carol's card arrives; she imports it, compares by phone, verifies.
      const importCarol = alice.page.getByRole('button', { name: 'Import Carol Clark' });
      await importCarol.waitFor({ timeout: scaled(40_000) });
      await act('click "Import Carol Clark"', () => importCarol.click());
      await alice.page.getByText('Carol Clark was added. Now compare safety numbers with them.').waitFor();
      await act('click "Verify Carol Clark"', () =>
        alice.page.getByRole('button', { name: 'Verify Carol Clark' }).click(),
      );
      // On the phone, they read the 60 digits to each other: the same on both sides.
      expect(await alice.page.getByLabel(/^Safety number:/).getAttribute('aria-label')).toBe(carolsNumber);
      await act('click "The numbers match — mark verified"', () =>
        alice.page.getByRole('button', { name: /The numbers match/ }).click(),
      );
      await alice.page.getByText('Carol Clark is verified.').waitFor();

      // Alice's first package to Carol, whom only e-mail reaches.
      await writeFile(join(work, 'Referral letter.pdf'), 'synthetic referral letter');
      alice.host.answers.filesToSeal.push([join(work, 'Referral letter.pdf')]);
      await act('click the "Send" tab', () => alice.page.getByRole('button', { name: 'Send', exact: true }).click());
      await act('click "Choose files…" (then the system dialog: pick the file, Open)', () =>
        alice.page.getByRole('button', { name: 'Choose files…' }).click(),
      );
      await act('type "Carol" in Recipients', () => alice.page.getByLabel('Recipients').fill('Carol'));
      await act('click "Carol Clark, Heart Clinic"', () =>
        alice.page.getByRole('button', { name: /^Carol Clark, Heart Clinic/ }).click(),
      );
      await act('click "Seal and send"', () => alice.page.getByRole('button', { name: 'Seal and send' }).click());
      await act('click "Seal for this recipient" (a first package to Carol)', () =>
        alice.page.getByRole('button', { name: 'Seal for this recipient' }).click(),
      );
      await alice.page.getByRole('heading', { name: 'Sent' }).waitFor({ timeout: scaled(30_000) });
      await alice.page
        .getByText(`Sent by e-mail to ${carol.user.address} (Carol Clark) · waiting for receipt`)
        .waitFor();
      console.log(
        `Alice's actions from the invitation to the package sent: ${steps.length}\n${steps.map((step, index) => `  ${index + 1}. ${step}`).join('\n')}`,
      );
      expect(steps).toHaveLength(11);

      // With contacts listed, "Invite a partner" above the list brings the reader to the address field.
      await carol.page.getByRole('button', { name: 'Invite a partner' }).click();
      expect(await carol.page.evaluate(() => document.activeElement?.id)).toBe('invite-email');

      await carol.page.getByRole('button', { name: 'Receive 1 waiting' }).waitFor({ timeout: scaled(40_000) });
      expect(actions(alice)).toEqual(expect.arrayContaining(['invitation.sent', 'invitation.card-accepted']));
      expect(actions(carol)).toEqual(
        expect.arrayContaining(['invitation.card-accepted', 'contact.imported', 'invitation.sent']),
      );
      for (const party of [alice, carol]) expect(party.cspViolations).toEqual([]);
    },
    scaled(240_000),
  );
});
