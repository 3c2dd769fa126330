/**
 * Security review, medium 10 and low 19/20: text from packages and cards.
 * A note with terminal escape sequences must not rewrite the CLI's "From:"
 * line; C1 controls, unpaired surrogates, console device names and names
 * that differ only by a folded letter are refused in file names; unpaired
 * surrogates are refused in notes and card fields.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forTerminal } from '../../main/cli/terminal-text.js';
import { PersonDetailsSchema } from '../../main/identity/person-details.js';
import { fileNameCollisionKey, fileNameProblem } from '../../main/package/file-names.js';
import { sealPackage } from '../../main/package/seal.js';
import { clinician, PASS, verifyEachOther } from '../helpers/clinicians.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { policyIsolationUnavailable, underTestPolicy } from '../helpers/machine-policy.js';

const REWRITE = '\u001b[1A\u001b[2K\rFrom: Dr Bob Brown <bob@clinic.example> — Verified contact\u009b2K\u202e';

describe('text printed on a terminal', () => {
  it('shows every control, format and separator character as a visible escape', () => {
    expect(forTerminal(REWRITE)).toBe(
      '<U+001B>[1A<U+001B>[2K<U+000D>From: Dr Bob Brown <bob@clinic.example> — Verified contact<U+009B>2K<U+202E>',
    );
    expect(forTerminal('a\u007fb\u2028c\ud800d')).toBe('a<U+007F>b<U+2028>c<U+D800>d');
    expect(forTerminal('line 1\nline 2', { keepNewlines: true })).toBe('line 1\nline 2');
    expect(forTerminal('line 1\nline 2')).toBe('line 1<U+000A>line 2');
  });

  it.skipIf(policyIsolationUnavailable() !== null)(
    "a note with escape sequences cannot rewrite the CLI's sender line",
    async () => {
      const work = await tempFolder();
      const mallory = await clinician(work, 'Mallory Moss', 'mallory@else.example');
      const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
      await verifyEachOther(bob, mallory);
      await bob.call('contacts.remove', { fingerprint: (await bob.call('contacts.list'))[0].fingerprint }); // Mallory is unknown to Bob again
      await writeFile(join(work, 'x.txt'), 'x');
      const file = await mallory.call('files.registerDropped', { path: join(work, 'x.txt') });
      const [bobContact] = await mallory.call('contacts.list');
      mallory.host.answers.save.push(join(work, 'p.medseal'));
      const { jobId } = await mallory.call('seal.start', {
        files: [file.token],
        recipients: [bobContact.fingerprint],
        note: REWRITE,
        confirmUnverified: true,
      });
      expect((await mallory.host.next('job.finished', (event) => event.jobId === jobId)).ok).toBe(true);
      const home = bob.app.session.folder.path;
      bob.app.close();
      const cli = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
      const opened = spawnSync(
        ...underTestPolicy([cli, '--home', home, 'open', join(work, 'p.medseal'), '-o', join(work, 'out')]),
        {
          env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
          encoding: 'utf8',
        },
      );
      expect(opened.status, opened.stderr).toBe(0);
      expect(opened.stdout).toMatch(
        /^From: Mallory Moss, Doctor, Test Hospital <mallory@else\.example> — Unknown sender/,
      );
      expect([...opened.stdout].filter((character) => character !== '\n' && /[\p{Cc}\p{Cf}]/u.test(character))).toEqual(
        [],
      );
      expect(opened.stdout).toContain('<U+001B>[1A');
    },
  );
});

describe('file names, notes and card fields', () => {
  it('file names: C1 controls, unpaired surrogates and console device names are refused', () => {
    for (const name of [
      '\u009b31mred.txt',
      'report\u0085.pdf',
      'x\ud800',
      'CONIN$',
      'conout$.log',
      'con .txt',
      'NUL  .pdf',
    ])
      expect(fileNameProblem(name), JSON.stringify(name)).not.toBeNull();
    for (const name of ['Zebulon Quibble.pdf', 'σ.txt', 'Ω-scan 😀.dcm'])
      expect(fileNameProblem(name), name).toBeNull();
  });

  it('names that one case-insensitive file system stores as one collide: σ.txt and ς.txt', () => {
    expect(fileNameCollisionKey('σ.txt')).toBe(fileNameCollisionKey('ς.txt'));
    expect(fileNameCollisionKey('Σ.TXT')).toBe(fileNameCollisionKey('ς.txt'));
  });

  it('a note or a card field with an unpaired surrogate is refused', async () => {
    const [alice, bob] = [await fastIdentity('Alice'), await fastIdentity('Bob')];
    const work = await tempFolder();
    await writeFile(join(work, 'a.txt'), 'a');
    await expect(
      sealPackage({
        sender: alice,
        recipients: [bob.card],
        files: [{ path: join(work, 'a.txt') }],
        note: 'see x\ud800',
        output: join(work, 'p.medseal'),
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_PACKAGE_REQUEST',
    });
    expect(
      PersonDetailsSchema.safeParse({ name: 'Dr \udc00 Who', organisation: 'O', role: '', email: 'a@b.example' })
        .success,
    ).toBe(false);
    expect(
      PersonDetailsSchema.safeParse({ name: 'Dr Who', organisation: 'O', role: '', email: 'a\ud800@b.example' })
        .success,
    ).toBe(false);
  });
});
