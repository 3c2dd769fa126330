/**
 * Exchange folders (docs/ARCHITECTURE.md, "Delivery"): a shared folder the organisation
 * already runs (network share, synced cloud folder) with one inbox per
 * identity, named by fingerprint:
 *
 *   <root>/inboxes/<fingerprint>/            new packages
 *   <root>/inboxes/<fingerprint>/archive/    packages already opened
 *
 * Delivery writes a temp name in the inbox and links it to a fresh unique
 * name, so a reader never sees half a package and two senders never
 * clobber each other. Names carry no patient information. Nothing here
 * ever deletes a package: opened ones are moved to the archive, failed
 * ones stay where they are.
 */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { fsyncFolder, tempPathBeside } from '../fs/atomic-write.js';
import { publishWithoutReplacing, TargetExists } from '../fs/publish-file.js';
import { PACKAGE_FILE_EXTENSION } from '../package/format.js';

const FINGERPRINT = /^[0-9a-f]{64}$/;

export interface InboxEntry {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly arrivedAt: string;
}

export class ExchangeFolder {
  constructor(readonly root: string) {}

  inboxOf(fingerprint: string): string {
    if (!FINGERPRINT.test(fingerprint)) throw new Error('inbox names are fingerprints');
    return join(this.root, 'inboxes', fingerprint);
  }

  /** Delivers one package into each recipient's inbox; returns the delivered paths. */
  async deliver(packagePath: string, recipients: readonly string[], now = new Date()): Promise<string[]> {
    const delivered: string[] = [];
    for (const recipient of recipients) {
      const inbox = this.inboxOf(recipient);
      try {
        await mkdir(inbox, { recursive: true });
      } catch (error) {
        throw toIoError('the exchange folder', error);
      }
      const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
      for (let attempt = 0; ; attempt++) {
        const target = join(inbox, `${stamp}-${randomBytes(6).toString('hex')}${PACKAGE_FILE_EXTENSION}`);
        const temp = tempPathBeside(target);
        try {
          await copyFile(packagePath, temp);
          await chmod(temp, 0o644); // other clinicians' accounts must read it; it is encrypted and signed
          await publishWithoutReplacing(temp, target);
          delivered.push(target);
          break;
        } catch (error) {
          await rm(temp, { force: true });
          if (error instanceof TargetExists && attempt < 5) continue; // a fresh random name; never overwrite
          throw toIoError('the exchange folder', error);
        }
      }
      await fsyncFolder(inbox).catch(() => undefined);
    }
    return delivered;
  }

  /** New packages in an inbox, oldest first; temp files of deliveries in progress are not listed. */
  async inbox(fingerprint: string): Promise<InboxEntry[]> {
    const folder = this.inboxOf(fingerprint);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw toIoError('the exchange folder', error);
    });
    const entries: InboxEntry[] = [];
    for (const name of names) {
      if (name.startsWith('.') || !name.endsWith(PACKAGE_FILE_EXTENSION)) continue;
      const info = await stat(join(folder, name)).catch(() => null);
      if (info?.isFile()) entries.push({ path: join(folder, name), name, size: info.size, arrivedAt: info.mtime.toISOString() });
    }
    return entries.sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt) || a.name.localeCompare(b.name));
  }

  /** Moves an opened package into the archive of its inbox (never replacing anything there). */
  async archive(fingerprint: string, packagePath: string): Promise<string> {
    const archive = join(this.inboxOf(fingerprint), 'archive');
    await mkdir(archive, { recursive: true });
    const target = join(archive, basename(packagePath));
    try {
      await publishWithoutReplacing(packagePath, target);
    } catch (error) {
      if (!(error instanceof TargetExists)) throw toIoError('the exchange folder', error);
      const unique = target.replace(/\.medseal$/, `-${randomBytes(4).toString('hex')}.medseal`);
      await rename(packagePath, unique);
      return unique;
    }
    return target;
  }
}
