/**
 * Moves a finished temp file to its final name without ever replacing an
 * existing file, and without ever acting on a path that someone else could
 * have swapped (docs/SECURITY.md, "Folders other people can write to").
 *
 * The temp file is created by MedSeal with O_CREAT|O_EXCL|O_NOFOLLOW and
 * known from then on by its device and inode (fstat of our descriptor).
 * Right before publishing, the temp name must still be that regular file
 * (lstat: a symlink or another file put there is refused); link() — which
 * fails with EEXIST instead of replacing, and never follows a symlink — then
 * gives it its final name, which is checked again. Where a file system has
 * no hard links, the content is copied from our own descriptor into a new
 * file created exclusively: never a copy or chmod by path.
 */
import { cleanUp } from '../errors/clean-up.js';
import { constants } from 'node:fs';
import { link, lstat, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { TempFileReplaced, UnsafeFolder } from './errors.js';

export { TempFileReplaced };

export class TargetExists extends Error {
  constructor() {
    super('target exists');
  }
}

/** Device and inode: what a file is, whatever name leads to it. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

const EXCLUSIVE = constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | (constants.O_NOFOLLOW ?? 0);

/** Creates `path` (it must not exist, and is never followed if it is a link) for reading and writing. */
export function createExclusive(path: string, mode: number): Promise<FileHandle> {
  return open(path, EXCLUSIVE, mode);
}

export async function identityOf(handle: FileHandle): Promise<FileIdentity> {
  const { dev, ino } = await handle.stat();
  return { dev, ino };
}

/** Whether `path` is, right now, the regular file `expected` (not a link, not another file, not gone). */
export async function isSameFile(path: string, expected: FileIdentity): Promise<boolean> {
  const info = await lstat(path).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return null; // the name leads nowhere now
    throw error;
  });
  return info !== null && info.isFile() && info.dev === expected.dev && info.ino === expected.ino;
}

/**
 * Publishes the temp file written through `handle` (still open) as `target`, never replacing
 * anything; throws TargetExists or TempFileReplaced. The temp name is gone afterwards.
 */
export async function publishWithoutReplacing(handle: FileHandle, temp: string, target: string): Promise<void> {
  const ours = await identityOf(handle);
  if (!(await isSameFile(temp, ours))) throw new TempFileReplaced();
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TargetExists();
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    await copyFromHandle(handle, target);
    await cleanUp(unlink(temp));
    return;
  }
  if (!(await isSameFile(target, ours))) {
    // The temp name was swapped between the check and the link: what we just named is not ours.
    await cleanUp(unlink(target)); // on the way to TempFileReplaced, the failure to report: a name that cannot be removed stays
    throw new TempFileReplaced();
  }
  await unlink(temp);
}

/** Copies everything readable through `source` into `target`, created exclusively (no hard links here). */
async function copyFromHandle(source: FileHandle, target: string): Promise<void> {
  const { mode } = await source.stat();
  const copy = await open(target, EXCLUSIVE, mode & 0o777).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? new TargetExists() : error;
  });
  try {
    await copyContent(source, copy);
    await copy.sync();
  } finally {
    await copy.close();
  }
}

/** Copies the whole content of one open file into another, descriptor to descriptor (no path is used). */
export async function copyContent(source: FileHandle, target: FileHandle): Promise<void> {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  for (let position = 0; ;) {
    const { bytesRead } = await source.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    for (let offset = 0; offset < bytesRead;)
      offset += (await target.write(buffer, offset, bytesRead - offset, position + offset)).bytesWritten;
    position += bytesRead;
  }
}

/**
 * Refuses a folder that other accounts (its group, or everyone) can write to without the sticky
 * bit, or that belongs to another account: any of them could rename their own file over a name
 * MedSeal just published (a forged result saved as "verified"). With the sticky bit (like /tmp)
 * only a file's owner, and the folder's, may rename or remove it: so the folder must be root's or
 * this account's. A missing folder passes (the write says so); one that cannot be looked at throws IoError.
 */
export async function assertNoOtherWriters(folder: string, what: string): Promise<void> {
  if (process.platform === 'win32') return;
  const info = await stat(folder).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return null;
    throw toIoError(what.charAt(0).toLowerCase() + what.slice(1), error);
  });
  if (!info) return; // missing: the write itself says so
  const me = process.getuid?.() ?? -1;
  if (info.uid !== 0 && info.uid !== me) throw new UnsafeFolder(what);
  if ((info.mode & 0o022) !== 0 && (info.mode & 0o1000) === 0) throw new UnsafeFolder(what);
}
