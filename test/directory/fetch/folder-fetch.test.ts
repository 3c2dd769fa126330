/**
 * A partner's directory file in a folder (temporary ones here): a regular file is read whole;
 * what others could plant under its name instead (a link, a FIFO that would block a read for
 * ever, a folder) is refused without being followed or read; a file over the limit is refused,
 * one at the limit read; a missing file says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchDirectoryFile } from '../../../main/directory/fetch/directory-fetch.js';
import { DirectorySourceUnreachable } from '../../../main/directory/fetch/errors.js';
import { tempFolder, writeSample } from '../../helpers/temp-folder.js';
import { scaled } from '../../helpers/time.js';

const LIMIT = 256 * 1024;

const fetchFile = (path: string) =>
  fetchDirectoryFile({ kind: 'folder', path }, { maxBytes: LIMIT, timeoutMs: scaled(10_000) });

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('the fetch succeeded'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DirectorySourceUnreachable);
  expect((error as DirectorySourceUnreachable).userMessage).not.toContain('/'); // no path in the words
  return (error as DirectorySourceUnreachable).reason;
}

describe('fetching a directory file from a folder', () => {
  it('reads a regular file whole, up to the limit exactly', async () => {
    const folder = await tempFolder();
    const content = await writeSample(join(folder, 'city.medseal-directory'), LIMIT);
    expect((await fetchFile(join(folder, 'city.medseal-directory'))).equals(content)).toBe(true);
  });

  it('refuses a file one byte over the limit', async () => {
    const folder = await tempFolder();
    await writeSample(join(folder, 'city.medseal-directory'), LIMIT + 1);
    expect(await reasonOf(fetchFile(join(folder, 'city.medseal-directory')))).toBe('too-large');
  });

  it('does not follow a link planted under the name, even to a good file', async () => {
    const folder = await tempFolder();
    await writeSample(join(folder, 'elsewhere'), 100);
    await symlink(join(folder, 'elsewhere'), join(folder, 'city.medseal-directory'));
    expect(await reasonOf(fetchFile(join(folder, 'city.medseal-directory')))).toBe('not-a-file');
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const folder = await tempFolder();
    const fifo = join(folder, 'city.medseal-directory');
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status).toBe(0);
    const started = Date.now();
    expect(await reasonOf(fetchFile(fifo))).toBe('not-a-file');
    expect(Date.now() - started).toBeLessThan(scaled(5_000));
  });

  it('refuses a folder under the name, and says when nothing is there', async () => {
    const folder = await tempFolder();
    await mkdir(join(folder, 'city.medseal-directory'));
    expect(await reasonOf(fetchFile(join(folder, 'city.medseal-directory')))).toBe('not-a-file');
    expect(await reasonOf(fetchFile(join(folder, 'missing.medseal-directory')))).toBe('not-found');
    await writeFile(join(folder, 'plain'), 'x');
    expect(await reasonOf(fetchFile(join(folder, 'plain', 'below')))).toBe('not-found');
  });
});
