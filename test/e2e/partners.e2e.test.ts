/**
 * Partner organisations in Chromium against the real app core (issue 32):
 * City Clinic's signed directory published in a folder, named by Alice's
 * organisation's policy. At unlock the app fetches it; Contacts shows Carol
 * "Vouched for by City Clinic (a partner of your organisation)" with no card
 * imported; Send finds her by part of her organisation and seals to her
 * without the "not verified" tick; Settings → Partner organisations shows
 * City "Fresh", set by the policy, and says IT adds partners with the CLI.
 * Then City's key signs a second history: "Refresh now" shows the fork alarm,
 * one desktop notification, and Carol is vouched for no more. axe on each
 * screen; screenshots 50 and 51 for the README.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { TestPartnerOrg } from '../helpers/partner-directory.js';
import { fastIdentity } from '../helpers/identities.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, screenshot, serveRenderer, type Party } from './harness.js';

const PASS = 'correct horse battery staple';
const VOUCHED = 'Vouched for by City Clinic (a partner of your organisation)';

let browser: Browser;
let server: Server;
let origin: string;
let work: string;
let alice: Party;
let city: TestPartnerOrg;

beforeAll(async () => {
  ({ origin, server } = await serveRenderer());
  browser = await launchChromium();
  work = await mkdtemp(join(tmpdir(), 'medseal-e2e-partners-'));
  await createFastProfiles(work, PASS, [
    { home: 'alice', name: 'Alice Adams', email: 'alice@general.example', organisation: 'General Hospital' },
    { home: 'carol', name: 'Carol Cole', email: 'carol@city.example', organisation: 'City Clinic' },
  ]);
  const carol = new ProfileSession(new ProfileFolder(join(work, 'carol')), PolicyGate.none());
  const carolCard = await carol.identities.publicCard();
  carol.close();
  city = await TestPartnerOrg.create(join(work, 'city-dir'), 'City Clinic');
  await city.publish([{ op: 'add', card: carolCard }]);
  const policy: PolicyState = {
    state: 'ok',
    source: 'test policy',
    effective: {
      ...POLICY_DEFAULTS,
      partnerOrganisations: [{ name: 'City Clinic', key: city.key, source: city.source }],
    },
    managed: ['partnerOrganisations'],
  };
  alice = await openParty(browser, origin, join(work, 'alice'), { policy });
}, scaled(60_000));

afterAll(async () => {
  await browser?.close();
  server?.close();
  alice?.app.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The section at the top of the window (below the bar), for its picture. */
async function showTop(section: Locator): Promise<void> {
  await section.evaluate((element) => {
    element.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -60);
  });
}

async function expectAccessible(screen: string): Promise<void> {
  expect(await axeViolations(alice.page), screen).toEqual([]);
}

describe('partner organisations in Chromium', () => {
  it(
    'at unlock the partner directory is fetched: Contacts shows Carol vouched for by City Clinic',
    async () => {
      await alice.page.getByLabel('Passphrase').fill(PASS);
      await alice.page.getByRole('button', { name: 'Unlock' }).click();
      await alice.page.getByRole('button', { name: 'Contacts' }).click({ timeout: scaled(30_000) });
      // The refresh at unlock runs in the background; Contacts lists again when it ends ('partners.changed').
      const row = alice.page.getByRole('row', { name: /Carol Cole/ });
      await row.waitFor({ timeout: scaled(30_000) });
      expect(await row.innerText()).toContain(VOUCHED);
      await expectAccessible('contacts');
    },
    scaled(60_000),
  );

  it(
    'Send finds Carol by part of her organisation and seals to her with no "not verified" tick',
    async () => {
      await writeFile(join(work, 'letter.txt'), 'Referral letter (synthetic test data, no real patient)\n');
      alice.host.answers.filesToSeal.push([join(work, 'letter.txt')]);
      alice.host.answers.save.push(join(work, 'to-carol.medseal'));
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Choose files…' }).click();
      await alice.page.getByLabel('Recipients').fill('city cl');
      const match = alice.page.getByRole('list', { name: 'Matching contacts' }).getByRole('listitem');
      expect(await match.innerText()).toMatch(
        /Carol Cole, City Clinic <carol@city\.example>[\s\S]*Vouched for by City/,
      );
      await alice.page.getByRole('button', { name: /^Carol Cole, City Clinic/ }).click();
      expect(await alice.page.getByText(/I have not compared safety numbers/).count()).toBe(0);
      await expectAccessible('send');
      await alice.page.getByRole('button', { name: 'Seal and save…' }).click();
      await alice.page.getByRole('button', { name: 'Seal for this recipient' }).click();
      await alice.page.getByRole('heading', { name: 'Saved — not sent yet' }).waitFor({ timeout: scaled(30_000) });
    },
    scaled(60_000),
  );

  it(
    'Settings → Partner organisations: City Clinic fresh, set by the policy, added by IT with the CLI',
    async () => {
      await alice.page.getByRole('button', { name: 'Settings' }).click();
      const section = alice.page.getByRole('region', { name: 'Partner organisations' });
      await section.getByText('IT adds partner organisations with medseal org partner add.').waitFor();
      const entry = section.getByRole('listitem').filter({ hasText: 'City Clinic' });
      const text = await entry.innerText();
      expect(text).toMatch(/City Clinic\s*Fresh/);
      expect(text).toMatch(/Clinicians vouched for\s*1/);
      expect(text).toMatch(/Set by\s*your organisation’s policy/);
      expect(text).toMatch(/Last problem\s*none/);
      await showTop(section);
      await screenshot(alice.page, '50-settings-partners', { fullPage: false });
      await expectAccessible('settings');
    },
    scaled(60_000),
  );

  it(
    'a second history signed by City’s key: "Refresh now" shows the fork alarm once, and Carol is vouched for no more',
    async () => {
      await city.fork(0, [{ op: 'add', card: (await fastIdentity('Eve Evans')).card }]);
      const section = alice.page.getByRole('region', { name: 'Partner organisations' });
      await section.getByRole('button', { name: 'Refresh now' }).click();
      const alarm = section.getByRole('alert').filter({ hasText: 'two different histories' });
      await alarm.waitFor({ timeout: scaled(30_000) });
      expect(await alarm.innerText()).toMatch(
        /Alarm: City Clinic’s directory showed two different histories\.[\s\S]*MedSeal holds change 1/,
      );
      expect(await section.getByRole('listitem').innerText()).toMatch(/City Clinic\s*Fork alarm/);
      expect(alice.host.notifications).toEqual([
        { title: 'MedSeal: partner directory alarm', body: expect.stringContaining('City Clinic') },
      ]);
      await showTop(section);
      await screenshot(alice.page, '51-settings-partner-fork-alarm', { fullPage: false });
      await expectAccessible('settings-alarm');
      const refreshes = () => alice.host.events.filter((event) => event.name === 'partners.changed').length;
      const before = refreshes();
      await section.getByRole('button', { name: 'Refresh now' }).click();
      await expect.poll(refreshes).toBe(before + 1); // seen again: the alarm stands, and is not told again
      expect(alice.host.notifications).toHaveLength(1);
      await alice.page.getByRole('button', { name: 'Contacts' }).click();
      await alice.page.getByRole('heading', { name: 'Your contact card' }).waitFor();
      expect(await alice.page.getByText(VOUCHED).count()).toBe(0);
    },
    scaled(60_000),
  );
});
