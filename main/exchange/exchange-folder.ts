/**
 * Exchange folders (docs/ARCHITECTURE.md, "Delivery"): a shared folder the organisation
 * already runs (network share, synced cloud folder) with one inbox per
 * identity, named by fingerprint:
 *
 *   <root>/inboxes/<fingerprint>/            new packages
 *   <root>/inboxes/<fingerprint>/archive/    packages already opened
 *
 * Other people write here, so nothing is ever done to a path after
 * creating it (docs/SECURITY.md, "Folders other people can write to"):
 * a delivery is written, made readable (fchmod) and synced through its own
 * descriptor, and published by fs/publish-file.ts only if its temp name
 * still leads to that very file; an opened package is archived only if its
 * name still leads to the file that was opened and verified (device and
 * inode), by a link or rename of that entry, never by copying; an inbox or
 * archive that is a symbolic link is refused. Names carry no patient
 * information. Nothing here ever deletes a package.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { fsyncFolder, tempPathBeside } from '../fs/atomic-write.js';
import { copyContent, createExclusive, isSameFile, publishWithoutReplacing, TargetExists, type FileIdentity } from '../fs/publish-file.js';
import { PACKAGE_FILE_EXTENSION } from '../package/format.js';
import { ExchangeFolderUnsafe } from './errors.js';

const FINGERPRINT = /^[0-9a-f]{64}$/;

export interface InboxEntry {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly arrivedAt: string;
}

export interface ExchangeHooks {
  /** Runs right before a delivery is published (tests play another user of the share here). */
  readonly beforePublish?: (temp: string) => Promise<void>;
  /** Runs right before an opened package is archived (likewise). */
  readonly beforeArchive?: (path: string) => Promise<void>;
}

export class ExchangeFolder {
  constructor(
    readonly root: string,
    private readonly hooks: ExchangeHooks = {},
  ) {}

  inboxOf(fingerprint: string): string {
    if (!FINGERPRINT.test(fingerprint)) throw new Error('inbox names are fingerprints');
    return join(this.root, 'inboxes', fingerprint);
  }

  /** Delivers one package into each recipient's inbox; returns the delivered paths. */
  async deliver(packagePath: string, recipients: readonly string[], now = new Date()): Promise<string[]> {
    const source = await open(packagePath, 'r').catch((error: unknown) => {
      throw toIoError('the package', error);
    });
    try {
      const delivered: string[] = [];
      for (const recipient of recipients) {
        const inbox = await this.realFolder(this.inboxOf(recipient), true);
        delivered.push(await this.deliverOne(source, inbox, now));
        await fsyncFolder(inbox).catch(() => undefined);
      }
      return delivered;
    } finally {
      await source.close();
    }
  }

  private async deliverOne(source: FileHandle, inbox: string, now: Date): Promise<string> {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    for (let attempt = 0; ; attempt++) {
      const target = join(inbox, `${stamp}-${randomBytes(6).toString('hex')}${PACKAGE_FILE_EXTENSION}`);
      const temp = tempPathBeside(target);
      let handle: FileHandle | undefined;
      try {
        handle = await createExclusive(temp, 0o644);
        await handle.chmod(0o644); // other clinicians' accounts must read it; it is encrypted and signed
        await copyContent(source, handle);
        await handle.sync();
        await this.hooks.beforePublish?.(temp);
        await publishWithoutReplacing(handle, temp, target);
        return target;
      } catch (error) {
        if (handle) await rm(temp, { force: true }).catch(() => undefined); // a name we created: unlink never follows links
        if (error instanceof TargetExists && attempt < 5) continue; // a fresh random name; never overwrite
        throw toIoError('the exchange folder', error);
      } finally {
        await handle?.close().catch(() => undefined);
      }
    }
  }

  /** New packages in an inbox, oldest first; temp files of deliveries in progress are not listed. */
  async inbox(fingerprint: string): Promise<InboxEntry[]> {
    const folder = this.inboxOf(fingerprint);
    if (!(await this.isRealFolder(folder))) return [];
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw toIoError('the exchange folder', error);
    });
    const entries: InboxEntry[] = [];
    for (const name of names) {
      if (name.startsWith('.') || !name.endsWith(PACKAGE_FILE_EXTENSION)) continue;
      const info = await lstat(join(folder, name)).catch(() => null);
      if (info?.isFile()) entries.push({ path: join(folder, name), name, size: info.size, arrivedAt: info.mtime.toISOString() });
    }
    return entries.sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt) || a.name.localeCompare(b.name));
  }

  /**
   * Moves an opened package into the archive of its inbox, never replacing anything there, and
   * only if its name still leads to `opened` (the file that was verified); returns the new
   * path, or null when the entry is no longer that file (then nothing is moved).
   */
  async archive(fingerprint: string, packagePath: string, opened: FileIdentity): Promise<string | null> {
    const archive = await this.realFolder(join(await this.realFolder(this.inboxOf(fingerprint), false), 'archive'), true);
    await this.hooks.beforeArchive?.(packagePath);
    if (!(await isSameFile(packagePath, opened))) return null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const target = join(archive, attempt === 0 ? basename(packagePath) : basename(packagePath).replace(/\.medseal$/, `-${randomBytes(4).toString('hex')}.medseal`));
      try {
        await link(packagePath, target); // never follows a link, never replaces
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw toIoError('the exchange folder', error);
        if (
          await lstat(target).then(
            () => true,
            () => false,
          )
        )
          continue;
        await rename(packagePath, target).catch((renameError: unknown) => {
          throw toIoError('the exchange folder', renameError);
        }); // moves the entry itself: no copy
        return target;
      }
      if (!(await isSameFile(target, opened))) {
        await unlink(target).catch(() => undefined); // swapped between check and link: not ours to archive
        return null;
      }
      await unlink(packagePath).catch(() => undefined);
      return target;
    }
    throw toIoError('the exchange folder', Object.assign(new Error('no free archive name'), { code: 'EEXIST' }));
  }

  private async isRealFolder(path: string): Promise<boolean> {
    const info = await lstat(path).catch(() => null);
    return info !== null && info.isDirectory();
  }

  /** `path` as a folder that is not a symbolic link (created if `create`); its parent `inboxes` likewise. */
  private async realFolder(path: string, create: boolean): Promise<string> {
    try {
      if (create) await mkdir(path, { recursive: true });
      else await stat(path);
    } catch (error) {
      throw toIoError('the exchange folder', error);
    }
    for (const folder of [join(this.root, 'inboxes'), path]) {
      if (!(await this.isRealFolder(folder))) throw new ExchangeFolderUnsafe();
    }
    return path;
  }
}
