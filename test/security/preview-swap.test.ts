/**
 * Security review, high 1: "what is saved is not what was previewed". The
 * app shows the sender of a package, then saves it when asked; someone who
 * can write where it lies swaps in another package in between. The open
 * now refuses any package but the previewed one (PACKAGE_CHANGED), saves
 * nothing, and the audit log records the refusal against the previewed
 * sender, never an "opened" for a package that was not shown.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinician, verifyEachOther } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('a package swapped between preview and save', () => {
  it('is refused with PACKAGE_CHANGED; nothing is saved; the refusal is audited', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    const mallory = await clinician(work, 'Mallory Moss', 'mallory@else.example');
    await verifyEachOther(alice, bob);
    await verifyEachOther(alice, mallory);
    const seal = async (from: typeof bob, name: string) => {
      await writeFile(join(work, name), `${name} contents`);
      const file = await from.call('files.registerDropped', { path: join(work, name) });
      const [aliceContact] = await from.call('contacts.list');
      from.host.answers.save.push(join(work, `${name}.medseal`));
      const { jobId } = await from.call('seal.start', {
        files: [file.token],
        recipients: [aliceContact.fingerprint],
        note: '',
        confirmUnverified: false,
      });
      expect((await from.host.next('job.finished', (event) => event.jobId === jobId)).ok).toBe(true);
      return join(work, `${name}.medseal`);
    };
    const genuine = await seal(bob, 'referral.txt');
    const other = await seal(mallory, 'other.txt');

    const inbox = join(work, 'inbox');
    await mkdir(inbox);
    await copyFile(genuine, join(inbox, 'p.medseal'));
    const token = (await alice.call('files.registerDropped', { path: join(inbox, 'p.medseal') })).token;
    const preview = await alice.call('open.preview', { token });
    expect(preview.sender).toMatchObject({ name: 'Bob Brown', verdict: 'trusted' });

    await copyFile(other, join(inbox, 'p.medseal')); // the swap
    const out = join(work, 'out');
    await mkdir(out);
    alice.host.answers.folder.push(out);
    const { jobId } = await alice.call('open.start', { token, confirmUntrusted: false });
    const finished = await alice.host.next('job.finished', (event) => event.jobId === jobId);
    expect(finished).toMatchObject({ ok: false, error: { code: 'PACKAGE_CHANGED', category: 'damaged-package' } });
    expect(await readdir(out)).toEqual([]);
    const entries = alice.app.session.requireProfile().audit.entries();
    expect(entries.some((entry) => entry.action === 'package.opened')).toBe(false);
    expect(entries.at(-1)).toMatchObject({
      action: 'package.open-refused',
      detail: 'PACKAGE_CHANGED',
      counterparts: [preview.sender.fingerprint],
    });
  });

  it('saving needs a preview (consent is given to a sender that was shown), and a sender whose trust changed since is refused', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    await verifyEachOther(alice, bob);
    await writeFile(join(work, 'letter.txt'), 'referral');
    const file = await bob.call('files.registerDropped', { path: join(work, 'letter.txt') });
    const [aliceContact] = await bob.call('contacts.list');
    bob.host.answers.save.push(join(work, 'p.medseal'));
    const { jobId } = await bob.call('seal.start', {
      files: [file.token],
      recipients: [aliceContact.fingerprint],
      note: '',
      confirmUnverified: false,
    });
    expect((await bob.host.next('job.finished', (event) => event.jobId === jobId)).ok).toBe(true);

    const token = (await alice.call('files.registerDropped', { path: join(work, 'p.medseal') })).token;
    await expect(
      alice.call('open.start', { token, confirmUntrusted: true, overrideAlarm: true }),
    ).rejects.toMatchObject({ code: 'PREVIEW_REQUIRED' });
    const preview = await alice.call('open.preview', { token });
    expect(preview.sender.verdict).toBe('trusted');
    await alice.call('contacts.remove', { fingerprint: preview.sender.fingerprint }); // e.g. Bob reported his laptop stolen
    await expect(alice.call('open.start', { token, confirmUntrusted: false })).rejects.toMatchObject({
      code: 'SENDER_TRUST_CHANGED',
    });
  });
});
