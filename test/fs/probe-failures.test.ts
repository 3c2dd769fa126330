/**
 * File-system probes name the case they expect (nothing there: ENOENT) and pass any other
 * failure on as IoError, instead of taking it for "free", "gone" or "not ours".
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoError } from '../../main/errors/io-error.js';
import { fsyncFolderWherePossible } from '../../main/fs/atomic-write.js';
import { firstFreeName, takenNames } from '../../main/fs/keep-both.js';
import { takeLockFile } from '../../main/fs/lock-file.js';
import { identityOf, isSameFile } from '../../main/fs/publish-file.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('file-system probes', () => {
  it('keep-both: a name is free only where nothing is; a "folder" that is a file is an error, not free', async () => {
    const work = await tempFolder();
    await writeFile(join(work, 'letter.pdf'), 'synthetic');
    expect(await takenNames(work, ['letter.pdf', 'other.pdf'])).toEqual([0]);
    expect(await firstFreeName(work, 'letter.pdf')).toBe('letter (2).pdf');
    const notAFolder = join(work, 'letter.pdf');
    await expect(takenNames(notAFolder, ['a.pdf'])).rejects.toBeInstanceOf(IoError);
    await expect(firstFreeName(notAFolder, 'a.pdf')).rejects.toBeInstanceOf(IoError);
  });

  it('isSameFile: a name that leads nowhere now (gone, or below a file) is not the file', async () => {
    const work = await tempFolder();
    const handle = await open(join(work, 'ours'), 'w');
    try {
      const ours = await identityOf(handle);
      expect(await isSameFile(join(work, 'ours'), ours)).toBe(true);
      expect(await isSameFile(join(work, 'gone'), ours)).toBe(false);
      expect(await isSameFile(join(work, 'ours', 'below'), ours)).toBe(false);
    } finally {
      await handle.close();
    }
  });

  it('a folder that cannot be flushed because it is not there is an IoError, not a silent success', async () => {
    const work = await tempFolder();
    await fsyncFolderWherePossible(work, 'the destination folder');
    await expect(fsyncFolderWherePossible(join(work, 'missing'), 'the destination folder')).rejects.toThrow(
      /Could not access the destination folder: it does not exist/,
    );
  });

  it('a lock that cannot be taken for another reason than a holder says so (held: false, with the error)', async () => {
    const work = await tempFolder();
    await writeFile(join(work, 'file'), 'x');
    const below = await takeLockFile(join(work, 'file', 'lock'));
    expect(below).toMatchObject({ ok: false, held: false, error: expect.objectContaining({ code: 'ENOTDIR' }) });
    await mkdir(join(work, 'folder'));
    const first = await takeLockFile(join(work, 'folder', 'lock'));
    expect(first.ok).toBe(true);
    expect(await takeLockFile(join(work, 'folder', 'lock'))).toEqual({ ok: false, held: true });
    if (first.ok) await first.release();
    if (first.ok) await first.release(); // already gone: nothing to do
    expect((await takeLockFile(join(work, 'folder', 'lock'))).ok).toBe(true);
  });
});
