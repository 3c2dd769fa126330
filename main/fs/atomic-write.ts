/**
 * Crash-safe file writes: a temp file in the same folder, fsync, rename,
 * then fsync of the folder. A reader sees the old file or the new one,
 * never half of either. Used for every write of keys and metadata.
 */
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';

/** Prefix of every temporary file MedSeal writes; a crash may leave these behind. */
export const TEMP_PREFIX = '.medseal-partial-';

export function tempPathBeside(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
}

export async function fsyncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync on Windows
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * fsyncFolder after files were published there, where the folder's file system can do it: a
 * share or FUSE mount that cannot (EINVAL, ENOTSUP, EPERM), or a folder this account may write
 * to but not open (EACCES), has the new names all the same. Any other failure (EIO) is thrown
 * as IoError about `subject`.
 */
export async function fsyncFolderWherePossible(folder: string, subject: string): Promise<void> {
  await fsyncFolder(folder).catch((error: unknown) => {
    if (!isNodeError(error, 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EACCES', 'EISDIR', 'EBADF'))
      throw toIoError(subject, error);
  });
}

/** Creates `path` (it must not exist), writes `data` and flushes it to disk. */
export async function writeNewFileSynced(path: string, data: Uint8Array | string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `target` atomically with the given file mode (0600 by default). */
export async function writeFileAtomic(target: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const temp = tempPathBeside(target);
  try {
    await writeNewFileSynced(temp, data, mode);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncFolder(dirname(target));
}

export function isTempName(name: string): boolean {
  return basename(name).startsWith(TEMP_PREFIX);
}
