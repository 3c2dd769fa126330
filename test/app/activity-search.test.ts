/**
 * Activity finds a package by a file name, and by a person or an organisation: the sender of a
 * received package, or any recipient of a sent one (not only the first), as the contacts name
 * them. Every recipient of a sent package is listed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinician, verifyEachOther } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('Activity search', () => {
  it('by file name, person, organisation or e-mail, over every recipient', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example', 'General Hospital');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example', 'City Clinic');
    const carol = await clinician(work, 'Carol Clark', 'carol@royal.example', 'Royal Infirmary');
    await verifyEachOther(alice, bob);
    await verifyEachOther(alice, carol);
    await mkdir(join(work, 'in'));
    await writeFile(join(work, 'in', 'Echo report.pdf'), 'synthetic');
    const file = await alice.call('files.registerDropped', { path: join(work, 'in', 'Echo report.pdf') });
    const recipients = (await alice.call('contacts.list')).map(
      (contact: { fingerprint: string }) => contact.fingerprint,
    );
    alice.host.answers.save.push(join(work, 'echo.medseal'));
    const { jobId } = await alice.call('seal.start', {
      files: [file.token],
      recipients,
      note: '',
      confirmUnverified: false,
    });
    expect(await alice.host.next('job.finished', (event) => event.jobId === jobId)).toMatchObject({ ok: true });

    const found = async (query: string) => (await alice.call('history.search', { query, limit: 10 })).length;
    for (const query of ['echo', 'Carol', 'royal infirmary', 'bob@clinic', 'City Clinic', 'BROWN'])
      expect(await found(query), query).toBe(1);
    for (const query of ['Dave', 'Alice Adams x']) expect(await found(query), query).toBe(0);
    const [item] = await alice.call('history.search', { query: 'Royal', limit: 10 });
    expect(item.recipients.sort()).toEqual([...recipients].sort()); // every recipient, for the screen to list
    expect(item.deliveries.map((entry: { name: string }) => entry.name).sort()).toEqual(['Bob Brown', 'Carol Clark']);

    // Bob finds what he received by its sender's organisation once he has opened it.
    const pkg = await bob.call('files.registerDropped', { path: join(work, 'echo.medseal') });
    await bob.call('open.preview', { token: pkg.token });
    await mkdir(join(work, 'bob-out'));
    bob.host.answers.folder.push(join(work, 'bob-out'));
    const opening = await bob.call('open.start', { token: pkg.token, confirmUntrusted: false });
    expect(await bob.host.next('job.finished', (event) => event.jobId === opening.jobId)).toMatchObject({ ok: true });
    expect(await bob.call('history.search', { query: 'general hospital', limit: 10 })).toHaveLength(1);
  });
});
