/**
 * Partner organisations in the app (issue 32): the IPC calls Settings uses
 * ('partners.list', 'partners.refresh'), the partner's clinician vouched for
 * in Contacts, sealed to with no "confirm unverified", and named on
 * Receive; the background refresh at unlock and every hour while unlocked,
 * never while locked (fake interval timers, no real waiting); and a forked
 * directory: an alarm in the list, one notification however often it is
 * seen again, and nobody vouched for.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PARTNER_REFRESH_MS } from '../../main/app/partner-refresh.js';
import { parseArmoredCard } from '../../main/identity/contact-card.js';
import { PartnerDirectories } from '../../main/services/partner-organisations.js';
import { clinician, PASS, type Clinician } from '../helpers/clinicians.js';
import { TestPartnerOrg } from '../helpers/partner-directory.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Alice at General Hospital, Carol at City Clinic; City's directory vouches for Carol, and Alice's IT added City. */
async function partnersSetUp() {
  const work = await tempFolder();
  const alice = await clinician(work, 'Alice Adams', 'alice@general.example', 'General Hospital');
  const carol = await clinician(work, 'Carol Cole', 'carol@city.example', 'City Clinic');
  const carolCard = parseArmoredCard((await carol.call('identity.myCard')).armored);
  const city = await TestPartnerOrg.create(join(work, 'city-dir'), 'City Clinic');
  await city.publish([{ op: 'add', card: carolCard }]);
  new PartnerDirectories(alice.app.session.profiles).add(
    { name: 'City Clinic', key: city.key, source: city.source },
    city.code,
  );
  return { work, alice, carol, carolCard, city };
}

const headSeq = async (party: Clinician) =>
  (await party.call<{ head: { seq: number } | null }[]>('partners.list'))[0]?.head?.seq ?? null;

