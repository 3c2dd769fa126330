/**
 * "Keep both" when opening: numbered names as file managers give them, the existing file never
 * touched, and a name taken by someone else between the check and the publish moves the new
 * file on to the next number instead of failing or replacing anything.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberedName } from '../../main/fs/keep-both.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('numbered names', () => {
  it.each([
    ['letter.pdf', 2, 'letter (2).pdf'],
    ['scan.dcm', 10, 'scan (10).dcm'],
    ['archive.tar.gz', 2, 'archive.tar (2).gz'],
    ['README', 3, 'README (3)'],
    ['.profile', 2, '.profile (2)'],
    ['letter.pdf', 1, 'letter.pdf'],
  ])('%s, %i → %s', (name, number, expected) => {
    expect(numberedName(name, number)).toBe(expected);
  });

  it('shortens a stem too long to take the number, so the name still fits 255 bytes', () => {
    const long = `${'é'.repeat(125)}.pdf`; // 254 bytes
    const numbered = numberedName(long, 2);
    expect(Buffer.byteLength(numbered)).toBeLessThanOrEqual(255);
    expect(numbered).toMatch(/^é+ \(2\)\.pdf$/);
  });

  it('shortens a very long extension too when the stem alone cannot make room', () => {
    const numbered = numberedName(`a.${'x'.repeat(250)}`, 2); // 252 bytes, nearly all extension
    expect(Buffer.byteLength(numbered)).toBeLessThanOrEqual(255);
    expect(numbered).toMatch(/^a \(2\)\.x+$/);
  });
});

/**
 * Seals "lab.pdf" and `secondName` for Bob, then opens the package with keep both into a folder
 * that already has "lab.pdf"; answers the paths the two files got.
 */
async function keepBothInto(secondName: string): Promise<{ out: string; paths: readonly string[] }> {
  const folder = await tempFolder();
  const [alice, bob] = [await fastIdentity('Alice'), await fastIdentity('Bob')];
  await writeFile(join(folder, 'a'), 'NEW lab result (file 1)');
  await writeFile(join(folder, 'b'), 'OTHER document (file 2)');
  const pkg = join(folder, 'p.medseal');
  await sealPackage({
    sender: alice,
    recipients: [bob.card],
    files: [
      { path: join(folder, 'a'), name: 'lab.pdf' },
      { path: join(folder, 'b'), name: secondName },
    ],
    output: pkg,
  });
  const out = join(folder, 'out');
  await mkdir(out);
  await writeFile(join(out, 'lab.pdf'), 'already here');
  const opened = await openPackage(pkg, bob);
  try {
    return { out, paths: (await opened.extractTo(out, { keepBoth: true })).paths };
  } finally {
    await opened.close();
  }
}

describe('a package whose own names look numbered', () => {
  it('never saves one file under the name of another file of the same package', async () => {
    const { out, paths } = await keepBothInto('lab (2).pdf');
    expect(paths).toEqual([join(out, 'lab (3).pdf'), join(out, 'lab (2).pdf')]);
    expect(await readFile(join(out, 'lab (2).pdf'), 'utf8')).toBe('OTHER document (file 2)');
    expect(await readFile(join(out, 'lab (3).pdf'), 'utf8')).toBe('NEW lab result (file 1)');
  });

  it('nor under a name that differs from another file of the package only in case (one name on NTFS and APFS)', async () => {
    const { out, paths } = await keepBothInto('Lab (2).pdf');
    expect(paths).toEqual([join(out, 'lab (3).pdf'), join(out, 'Lab (2).pdf')]); // never "lab (2).pdf" beside "Lab (2).pdf"
  });
});
describe('opening with keep both', () => {
  it('saves beside the files already there, and moves on when a name is taken while it works', async () => {
    const folder = await tempFolder();
    const [alice, bob] = [await fastIdentity('Alice'), await fastIdentity('Bob')];
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [100, 2000] });
    const out = join(folder, 'out');
    await mkdir(out);
    const [first, second] = sample.names as [string, string];
    await writeFile(join(out, first), 'already here');
    const opened = await openPackage(sample.path, bob);
    try {
      await expect(opened.extractTo(out)).rejects.toMatchObject({ code: 'DESTINATION_EXISTS' });
      expect(await readdir(out)).toEqual([first]); // refused without keep both: nothing written

      const result = await opened.extractTo(out, {
        keepBoth: true,
        beforePublish: async () => {
          await writeFile(join(out, numberedName(first, 2)), 'taken meanwhile by another program');
          await writeFile(join(out, second), 'taken meanwhile too');
        },
      });
      expect(result.paths).toEqual([join(out, numberedName(first, 3)), join(out, numberedName(second, 2))]);
      expect(await readFile(join(out, first), 'utf8')).toBe('already here');
      expect(await readFile(join(out, numberedName(first, 2)), 'utf8')).toBe('taken meanwhile by another program');
      expect(await readFile(join(out, second), 'utf8')).toBe('taken meanwhile too');
      expect(await readFile(result.paths[0]!)).toEqual(sample.contents[0]);
      expect(await readFile(result.paths[1]!)).toEqual(sample.contents[1]);
      expect((await readdir(out)).sort()).toEqual(
        [first, numberedName(first, 2), numberedName(first, 3), second, numberedName(second, 2)].sort(),
      ); // and no temp file left
    } finally {
      await opened.close();
    }
  });
});
