/**
 * Desktop notifications (issue 28, item 9): a package that arrives and a
 * receipt that comes back are told with a person's name only — never a file
 * name, a note or a patient — once each; the icon counts what waits; the
 * person may turn them off, and the policy may turn them off for everyone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { clinician, type Clinician } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const PATIENT = 'Zebulon Quibble';

async function onOneShare(work: string, ...parties: Clinician[]) {
  await mkdir(join(work, 'share'));
  for (const party of parties) {
    party.host.answers.exchange.push(join(work, 'share'));
    await party.call('exchange.addFolder');
    await party.call('exchange.inbox'); // announces the inbox; the first look is counted, not told
  }
}

async function send(alice: Clinician, bob: Clinician, work: string) {
  const { contact } = await alice.call('contacts.importText', { text: (await bob.call('identity.myCard')).armored });
  await writeFile(join(work, `${PATIENT} referral.txt`), 'synthetic');
  const file = await alice.call('files.registerDropped', { path: join(work, `${PATIENT} referral.txt`) });
  const { jobId } = await alice.call('seal.start', {
    files: [file.token],
    recipients: [contact.fingerprint],
    note: `About ${PATIENT}`,
    confirmUnverified: true,
  });
  await alice.host.next('job.finished', (event) => event.jobId === jobId);
  expect((await alice.call('seal.deliver', { jobId })).unreached).toEqual([]);
}

describe('desktop notifications', () => {
  it('a package arriving and a receipt coming back are told by name only, once each; the icon counts what waits', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    await bob.call('contacts.importText', { text: (await alice.call('identity.myCard')).armored });
    await onOneShare(work, alice, bob);
    await send(alice, bob, work);

    const [waiting] = await bob.call('exchange.inbox');
    // The app's own timer polls too: the notification may come from that look, a moment later.
    await vi.waitFor(
      () => expect(bob.host.notifications).toEqual([{ title: 'MedSeal', body: 'New package from Alice Adams' }]),
      { timeout: scaled(10_000) },
    );
    expect(bob.host.badgeCount).toBe(1);
    await bob.call('exchange.inbox');
    expect(bob.host.notifications).toHaveLength(1); // told once

    await bob.call('open.preview', { token: waiting.token });
    bob.host.answers.folder.push(await tempFolder());
    const opening = await bob.call('open.start', { token: waiting.token, confirmUntrusted: true });
    await bob.host.next('job.finished', (event) => event.jobId === opening.jobId);
    await vi.waitFor(async () => expect(await bob.call('exchange.inbox')).toEqual([]), { timeout: scaled(15_000) });
    expect(bob.host.badgeCount).toBe(0);

    // Bob's receipt goes out once his open is settled; each look of Alice's may be the one that takes it in.
    await vi.waitFor(
      async () => {
        if (alice.host.notifications.length === 0) await alice.call('exchange.inbox');
        expect(alice.host.notifications).toEqual([{ title: 'MedSeal', body: 'Bob Brown opened your package' }]);
      },
      { timeout: scaled(20_000), interval: 200 },
    );
    for (const notice of [...alice.host.notifications, ...bob.host.notifications])
      expect(JSON.stringify(notice)).not.toMatch(/Quibble|referral|\.txt/);

    await bob.call('session.lock');
    expect(bob.host.badgeCount).toBe(0);
  });

  it('a sender not in the contacts is never named: the name a package claims could be anyone, or any text', async () => {
    const work = await tempFolder();
    const mallory = await clinician(work, `Dr Bob Brown: results for ${PATIENT}`, 'mallory@elsewhere.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    await onOneShare(work, mallory, bob);
    await send(mallory, bob, work);
    expect(await bob.call('exchange.inbox')).toHaveLength(1);
    await vi.waitFor(
      () =>
        expect(bob.host.notifications).toEqual([
          { title: 'MedSeal', body: 'A new package is waiting for you, from someone not in your contacts.' },
        ]),
      { timeout: scaled(10_000) },
    );
  });

  it('turned off by the person, nothing is shown; turned off by the policy, the person cannot turn them on', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const policy = {
      state: 'ok' as const,
      source: 'test',
      effective: { ...POLICY_DEFAULTS, desktopNotifications: false },
      managed: ['desktopNotifications' as const],
    };
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example', 'Test Hospital', policy);
    expect(await bob.call('settings.notifications')).toEqual({ enabled: false, managed: true });
    await expect(bob.call('settings.setNotifications', { enabled: true })).rejects.toMatchObject({
      code: 'MANAGED_BY_ORGANISATION',
    });
    expect(await alice.call('settings.setNotifications', { enabled: false })).toEqual({
      enabled: false,
      managed: false,
    });
    await onOneShare(work, alice, bob);
    await send(alice, bob, work);
    expect(await bob.call('exchange.inbox')).toHaveLength(1);
    expect(bob.host.notifications).toEqual([]);
    expect(bob.host.badgeCount).toBe(1); // the count on the icon is not a notification
    expect(alice.host.notifications).toEqual([]);
  });
});