describe('partner organisations in the app', () => {
  it('"Refresh now" lists the partner fresh; its clinician is vouched for in Contacts, sent to unticked, named on Receive', async () => {
    const { work, alice, carol } = await partnersSetUp();
    expect(await alice.call('partners.list')).toEqual([
      expect.objectContaining({ name: 'City Clinic', status: 'never', cards: 0, managed: false }),
    ]);

    const [partner] = await alice.call('partners.refresh');
    expect(partner).toMatchObject({
      name: 'City Clinic',
      status: 'fresh',
      cards: 1,
      managed: false,
      head: { seq: 1 },
      lastProblem: null,
      alarm: null,
    });
    expect(partner.code).toMatch(/^(\d{5} ){5}\d{5}$/);
    expect(alice.host.events.filter((event) => event.name === 'partners.changed').at(-1)?.payload).toEqual({
      alarms: 0,
    });

    const contacts = await alice.call('contacts.list');
    const vouched = contacts.find((contact: { email: string }) => contact.email === 'carol@city.example');
    expect(vouched).toMatchObject({ state: 'partner-vouched', vouchedBy: 'City Clinic', organisation: 'City Clinic' });

    // Sealed with no "I have not compared safety numbers" tick: the partner's vouching counts.
    await writeFile(join(work, 'letter.txt'), 'synthetic referral, no patient');
    const file = await alice.call('files.registerDropped', { path: join(work, 'letter.txt') });
    alice.host.answers.save.push(join(work, 'to-carol.medseal'));
    const sealing = await alice.call('seal.start', {
      files: [file.token],
      recipients: [vouched.fingerprint],
      note: '',
      confirmUnverified: false,
    });
    expect(await alice.host.next('job.finished', (event) => event.jobId === sealing.jobId)).toMatchObject({ ok: true });

    // Carol answers (Alice's card imported, unverified): Alice's Receive names City Clinic as who vouches.
    const { contact: aliceOnCarol } = await carol.call('contacts.importText', {
      text: (await alice.call('identity.myCard')).armored,
    });
    const reply = await carol.call('files.registerDropped', { path: join(work, 'letter.txt') });
    carol.host.answers.save.push(join(work, 'to-alice.medseal'));
    const answering = await carol.call('seal.start', {
      files: [reply.token],
      recipients: [aliceOnCarol.fingerprint],
      note: '',
      confirmUnverified: true,
    });
    await carol.host.next('job.finished', (event) => event.jobId === answering.jobId);
    const pkg = await alice.call('files.registerDropped', { path: join(work, 'to-alice.medseal') });
    expect((await alice.call('open.preview', { token: pkg.token })).sender).toMatchObject({
      name: 'Carol Cole',
      trust: 'partner-vouched',
      verdict: 'trusted',
      vouchedBy: 'City Clinic',
    });
  });

  it('refreshes at unlock and every hour while unlocked, never while locked', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { alice, city } = await partnersSetUp();
    const refresh = vi.spyOn(PartnerDirectories.prototype, 'refresh');
    await alice.call('session.lock');
    await alice.call('session.unlock', { passphrase: PASS, remember: false });
    await vi.waitFor(async () => expect(await headSeq(alice)).toBe(1)); // at unlock
    expect(refresh).toHaveBeenCalledTimes(1);

    const ben = (await fastIdentity('Ben Berg')).card;
    await city.publish([{ op: 'add', card: ben }]);
    vi.advanceTimersByTime(PARTNER_REFRESH_MS - 60_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await headSeq(alice)).toBe(1);
    vi.advanceTimersByTime(60_000);
    await vi.waitFor(async () => expect(await headSeq(alice)).toBe(2)); // an hour after unlock
    expect(refresh).toHaveBeenCalledTimes(2);
    expect((await alice.call('partners.list'))[0]).toMatchObject({ status: 'fresh', cards: 2 });

    await alice.call('session.lock');
    vi.advanceTimersByTime(3 * PARTNER_REFRESH_MS);
    expect(refresh).toHaveBeenCalledTimes(2); // nothing while locked
    await alice.call('session.unlock', { passphrase: PASS, remember: false });
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(3));
  });

  it('a source gone or a damaged file keeps the directory held (stale), the problem in words, no alarm', async () => {
    const { alice, city } = await partnersSetUp();
    await alice.call('partners.refresh');
    await rm(city.source);
    const [gone] = await alice.call('partners.refresh');
    expect(gone).toMatchObject({ status: 'stale', cards: 1, lastProblem: { code: 'DIRECTORY_SOURCE_UNREACHABLE' } });
    expect(gone.lastProblem.message).toMatch(/could not be fetched/);
    await writeFile(city.source, 'not a directory');
    const [damaged] = await alice.call('partners.refresh');
    expect(damaged).toMatchObject({ status: 'stale', cards: 1, lastProblem: { code: 'DIRECTORY_REFUSED' } });
    expect(damaged.lastProblem.message).toMatch(/not valid/);
    expect(alice.host.notifications).toEqual([]);
    expect((await alice.call('contacts.list'))[0]).toMatchObject({ state: 'partner-vouched' });
  });

  it('a forked directory: an alarm in the list, told once by notification, and nobody vouched for', async () => {
    const { alice, city } = await partnersSetUp();
    await alice.call('partners.refresh');
    await city.publish([{ op: 'add', card: (await fastIdentity('Ben Berg')).card }]);
    await alice.call('partners.refresh'); // change 2 held
    await city.fork(1, [{ op: 'add', card: (await fastIdentity('Eve Evans')).card }]); // another change 2

    const [forked] = await alice.call('partners.refresh');
    expect(forked).toMatchObject({ status: 'fork', cards: 0, lastProblem: { code: 'DIRECTORY_FORKED' } });
    expect(forked.alarm).toMatch(
      /^MedSeal holds change 2 \([0-9a-f]{16}…\); it was offered change 2 \([0-9a-f]{16}…\)/,
    );
    expect(alice.host.notifications).toEqual([
      { title: 'MedSeal: partner directory alarm', body: expect.stringContaining('City Clinic') },
    ]);
    expect(alice.host.events.filter((event) => event.name === 'partners.changed').at(-1)?.payload).toEqual({
      alarms: 1,
    });
    await alice.call('partners.refresh');
    expect(alice.host.notifications).toHaveLength(1); // told once
    const contacts = await alice.call('contacts.list');
    expect(contacts.some((contact: { state: string }) => contact.state === 'partner-vouched')).toBe(false);
  });
});
