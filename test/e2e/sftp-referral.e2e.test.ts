/**
 * The referral loop between two organisations in Chromium, over a real
 * OpenSSH server on 127.0.0.1 (issue 28, items 1, 3 and 11): Alice's app
 * seals and sends through SFTP with no Save dialog, counting her actions;
 * Bob's app lists the package (it waits in his profile's private downloads),
 * previews and opens it; Alice's Activity shows "opened".
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { clientFor as coreClientFor } from '../helpers/app-client.js';
import type { MedSealApp } from '../../main/app/medseal-app.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';
import { launchChromium, openParty, serveRenderer, type Party } from './harness.js';

const PASS = 'maple kettle orbit lantern';
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`SFTP referral e2e skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('a referral over SFTP, in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let sshd: SshdServer;
  let work: string;
  let alice: Party;
  let bob: Party;
  let origin: string;
  /** Calls into a party's app core as its window does (the page's origin, main frame). */
  const clientFor = (app: MedSealApp) => {
    const { call } = coreClientFor(app);
    return {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by the contract
      call: <T = any>(channel: string, payload: unknown = {}) =>
        call<T>(channel, payload, { url: `${origin}/index.html`, isMainFrame: true }),
    };
  };

  /** A clinician with an identity (made through the app core, at full strength) and the SFTP exchange. */
  async function clinician(name: string, email: string, organisation: string): Promise<Party> {
    const party = await openParty(browser, origin, join(work, name));
    const { call } = clientFor(party.app);
    await call('identity.create', { name, organisation, role: 'Doctor', email, passphrase: PASS });
    party.host.answers.sftpKey.push(sshd.clientKeyFile);
    await call('exchange.addSftp', { url: sshd.url, hostKey: sshd.hostKeyFingerprint, name: 'regional-sftp' });
    await party.page.reload();
    await party.page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    return party;
  }

  beforeAll(async () => {
    await loadSodium();
    sshd = await startSshd();
    ({ server, origin } = await serveRenderer());
    browser = await launchChromium();
    work = await tempFolder('medseal-e2e-sftp-');
    alice = await clinician('Alice Adams', 'alice@general.example', 'General Hospital');
    bob = await clinician('Bob Brown', 'bob@lab.example', 'Partner Lab');
    // They exchanged cards and compared safety numbers earlier.
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
    await sshd?.dispose();
  });

  it(
    'Alice sends to a partner in four actions; Bob lists, previews and opens it; Alice sees "opened"',
    async () => {
      await earlierReferral(); // Bob is a partner Alice sent to before
      await alice.page.getByRole('button', { name: 'Activity' }).click(); // where she was: the count starts at Send
      await writeFile(join(work, 'Lab request.pdf'), 'synthetic lab request');
      alice.host.answers.filesToSeal.push([join(work, 'Lab request.pdf')]);
      // The main job, counted: each click in the window is one action; the files are picked in the
      // system's dialog that "Choose files…" opens (the fake host answers it here).
      const actions: string[] = [];
      const act = async (name: string, target: Locator) => {
        actions.push(name);
        await target.click();
      };
      await act('Send', alice.page.getByRole('button', { name: 'Send', exact: true }));
      await act('Choose files…', alice.page.getByRole('button', { name: 'Choose files…' }));
      await act(
        'pick the partner',
        alice.page
          .getByRole('list', { name: 'Recently sent to' })
          .getByRole('button', { name: /^Bob Brown, Partner Lab/ }),
      );
      await act('Seal and send', alice.page.getByRole('button', { name: 'Seal and send' }));
      await alice.page.getByRole('heading', { name: 'Sent' }).waitFor({ timeout: scaled(30_000) });
      expect(actions).toEqual(['Send', 'Choose files…', 'pick the partner', 'Seal and send']);
      expect(alice.host.saveRequests).toEqual([]); // no Save dialog at any point
      await alice.page.getByText("Delivered to Bob Brown's inbox on regional-sftp · waiting for receipt").waitFor();

      // Bob: the tab counts it, the list shows it (it waits in his profile's private downloads).
      await bob.page.getByRole('button', { name: 'Receive 1 waiting' }).waitFor({ timeout: scaled(20_000) });
      await bob.page.getByRole('button', { name: 'Receive' }).click();
      const inbox = bob.page.locator('section[aria-labelledby="inbox-title"]');
      await inbox.waitFor({ timeout: scaled(20_000) });
      await bob.page.getByText(/^(Last checked \d{1,2}:\d{2}.* · 1 exchange|Checking the exchanges…)$/).waitFor();
      expect(await inbox.innerText()).toMatch(
        /From Alice Adams, General Hospital\s*Verified contact[\s\S]*on regional-sftp/,
      );
      await bob.page.getByRole('button', { name: 'Open', exact: true }).click();
      await bob.page.getByText('Lab request.pdf').waitFor();
      const out = join(work, 'bob-files');
      await mkdir(out);
      bob.host.answers.folder.push(out);
      await bob.page.getByRole('button', { name: 'Save files…' }).click();
      await bob.page.getByText(/All 1 file\(s\) were verified and saved/).waitFor({ timeout: scaled(30_000) });
      expect(await readFile(join(out, 'Lab request.pdf'), 'utf8')).toBe('synthetic lab request');
      await inbox.waitFor({ state: 'detached', timeout: scaled(20_000) }); // archived on the server
      expect(bob.host.notifications).toContainEqual({ title: 'MedSeal', body: 'New package from Alice Adams' });

      // Alice: the signed receipt came back over SFTP.
      await alice.page.getByRole('button', { name: 'Activity' }).click();
      await alice.page
        .getByRole('list', { name: 'Recipients' })
        .first()
        .getByText(/^Bob Brown: opened/)
        .waitFor({ timeout: scaled(30_000) });
      expect(alice.host.notifications).toContainEqual({ title: 'MedSeal', body: 'Bob Brown opened your package' });
      for (const notice of [...alice.host.notifications, ...bob.host.notifications])
        expect(JSON.stringify(notice)).not.toMatch(/Lab request|earlier|\.pdf|\.txt/); // names only, never a file
    },
    scaled(120_000),
  );

  /** A first referral through the app core, which Bob opens: Bob becomes a recent partner of Alice's. */
  async function earlierReferral(): Promise<void> {
    const a = clientFor(alice.app);
    const b = clientFor(bob.app);
    await writeFile(join(work, 'earlier.txt'), 'an earlier synthetic referral');
    const file = await a.call('files.registerDropped', { path: join(work, 'earlier.txt') });
    const [contact] = await a.call('contacts.list');
    const { jobId } = await a.call('seal.start', {
      files: [file.token],
      recipients: [contact.fingerprint],
      note: '',
      confirmUnverified: false,
    });
    await alice.host.next('job.finished', (event) => event.jobId === jobId, scaled(30_000));
    expect((await a.call('seal.deliver', { jobId })).unreached).toEqual([]);
    const [waiting] = await b.call('exchange.inbox');
    await b.call('open.preview', { token: waiting.token });
    bob.host.answers.folder.push(await tempFolder());
    const opening = await b.call('open.start', { token: waiting.token, confirmUntrusted: false });
    await bob.host.next('job.finished', (event) => event.jobId === opening.jobId, scaled(30_000));
    await expect.poll(async () => (await b.call('exchange.inbox')).length, { timeout: scaled(20_000) }).toBe(0);
  }
});
