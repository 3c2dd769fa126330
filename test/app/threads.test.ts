/**
 * Threads through the app core, as the window reaches it: Send with a
 * subject, Receive shows it, Reply gives the draft (the sender as the
 * recipient, the package to answer, "Re: " and the subject), the reply is
 * linked, and Activity lists both as one thread. A sender who is no contact
 * to send to is never pre-filled; a subject the format refuses is refused
 * before any dialog; hashes never reach the window.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinician, verifyEachOther, type Clinician } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

async function seal(
  who: Clinician,
  work: string,
  name: string,
  recipients: string[],
  thread: { subject?: string; replyTo?: number },
) {
  await writeFile(join(work, 'in', name), `synthetic ${name}`);
  const file = await who.call('files.registerDropped', { path: join(work, 'in', name) });
  const output = join(work, `${name}.medseal`);
  who.host.answers.save.push(output);
  const { jobId } = await who.call('seal.start', {
    files: [file.token],
    recipients,
    note: '',
    confirmUnverified: true,
    ...thread,
  });
  expect(await who.host.next('job.finished', (event) => event.jobId === jobId)).toMatchObject({ ok: true });
  return output;
}

async function open(who: Clinician, work: string, path: string) {
  const pkg = await who.call('files.registerDropped', { path });
  const preview = await who.call('open.preview', { token: pkg.token });
  const out = join(work, `out-${Math.random().toString(16).slice(2)}`);
  await mkdir(out);
  who.host.answers.folder.push(out);
  const opening = await who.call('open.start', { token: pkg.token, confirmUntrusted: true });
  expect(await who.host.next('job.finished', (event) => event.jobId === opening.jobId)).toMatchObject({ ok: true });
  return { token: pkg.token as string, preview };
}

describe('threads in the app', () => {
  it('a subject travels, Reply fills the draft, and Activity shows the referral with its reply as one thread', async () => {
    const work = await tempFolder();
    await mkdir(join(work, 'in'));
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example', 'General Hospital');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example', 'City Clinic');
    await verifyEachOther(alice, bob);
    const bobFingerprint = (await alice.call('contacts.list'))[0].fingerprint as string;
    const aliceFingerprint = (await bob.call('contacts.list'))[0].fingerprint as string;

    const referral = await seal(alice, work, 'referral.txt', [bobFingerprint], { subject: 'Cardiology referral' });
    const { token, preview } = await open(bob, work, referral);
    expect(preview.subject).toBe('Cardiology referral');

    const draft = await bob.call('open.replyDraft', { token });
    expect(draft).toMatchObject({ recipient: aliceFingerprint, subject: 'Re: Cardiology referral' });
    const reply = await seal(bob, work, 'echo.txt', [draft.recipient], {
      subject: draft.subject,
      replyTo: draft.replyTo,
    });
    const answer = await open(alice, work, reply);
    expect(answer.preview.subject).toBe('Re: Cardiology referral');

    for (const who of [alice, bob]) {
      const items = await who.call('history.recent', { limit: 10 });
      expect(items.map((item: { subject: string }) => item.subject)).toEqual([
        'Re: Cardiology referral',
        'Cardiology referral',
      ]);
      const root = items[1].id as number;
      for (const item of items) expect(item.thread).toEqual({ rootId: root, size: 2 });
      const thread = await who.call('history.thread', { id: items[0].id });
      expect(thread.rootId).toBe(root);
      expect(thread.entries.map((entry: { direction: string; threadState: string }) => entry.direction)).toEqual(
        who === alice ? ['received', 'sent'] : ['sent', 'received'],
      );
      expect(thread.entries[0].answers).toBe(root);
      const hashes = who.app.session.profiles
        .requireUnlocked()
        .history.list()
        .map((summary) => summary.packageHash);
      for (const hash of hashes) expect(JSON.stringify([items, thread])).not.toContain(hash); // ids, never header hashes
    }
    expect(await alice.call('history.search', { query: 'cardiology', limit: 10 })).toHaveLength(2);
  });

  it('a subject the format refuses is refused before any dialog; Reply to an unknown sender names no recipient', async () => {
    const work = await tempFolder();
    await mkdir(join(work, 'in'));
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const carol = await clinician(work, 'Carol Clark', 'carol@royal.example');
    // Carol knows Alice; Alice does not know Carol.
    await carol.call('contacts.importText', { text: (await alice.call('identity.myCard')).armored });
    const aliceFingerprint = (await carol.call('contacts.list'))[0].fingerprint as string;
    await writeFile(join(work, 'in', 'x.txt'), 'synthetic');
    const file = await carol.call('files.registerDropped', { path: join(work, 'in', 'x.txt') });
    await expect(
      carol.call('seal.start', {
        files: [file.token],
        recipients: [aliceFingerprint],
        note: '',
        confirmUnverified: true,
        subject: 'two\nlines',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_PACKAGE_REQUEST' });
    await expect(
      carol.call('seal.start', {
        files: [file.token],
        recipients: [aliceFingerprint],
        note: '',
        confirmUnverified: true,
        replyTo: 999,
      }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_PACKAGE' });
    expect(carol.host.saveRequests).toEqual([]);

    const path = await seal(carol, work, 'note.txt', [aliceFingerprint], { subject: 'Hello' });
    const { token } = await open(alice, work, path);
    expect(await alice.call('open.replyDraft', { token })).toMatchObject({ recipient: null, subject: 'Re: Hello' });
    await expect(alice.call('history.thread', { id: 999 })).rejects.toMatchObject({ code: 'UNKNOWN_PACKAGE' });
  });
});
