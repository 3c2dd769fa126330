/**
 * Receive in the app: a folder that already has a file of the package's name starts nothing
 * and names the file; "keep both" then saves into that same folder as "name (2).ext"
 * without asking again, the existing file untouched. A sender the contacts do not know can
 * be added from the preview, unverified, and only such a sender.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinician, verifyEachOther, type Clinician } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

async function sealFor(
  sender: Clinician,
  recipientFingerprint: string,
  work: string,
  name: string,
  content: string,
): Promise<string> {
  const input = join(work, `input-${name}`);
  await mkdir(input, { recursive: true });
  await writeFile(join(input, name), content);
  const file = await sender.call('files.registerDropped', { path: join(input, name) });
  const output = join(work, `${name}.medseal`);
  sender.host.answers.save.push(output);
  const { jobId } = await sender.call('seal.start', {
    files: [file.token],
    recipients: [recipientFingerprint],
    note: '',
    confirmUnverified: true,
  });
  expect(await sender.host.next('job.finished', (event) => event.jobId === jobId)).toMatchObject({ ok: true });
  return output;
}

const fingerprintOf = async (party: Clinician): Promise<string> =>
  (await party.call('identity.myCard')).profile.fingerprint;

describe('opening into a folder that already has the name', () => {
  it('names the file, then keeps both as "name (2).ext" in the same folder without asking again', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    await verifyEachOther(alice, bob);
    const pkg = await sealFor(alice, await fingerprintOf(bob), work, 'letter.pdf', 'the new letter');
    const out = join(work, 'received');
    await mkdir(out);
    await writeFile(join(out, 'letter.pdf'), 'the letter already there');

    const { token } = await bob.call('files.registerDropped', { path: pkg });
    await bob.call('open.preview', { token });
    bob.host.answers.folder.push(out);
    const first = await bob.call('open.start', { token, confirmUntrusted: false });
    expect(first).toEqual({
      jobId: null,
      conflict: { folder: 'received', files: [{ index: 0, keptAs: 'letter (2).pdf' }] },
    });
    expect(await readdir(out)).toEqual(['letter.pdf']); // nothing written yet

    const kept = await bob.call('open.start', { token, confirmUntrusted: false, keepBoth: true }); // no folder answer queued: none is asked for
    expect(kept.conflict).toBeNull();
    expect(await bob.host.next('job.finished', (event) => event.jobId === kept.jobId)).toMatchObject({
      ok: true,
      savedIn: 'received',
      renamed: [{ index: 0, savedAs: 'letter (2).pdf' }],
    });
    expect(await readFile(join(out, 'letter.pdf'), 'utf8')).toBe('the letter already there');
    expect(await readFile(join(out, 'letter (2).pdf'), 'utf8')).toBe('the new letter');

    // Again into the same folder: the next free number.
    bob.host.answers.folder.push(out);
    const again = await bob.call('open.start', { token, confirmUntrusted: false });
    expect(again.conflict?.files).toEqual([{ index: 0, keptAs: 'letter (3).pdf' }]);
    const third = await bob.call('open.start', { token, confirmUntrusted: false, keepBoth: true });
    expect(await bob.host.next('job.finished', (event) => event.jobId === third.jobId)).toMatchObject({ ok: true });
    expect((await readdir(out)).sort()).toEqual(['letter (2).pdf', 'letter (3).pdf', 'letter.pdf']);
  });

  it('a lock forgets the folder: keeping both after it asks where again', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    await verifyEachOther(alice, bob);
    const pkg = await sealFor(alice, await fingerprintOf(bob), work, 'scan.dcm', 'a scan');
    const out = join(work, 'received');
    await mkdir(out);
    await writeFile(join(out, 'scan.dcm'), 'older scan');
    const { token } = await bob.call('files.registerDropped', { path: pkg });
    await bob.call('open.preview', { token });
    bob.host.answers.folder.push(out);
    expect((await bob.call('open.start', { token, confirmUntrusted: false })).conflict).not.toBeNull();
    await bob.call('session.lock');
    await bob.call('session.unlock', { passphrase: 'correct horse battery staple', remember: false });
    const token2 = (await bob.call('files.registerDropped', { path: pkg })).token;
    await bob.call('open.preview', { token: token2 });
    expect(await bob.call('open.start', { token: token2, confirmUntrusted: false, keepBoth: true })).toEqual({
      jobId: null,
      conflict: null,
    }); // asked; no answer given: nothing
    expect(await readdir(out)).toEqual(['scan.dcm']);
  });
});

describe('adding an unknown sender from the preview', () => {
  it('adds them unverified from the card in the package, once; a known sender is refused', async () => {
    const work = await tempFolder();
    const carol = await clinician(work, 'Carol Clark', 'carol@royal.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    await carol.call('contacts.importText', { text: (await bob.call('identity.myCard')).armored }); // Carol knows Bob; Bob does not know Carol
    const pkg = await sealFor(carol, await fingerprintOf(bob), work, 'referral.txt', 'from Carol');
    const { token } = await bob.call('files.registerDropped', { path: pkg });
    expect((await bob.call('open.preview', { token })).sender.trust).toBe('unknown');

    const { contact: added, preview: judged } = await bob.call('open.addSender', { token });
    expect(judged.sender.trust).toBe('unverified');
    expect(added).toMatchObject({
      name: 'Carol Clark',
      email: 'carol@royal.example',
      state: 'unverified',
      fingerprint: await fingerprintOf(carol),
    });
    expect((await bob.call('open.preview', { token })).sender.trust).toBe('unverified');
    expect((await bob.call('contacts.list')).map((contact: { email: string }) => contact.email)).toEqual([
      'carol@royal.example',
    ]);
    const imported = bob.app.session
      .requireProfile()
      .audit.entries()
      .filter((entry) => entry.action === 'contact.imported');
    expect(imported.map((entry) => entry.counterparts)).toEqual([[await fingerprintOf(carol)]]);

    await expect(bob.call('open.addSender', { token })).rejects.toMatchObject({ code: 'SENDER_ALREADY_KNOWN' });
  });

  it('answers the package that was shown: a file swapped in while adding is never saved', async () => {
    const work = await tempFolder();
    const carol = await clinician(work, 'Carol Clark', 'carol@royal.example');
    const dave = await clinician(work, 'Dave Dunn', 'dave@north.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    for (const sender of [carol, dave])
      await sender.call('contacts.importText', { text: (await bob.call('identity.myCard')).armored });
    const shown = await sealFor(carol, await fingerprintOf(bob), work, 'referral.txt', 'from Carol');
    const other = await sealFor(dave, await fingerprintOf(bob), work, 'other.txt', 'from Dave');
    const { token } = await bob.call('files.registerDropped', { path: shown });
    const before = await bob.call('open.preview', { token });
    await copyFile(other, shown); // someone with write access to the folder swaps the file
    const { preview } = await bob.call('open.addSender', { token });
    expect(preview).toMatchObject({ sender: { name: 'Carol Clark', trust: 'unverified' }, files: before.files });
    const out = join(work, 'out');
    await mkdir(out);
    bob.host.answers.folder.push(out);
    const { jobId } = await bob.call('open.start', { token, confirmUntrusted: true });
    expect(await bob.host.next('job.finished', (event) => event.jobId === jobId)).toMatchObject({
      ok: false,
      error: { code: 'PACKAGE_CHANGED' },
    });
    expect(await readdir(out)).toEqual([]);
  });

  it("refuses a sender who uses the reader's own e-mail address", async () => {
    const work = await tempFolder();
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    const fake = await clinician(work, 'Robert Brown', 'Bob@Clinic.example', 'Elsewhere'); // another identity, Bob's address
    await fake.call('contacts.importText', { text: (await bob.call('identity.myCard')).armored });
    const pkg = await sealFor(fake, await fingerprintOf(bob), work, 'note.txt', 'not from Bob');
    const { token } = await bob.call('files.registerDropped', { path: pkg });
    await bob.call('open.preview', { token });
    await expect(bob.call('open.addSender', { token })).rejects.toMatchObject({ code: 'SENDER_USES_YOUR_EMAIL' });
    expect(await bob.call('contacts.list')).toEqual([]);
  });
});
