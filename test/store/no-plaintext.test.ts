/**
 * docs/SECURITY.md, "Files on disk": the profile folder never holds patient
 * information in clear. Packages whose file names, notes and subjects carry a
 * distinctive fake patient name and MRN are sealed, opened and recorded;
 * then every byte of every file in the profile folder (database, -wal,
 * -shm, any temp file) is searched, in several encodings.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';
import { tempFolder } from '../helpers/temp-folder.js';

const PATIENT = 'Zebulon Quibblesworth';
const MRN = 'MRN-48151623';
const NEEDLES = [PATIENT, 'Quibblesworth', MRN, '48151623'];

async function everyByteOf(folder: string): Promise<Buffer[]> {
  const names = await readdir(folder);
  return Promise.all(names.map((name) => readFile(join(folder, name))));
}

function containsAnywhere(haystacks: Buffer[], needle: string): boolean {
  const forms = [
    Buffer.from(needle, 'utf8'),
    Buffer.from(needle.toUpperCase(), 'utf8'),
    Buffer.from(needle.toLowerCase(), 'utf8'),
    Buffer.from(needle, 'utf16le'),
  ];
  return haystacks.some((haystack) => forms.some((form) => haystack.includes(form)));
}

describe('no plaintext patient information in the profile folder', () => {
  it('after sealing, opening and recording packages named after a patient', async () => {
    const work = await tempFolder();
    const alice = await openTestProfile({ folder: join(work, 'alice') });
    const bob = await openTestProfile({ folder: join(work, 'bob'), identity: await fastIdentity('Bob') });
    await alice.profile.contacts.importCard(bob.identity.card);
    await bob.profile.contacts.importCard(alice.identity.card);

    const inputs = join(work, 'inputs');
    await mkdir(inputs);
    const names = [`${PATIENT} ${MRN} discharge.pdf`, `ECG_${MRN}.dcm`];
    for (const name of names) await writeFile(join(inputs, name), `Patient ${PATIENT}, ${MRN}`);
    for (let i = 0; i < 3; i++) {
      const output = join(work, `p${i}.medseal`);
      const result = await sealPackage({
        sender: alice.identity,
        recipients: [bob.identity.card],
        files: names.map((name) => ({ path: join(inputs, name) })),
        note: `Please see ${PATIENT} (${MRN}) urgently`,
        subject: `Referral ${PATIENT} ${MRN}`, // the subject is sealed in the history as the note is
        replyTo: i > 0 ? 'ab'.repeat(32) : null,
        output,
        chunkSizeLog2: 12,
        tempFiles: alice.profile.tempFiles,
      });
      alice.profile.recordSealed(result, `Please see ${PATIENT} (${MRN}) urgently`);
      const opened = await openPackage(output, bob.identity);
      const out = join(work, `out${i}`);
      await mkdir(out);
      await opened.extractTo(out, { tempFiles: bob.profile.tempFiles });
      bob.profile.recordOpened(opened, await bob.profile.contacts.trustOf(opened.metadata.sender));
      await opened.close();
    }

    // The app's own search still finds them (decrypted in memory) ...
    expect(alice.profile.packageIndex().search('quibbles')).toHaveLength(3);
    expect(bob.profile.packageIndex().search(MRN)).toHaveLength(3);
    expect(bob.profile.history.note(bob.profile.packageIndex().packages[0]!.id)).toContain(PATIENT);
    expect(bob.profile.packageIndex().packages.map((summary) => summary.subject)).toEqual(
      Array(3).fill(`Referral ${PATIENT} ${MRN}`),
    );

    // ... while the files on disk, WAL included (not yet checkpointed), contain none of it.
    for (const profile of [alice, bob]) {
      const files = await readdir(profile.folder.path);
      expect(files).toEqual(expect.arrayContaining(['medseal.db', 'medseal.db-wal', 'medseal.db-shm']));
      const bytes = await everyByteOf(profile.folder.path);
      for (const needle of NEEDLES)
        expect(containsAnywhere(bytes, needle), `${needle} in ${profile.folder.path}`).toBe(false);
    }

    // And after closing (the WAL is checkpointed into the database file).
    for (const profile of [alice, bob]) {
      profile.store.close();
      const bytes = await everyByteOf(profile.folder.path);
      for (const needle of NEEDLES) expect(containsAnywhere(bytes, needle)).toBe(false);
    }
  });

  it('the search itself (the control): the same needles are found when written in clear', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'clear.txt'), `x ${PATIENT.toUpperCase()} y`);
    expect(containsAnywhere(await everyByteOf(folder), PATIENT)).toBe(true);
  });
});
