/**
 * The sealed files the delivery queue waits with: a private copy of each
 * queued package in the profile's `delivery-queue/` folder (0700), named by
 * its header hash (never a file name). A copy, not the path it was saved
 * at: the person may move or delete their saved package, the hot folder
 * moves its own, and a path outside the profile could be changed by others;
 * the queue needs none of that. The copy is published whole (temp file,
 * fsync, rename) and checked against the header hash before it is kept and
 * before each retry; it is removed once nothing of its package is queued.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { fsyncFolderWherePossible, tempPathBeside } from '../../fs/atomic-write.js';
import { exists } from '../../fs/own-folder.js';
import { takeLockFile } from '../../fs/lock-file.js';
import { packageHeaderHash } from '../../package/inspect.js';
import { PackageChanged } from '../errors.js';

export const QUEUE_FOLDER = 'delivery-queue';
const SUBJECT = 'the delivery queue';

export class QueuedPackages {
  constructor(private readonly profileFolder: string) {}

  get folder(): string {
    return join(this.profileFolder, QUEUE_FOLDER);
  }

  /** Where the queued copy of this package is. */
  /**
   * One delivery or withdrawal of a queued package at a time, across the app, the CLI and `watch`:
   * a withdrawal never races an upload that would land after it looked.
   */
  async lock(packageHash: string): Promise<{ release: () => Promise<void> } | 'busy'> {
    const taken = await takeLockFile(join(this.folder, `${packageHash}.lock`));
    if (taken.ok) return { release: taken.release };
    if (taken.held) return 'busy';
    throw toIoError(SUBJECT, taken.error);
  }

  pathOf(packageHash: string): string {
    return join(this.folder, `${packageHash}.medseal`);
  }

  /** Keeps a copy of the sealed package `file` (once per package); PackageChanged when it is not that package. */
  async keep(file: string, packageHash: string): Promise<void> {
    const target = this.pathOf(packageHash);
    if (await this.holds(packageHash)) return;
    await mkdir(this.folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw toIoError(SUBJECT, error);
    });
    const temp = tempPathBeside(target);
    try {
      await copyFile(file, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      const handle = await open(temp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      if ((await packageHeaderHash(temp)) !== packageHash) throw new PackageChanged();
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw toIoError(SUBJECT, error);
    }
    await fsyncFolderWherePossible(this.folder, SUBJECT);
  }

  /** Whether the copy of this package is there and still that package (a copy lost or damaged is not). */
  async holds(packageHash: string): Promise<boolean> {
    const path = this.pathOf(packageHash);
    if (!(await exists(path))) return false;
    return packageHeaderHash(path).then(
      (hash) => hash === packageHash,
      (error: unknown) => {
        if (isMedSealError(error)) return false; // unreadable or not a package any more: not usable
        throw error;
      },
    );
  }

  async release(packageHash: string): Promise<void> {
    await rm(this.pathOf(packageHash), { force: true }).catch((error: unknown) => {
      throw toIoError(SUBJECT, error);
    });
  }
}
