/**
 * The delivery queue in Activity, in a real browser (Debian's Chromium)
 * against the real app core with its worker threads and a real OpenSSH
 * server: a package sent while the server is down shows "queued, next try
 * HH:MM", and turns into "delivered, waiting for receipt" by itself once
 * the app's poll finds the server back (the queue's event refreshes the
 * screen).
 */
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { clientFor } from '../helpers/app-client.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';
import { axeViolations, launchChromium, openParty, serveRenderer, type Party } from './harness.js';

const PASS = 'maple kettle orbit lantern';
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`the delivery queue e2e test is skipped: ${unavailable}`);
let browser: Browser;
let server: Server;
let sshd: SshdServer;
let origin: string;
const parties: Party[] = [];

beforeAll(async () => {
  await loadSodium();
  ({ origin, server } = await serveRenderer());
  browser = await launchChromium();
  if (!unavailable) sshd = await startSshd();
}, scaled(60_000));

afterAll(async () => {
  for (const party of parties) party.app.close();
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await sshd?.dispose();
});

/** A clinician's app in Chromium, set up through the same calls the window makes. */
async function clinician(work: string, name: string, email: string) {
  const party = await openParty(browser, origin, join(work, name));
  parties.push(party);
  const { call } = clientFor(party.app);
  const window = { url: `${origin}/index.html`, isMainFrame: true };
  const as = <T>(channel: string, payload: unknown = {}) => call<T>(channel, payload, window);
  await as('identity.create', { name, organisation: 'General Hospital', role: 'Doctor', email, passphrase: PASS });
  return { ...party, call: as };
}

describe.skipIf(unavailable !== null)('Activity and the delivery queue', () => {
  it(
    'shows "queued, next try" while the SFTP server is down, and "delivered" once the app delivered it from the queue',
    async () => {
      const work = await tempFolder('medseal-e2e-queue-');
      const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
      const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
      for (const party of [alice, bob]) {
        party.host.answers.sftpKey.push(sshd.clientKeyFile);
        await party.call('exchange.addSftp', { url: sshd.url, hostKey: sshd.hostKeyFingerprint, name: 'partner-sftp' });
      }
      const { contact } = await alice.call<{ contact: { fingerprint: string } }>('contacts.importText', {
        text: (await bob.call<{ armored: string }>('identity.myCard')).armored,
      });
      const state = async () => (await alice.call<{ status: { state: string } }[]>('exchange.list'))[0]!.status.state;
      await vi.waitFor(async () => expect(await state()).toBe('connected'), { timeout: scaled(15_000) });

      await writeFile(join(work, 'letter.txt'), 'synthetic letter');
      const file = await alice.call<{ token: string }>('files.registerDropped', { path: join(work, 'letter.txt') });
      alice.host.answers.save.push(join(work, 'out.medseal'));
      const { jobId } = await alice.call<{ jobId: string }>('seal.start', {
        files: [file.token],
        recipients: [contact.fingerprint],
        note: '',
        confirmUnverified: true,
      });
      await alice.host.next('job.finished', (event) => event.jobId === jobId);
      await sshd.stop();
      const answer = await alice.call<{ queued: unknown[]; unreached: unknown[] }>('seal.deliver', { jobId });
      expect(answer).toMatchObject({ queued: [{ name: 'Bob Brown' }], unreached: [] });

      await alice.page.reload(); // the window shows the unlocked app
      await alice.page.getByRole('button', { name: 'Activity' }).click();
      const row = alice.page.getByRole('list', { name: 'Recipients' }).getByRole('listitem');
      await row
        .filter({ hasText: /Bob Brown: queued, next try (?:\d{1,2} [A-Z][a-z]{2,3} )?\d\d:\d\d/ })
        .waitFor({ timeout: scaled(15_000) });
      expect(await axeViolations(alice.page)).toEqual([]);

      await vi.waitFor(async () => expect(await state()).toBe('unreachable'), { timeout: scaled(20_000) });
      await sshd.start();
      // No click: the queue's event brings Activity up to date.
      await row.filter({ hasText: /Bob Brown: delivered, waiting for receipt/ }).waitFor({ timeout: scaled(40_000) });
      expect(await row.allTextContents()).toEqual([
        expect.stringMatching(/^Bob Brown: delivered, waiting for receipt/),
      ]);
    },
    scaled(120_000),
  );
});
