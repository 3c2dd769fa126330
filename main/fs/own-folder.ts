/**
 * Folders this account made in a shared place (its inbox on an exchange, a
 * new inboxes folder): their mode is set through the folder's descriptor,
 * never by a path that another account could have swapped for a link
 * between the mkdir and the chmod (mkdir alone is cut by the umask).
 */
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';

/** The folder is a link, not a folder, or another account's. */
export class NotOurFolder extends Error {}

/**
 * Sets the mode of a folder this account owns, through its descriptor (never by a path that another
 * account could have swapped for a link meanwhile); NotOurFolder when it is a link, not a folder, or
 * another account's. Windows: nothing to do.
 */
export async function setModeOfOwnFolder(path: string, mode: number): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY | (constants.O_NOFOLLOW ?? 0)).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ELOOP' || error.code === 'ENOTDIR') throw new NotOurFolder();
      throw toIoError('a shared folder', error);
    },
  );
  try {
    const info = await handle.stat();
    if (info.uid !== process.getuid?.()) throw new NotOurFolder();
    if ((info.mode & 0o7777) !== mode) await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

/** Whether anything (file, folder, link) has this name; other failures than "not there" are thrown. */
export async function exists(path: string): Promise<boolean> {
  const found = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw toIoError('a shared folder', error);
  });
  return found !== null;
}
