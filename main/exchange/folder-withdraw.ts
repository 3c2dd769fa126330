/**
 * Withdrawing a package from an inbox on a shared folder (transport.ts,
 * `withdraw`): its sender takes it back before the recipient picked it up.
 * Other people write here, so a file is removed only when it is provably
 * ours: opened without following a link and without blocking
 * (fs/open-regular-file.ts), owned by this account and writable by nobody
 * else, and holding this very package (its header hash, read through that
 * descriptor). The entry is then renamed to a private name in the same
 * inbox and removed only if that name leads to the very file checked
 * (device and inode); a file swapped in meanwhile is put back, never
 * deleted. A copy of ours in the recipient's archive means it was taken in:
 * it is reported as picked up and nothing is touched.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { isNodeError } from '../errors/node-error.js';
import { NotARegularFileThere, openRegularFile } from '../fs/open-regular-file.js';
import { exists } from '../fs/own-folder.js';
import type { PinnedFolder } from '../fs/pinned-folder.js';
import { identityOf, isSameFile, type FileIdentity } from '../fs/publish-file.js';
import { packageHeaderHashOf } from '../package/inspect.js';
import { DELIVERY_NAMES, deliveryName, itemKindOf, type WithdrawOutcome } from './transport.js';

/** Runs right before a checked copy is removed (tests play the inbox's owner swapping the file here). */
export type BeforeWithdraw = (path: string) => Promise<void>;

/** Takes our copies of the package out of one inbox; says whether any was removed, or it was already picked up. */
export async function withdrawFromFolderInbox(
  inbox: PinnedFolder,
  deliveryId: string,
  packageHash: string,
  beforeWithdraw?: BeforeWithdraw,
): Promise<WithdrawOutcome> {
  if (await pickedUp(inbox.child('archive'), deliveryId, packageHash)) return 'picked-up';
  let removed = 0;
  let left = 0;
  for (let attempt = 0; attempt < DELIVERY_NAMES; attempt++) {
    const path = inbox.child(deliveryName(deliveryId, 'package', attempt));
    const ours = await ownCopy(path, packageHash);
    if (ours === null) {
      if (await exists(path)) left++; // a file under its name that is not provably ours: never removed
      continue;
    }
    await beforeWithdraw?.(path);
    await inbox.check(); // still the recipient's inbox, below the same exchange folder
    if (await removeIfStill(inbox, path, ours)) removed++;
    else left++;
  }
  return removed > 0 ? 'withdrawn' : left > 0 ? 'left' : 'not-found';
}

/**
 * The file at `path` when it is our copy of the package: a regular file (never through a link),
 * this account's and writable by nobody else (where accounts exist), with this header hash.
 */
async function ownCopy(path: string, packageHash: string): Promise<FileIdentity | null> {
  const handle = await openRegularFile(path).catch((error: unknown) => {
    if (error instanceof NotARegularFileThere || isNodeError(error, 'ENOENT', 'ENOTDIR', 'EACCES')) return null; // none, a link or FIFO in its place, or not ours to read
    throw toIoError('the exchange folder', error);
  });
  if (handle === null) return null;
  try {
    const info = await handle.stat();
    const me = process.getuid?.();
    if (me !== undefined && (info.uid !== me || (info.mode & 0o022) !== 0)) return null;
    const hash = await packageHeaderHashOf(handle).catch((error: unknown) => {
      if (isMedSealError(error)) return null; // not a package at all: not ours
      throw toIoError('the exchange folder', error);
    });
    return hash === packageHash ? await identityOf(handle) : null;
  } finally {
    await handle.close();
  }
}

/**
 * Removes the entry at `path` if it is still `ours`: renamed aside first (a rename moves the name,
 * never what a link points to), then checked, then unlinked; anything else found there is put back.
 */
async function removeIfStill(inbox: PinnedFolder, path: string, ours: FileIdentity): Promise<boolean> {
  const aside = inbox.child(`.medseal-withdrawing-${randomBytes(12).toString('hex')}`);
  const moved = await rename(path, aside).then(
    () => true,
    (error: unknown) => {
      if (isNodeError(error, 'ENOENT', 'EPERM', 'EACCES')) return false; // gone meanwhile, or not ours to move (a sticky inbox)
      throw toIoError('the exchange folder', error);
    },
  );
  if (!moved) return false;
  if (await isSameFile(aside, ours)) {
    await unlink(aside).catch((error: unknown) => {
      throw toIoError('the exchange folder', error);
    });
    return true;
  }
  // Swapped between the check and the rename: not ours. Back under its name, never replacing anything.
  await link(aside, path).then(
    () => unlink(aside),
    (error: unknown) => {
      if (!isNodeError(error, 'EEXIST', 'EPERM', 'ENOTSUP', 'ENOSYS')) throw toIoError('the exchange folder', error);
      // The name is taken again, or no hard links here: the file stays under the aside name, not deleted.
    },
  );
  return false;
}

/** Whether the recipient's archive holds our copy of the package (they took it in). */
async function pickedUp(archive: string, deliveryId: string, packageHash: string): Promise<boolean> {
  const info = await lstat(archive).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return null; // nothing archived yet
    throw toIoError('the exchange folder', error);
  });
  if (!info?.isDirectory()) return false; // none, or a link: never followed
  // Only the inbox owner's own archive tells: one another account made first could hold or hide anything.
  const inbox = await lstat(dirname(archive));
  if (info.uid !== inbox.uid || (info.mode & 0o022) !== 0) return false;
  const names = await readdir(archive).catch((error: unknown) => {
    if (isNodeError(error, 'EACCES', 'ENOENT')) return [] as string[]; // not readable for us: it cannot be told
    throw toIoError('the exchange folder', error);
  });
  for (const name of names)
    if (name.startsWith(deliveryId) && itemKindOf(name) === 'package')
      if ((await ownCopy(join(archive, name), packageHash)) !== null) return true;
  return false;
}
