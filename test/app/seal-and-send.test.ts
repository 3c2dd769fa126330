/**
 * "Seal and send" in the app core (issue 28, item 3): with an exchange set
 * up, sealing asks no Save dialog and the package goes to the exchanges; a
 * recipient no exchange reaches leaves it in the profile, saved elsewhere
 * only on request; with no exchange the Save dialog is asked, and closing it
 * is said; copies of sent packages go where the user or IT chose once.
 */
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { clinician, type Clinician } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

async function sealFor(alice: Clinician, bob: Clinician, work: string) {
  const { contact } = await alice.call('contacts.importText', { text: (await bob.call('identity.myCard')).armored });
  await writeFile(join(work, 'letter.txt'), 'synthetic letter');
  const file = await alice.call('files.registerDropped', { path: join(work, 'letter.txt') });
  const { jobId } = await alice.call('seal.start', {
    files: [file.token],
    recipients: [contact.fingerprint],
    note: '',
    confirmUnverified: true,
  });
  if (jobId) await alice.host.next('job.finished', (event) => event.jobId === jobId);
  return jobId;
}

describe('Seal and send', () => {
  it('an exchange that does not reach the recipient: no dialog, the package waits in the profile and is saved elsewhere only on request', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    await mkdir(join(work, 'share'));
    alice.host.answers.exchange.push(join(work, 'share')); // Bob does not use it
    await alice.call('exchange.addFolder');
    const jobId = (await sealFor(alice, bob, work))!;
    expect(alice.host.saveRequests).toEqual([]);
    const sent = await alice.call('seal.deliver', { jobId });
    expect(sent).toMatchObject({ delivered: [], unreached: ['Bob Brown'], keptIn: null, canSave: true });
    const { dataFolder } = await alice.call('app.about');
    const [waiting] = await readdir(join(dataFolder, 'outgoing'));
    expect(waiting).toMatch(/^medseal-package-\d{14}-[0-9a-f]{6}\.medseal$/); // a neutral name, never the file's

    alice.host.answers.save.push(null); // the dialog closed: nothing saved, nothing lost
    expect(await alice.call('seal.saveCopy', { jobId })).toEqual({ saved: false });
    alice.host.answers.save.push(join(work, 'for-email.medseal'));
    expect(await alice.call('seal.saveCopy', { jobId })).toEqual({ saved: true });
    expect(await readFile(join(work, 'for-email.medseal'))).toEqual(
      await readFile(join(dataFolder, 'outgoing', waiting!)),
    );
    await writeFile(join(work, 'taken.medseal'), 'another file');
    alice.host.answers.save.push(join(work, 'taken.medseal'));
    await expect(alice.call('seal.saveCopy', { jobId })).rejects.toMatchObject({ code: 'DESTINATION_EXISTS' });
    expect(await readFile(join(work, 'taken.medseal'), 'utf8')).toBe('another file'); // never replaced
  });

  it('a copy folder others may write (no sticky bit) gets no copy; the delivery is reported all the same', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    const open = join(work, 'shared-copies');
    await mkdir(open);
    await chmod(open, 0o777); // another account could rename its own file over the copy
    alice.host.answers.sentCopyFolder.push(open);
    await alice.call('settings.chooseSentCopyFolder');
    await mkdir(join(work, 'share'));
    for (const party of [alice, bob]) {
      party.host.answers.exchange.push(join(work, 'share'));
      await party.call('exchange.addFolder');
    }
    await bob.call('exchange.inbox');
    const jobId = (await sealFor(alice, bob, work))!;
    const sent = await alice.call('seal.deliver', { jobId });
    expect(sent).toMatchObject({ delivered: [{ name: 'Bob Brown' }], unreached: [], keptIn: null });
    expect(sent.problems).toEqual([expect.stringMatching(/^The package was sent, but no copy of it could be kept/)]);
    expect(await readdir(open)).toEqual([]); // nothing, not even a temp file
  });

  it('no exchange set up: the Save dialog is asked, and closing it seals nothing', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    expect(await alice.call('exchange.sendsThrough')).toEqual({ sends: false });
    alice.host.answers.save.push(null);
    expect(await sealFor(alice, bob, work)).toBeNull();
    expect(alice.host.saveRequests).toMatchObject([{ kind: 'package' }]);
    expect(await readdir(work)).not.toContain('outgoing');
  });

  it('a copy folder set by the policy is used for every sent package and cannot be changed or turned off', async () => {
    const work = await tempFolder();
    const copies = join(work, 'it-copies');
    await mkdir(copies);
    const policy = {
      state: 'ok' as const,
      source: 'test',
      effective: { ...POLICY_DEFAULTS, sentCopyFolder: copies },
      managed: ['sentCopyFolder' as const],
    };
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example', 'Test Hospital', policy);
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    expect(await alice.call('settings.sentCopies')).toEqual({ folder: copies, managed: true });
    await expect(alice.call('settings.stopSentCopies')).rejects.toMatchObject({ code: 'MANAGED_BY_ORGANISATION' });
    alice.host.answers.sentCopyFolder.push(join(work, 'elsewhere'));
    await expect(alice.call('settings.chooseSentCopyFolder')).rejects.toMatchObject({
      code: 'MANAGED_BY_ORGANISATION',
    });
    expect(alice.host.answers.sentCopyFolder).toHaveLength(1); // refused before any dialog was shown
    await mkdir(join(work, 'share'));
    for (const party of [alice, bob]) {
      party.host.answers.exchange.push(join(work, 'share'));
      await party.call('exchange.addFolder');
    }
    await bob.call('exchange.inbox'); // Bob's inbox is announced there
    const jobId = (await sealFor(alice, bob, work))!;
    const sent = await alice.call('seal.deliver', { jobId });
    expect(sent).toMatchObject({ unreached: [], keptIn: expect.stringContaining(copies), canSave: false });
    expect(await readdir(copies)).toHaveLength(1);
  });
});
