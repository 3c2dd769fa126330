/**
 * A draft survives an automatic lock: the file tokens of the window are
 * parked (refused while locked), given back after the unlock only for
 * files that are still the same, and forgotten when the person locks.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinician, PASS, verifyEachOther } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

async function setting() {
  const work = await tempFolder();
  const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
  const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
  await verifyEachOther(alice, bob);
  const [bobContact] = await alice.call('contacts.list');
  await writeFile(join(work, 'letter.txt'), 'synthetic letter');
  await writeFile(join(work, 'scan.bin'), 'synthetic scan');
  const letter = await alice.call('files.registerDropped', { path: join(work, 'letter.txt') });
  const scan = await alice.call('files.registerDropped', { path: join(work, 'scan.bin') });
  const seal = (tokens: string[]) =>
    alice.call('seal.start', {
      files: tokens,
      recipients: [bobContact.fingerprint],
      note: '',
      confirmUnverified: false,
    });
  return { work, alice, letter, scan, seal };
}

describe('file tokens over a lock', () => {
  it('an idle lock parks them: refused while locked, working after the unlock, except a file changed meanwhile', async () => {
    const { work, alice, letter, scan, seal } = await setting();
    alice.app.session.lock('idle');
    await expect(seal([letter.token])).rejects.toMatchObject({ code: 'LOCKED' });
    await appendFile(join(work, 'scan.bin'), ' changed while locked');
    await alice.call('session.unlock', { passphrase: PASS, remember: false });
    alice.host.answers.save.push(join(work, 'p.medseal'));
    const { jobId } = await seal([letter.token]);
    expect(await alice.host.next('job.finished', (event) => event.jobId === jobId)).toMatchObject({
      ok: true,
      fileCount: 1,
    });
    await expect(seal([scan.token])).rejects.toMatchObject({ code: 'UNKNOWN_FILE' });
  });

  it('the Lock button forgets them', async () => {
    const { alice, letter, seal } = await setting();
    alice.app.session.lock('user');
    await alice.call('session.unlock', { passphrase: PASS, remember: false });
    await expect(seal([letter.token])).rejects.toMatchObject({ code: 'UNKNOWN_FILE' });
  });
});
