/**
 * Exchange folders (docs/ARCHITECTURE.md, "Delivery"): a shared folder the organisation
 * already runs (network share, synced cloud folder), with the exchange
 * layout of transport.ts: one inbox per identity, named by fingerprint.
 *
 * Other people write here, so nothing is ever done to a path after
 * creating it (docs/SECURITY.md, "Folders other people can write to"):
 * a delivery is written, made readable (fchmod) and synced through its own
 * descriptor, and published by fs/publish-file.ts only if its temp name
 * still leads to that very file; an opened package is archived only if its
 * name still leads to the file that was opened and verified (device and
 * inode), by a link or rename of that entry, never by copying; an inbox or
 * archive that is a symbolic link is refused. Names carry no patient
 * information. Nothing here ever deletes a package but `withdraw`, its
 * sender's own copy, provably (folder-withdraw.ts).
 *
 * The exchange folder, its `inboxes` folder and each inbox are pinned on
 * first use (fs/pinned-folder.ts) and checked before every action: one that
 * is moved, replaced or changes owner or mode stops the work (FolderChanged).
 * An inbox is made by its owner's MedSeal, mode 1733 (others may add files
 * and pass through, but not list, rename or delete what is there), through
 * its descriptor; one that another account made first is never announced
 * into (InboxTakenByOtherAccount), and the owner of each inbox is reported
 * with its announcement so that senders compare it with the signed one.
 */
import { cleanUp } from '../errors/clean-up.js';
import { isNodeError, nullIfMissing } from '../errors/node-error.js';
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { fsyncFolder, tempPathBeside } from '../fs/atomic-write.js';
import {
  copyContent,
  createExclusive,
  isSameFile,
  publishWithoutReplacing,
  TargetExists,
  type FileIdentity,
} from '../fs/publish-file.js';
import { FolderPins, type PinnedFolder } from '../fs/pinned-folder.js';
import { ExchangeNotPrepared, InboxTakenByOtherAccount } from './errors.js';
import { NotARegularFileThere, readRegularFile } from '../fs/open-regular-file.js';
import { ensureExchangeId, readExchangeId } from './exchange-id.js';
import {
  ANNOUNCEMENT_FILE,
  ANNOUNCEMENT_MAX_BYTES,
  type ExchangeBinding,
  type FoundAnnouncement,
} from './inbox-announcement.js';
import { exists, NotOurFolder, setModeOfOwnFolder } from '../fs/own-folder.js';
import { sameContent } from '../fs/same-content.js';
import {
  assertDeliveryId,
  assertInboxName,
  DELIVERY_NAMES,
  deliveryName,
  itemKindOf,
  type DeliveryReport,
  type FetchedItem,
  type ItemKind,
  type Transport,
  type WaitingItem,
  type WithdrawReport,
} from './transport.js';
import { withdrawFromFolderInbox, type BeforeWithdraw } from './folder-withdraw.js';

export interface ExchangeHooks {
  /** Runs right before a delivery is published (tests play another user of the share here). */
  readonly beforePublish?: (temp: string) => Promise<void>;
  /** Runs right before an opened package is archived (likewise). */
  readonly beforeArchive?: (path: string) => Promise<void>;
  /** Runs right before a withdrawn copy is removed (likewise). */
  readonly beforeWithdraw?: BeforeWithdraw;
}

/** An inbox: its owner and senders may add files and pass through; only its owner may list, rename or delete. */
export const INBOX_MODE = 0o1733;

export class ExchangeFolder implements Transport {
  readonly kind = 'folder' as const;
  private readonly pins = new FolderPins();

  constructor(
    readonly root: string,
    private readonly hooks: ExchangeHooks = {},
    readonly name: string = root,
  ) {}

  get location(): string {
    return this.root;
  }

  inboxOf(fingerprint: string): string {
    assertInboxName(fingerprint);
    return join(this.root, 'inboxes', fingerprint);
  }

  async binding(create: boolean): Promise<ExchangeBinding | null> {
    const root = await this.rootFolder();
    const trusted = trustedOwners(root);
    const id = create ? await ensureExchangeId(root.path, trusted) : await readExchangeId(root.path, trusted);
    return id === null ? null : `folder:${id}`;
  }

  async claimInbox(fingerprint: string): Promise<number | null> {
    await this.ownInbox(fingerprint);
    return process.getuid?.() ?? null;
  }

  async hasInbox(fingerprint: string): Promise<boolean> {
    return (await this.inboxFolder(fingerprint)) !== null;
  }

  async announcement(fingerprint: string): Promise<FoundAnnouncement | null> {
    const inbox = await this.inboxFolder(fingerprint);
    if (inbox === null) return null;
    const found = await readRegularFile(inbox.child(ANNOUNCEMENT_FILE), ANNOUNCEMENT_MAX_BYTES).catch(
      (error: unknown) => {
        if (error instanceof NotARegularFileThere || (error as NodeJS.ErrnoException).code === 'ENOENT') return null; // none, or a link or FIFO planted in its place
        throw toIoError('the exchange folder', error);
      },
    );
    return found === null ? null : { bytes: found, ownerUid: process.platform === 'win32' ? null : inbox.ownerUid };
  }

  /** Our own inbox and its announcement, replacing an old or broken one (rename replaces a planted link itself, never its target). */
  async announce(fingerprint: string, announcement: Uint8Array): Promise<void> {
    const inbox = await this.ownInbox(fingerprint);
    const target = inbox.child(ANNOUNCEMENT_FILE);
    const temp = tempPathBeside(target);
    const handle = await createExclusive(temp, 0o644).catch((error: unknown) => {
      throw toIoError('the exchange folder', error);
    });
    try {
      await handle.chmod(0o644);
      await handle.writeFile(announcement);
      await handle.sync();
      await inbox.check();
      await rename(temp, target);
    } catch (error) {
      await cleanUp(rm(temp, { force: true }));
      throw isMedSealError(error) ? error : toIoError('the exchange folder', error);
    } finally {
      await cleanUp(handle.close());
    }
  }

  /** Delivers one file into each recipient's inbox as `<deliveryId><ext>`; a delivery already there is not repeated. */
  async deliver(
    file: string,
    kind: ItemKind,
    deliveryId: string,
    recipients: readonly string[],
  ): Promise<DeliveryReport[]> {
    assertDeliveryId(deliveryId);
    const source = await open(file, 'r').catch((error: unknown) => {
      throw toIoError('the package', error);
    });
    try {
      const size = (await source.stat()).size;
      const reports: DeliveryReport[] = [];
      for (const recipient of recipients) {
        const inbox = await this.inboxFolder(recipient);
        if (inbox === null)
          throw toIoError('the exchange folder', Object.assign(new Error('no inbox'), { code: 'ENOENT' })); // its announcement was just read
        if (!(await this.alreadyDelivered(source, inbox.path, deliveryId, kind, size)))
          await this.deliverOne(source, inbox, deliveryId, kind);
        await fsyncFolder(inbox.path).catch((error: unknown) => {
          // Network shares (SMB, NFS) may not sync a folder; the file itself was synced before it was named.
          if (!isNodeError(error, 'EINVAL', 'ENOTSUP', 'EPERM', 'EISDIR', 'EBADF')) throw error;
        });
        reports.push({ recipient, location: inbox.path, resumedFrom: 0 });
      }
      return reports;
    } finally {
      await source.close();
    }
  }

  /** Whether this very content is already in the inbox under one of its names (a same-size file proves nothing: others write here). */
  private async alreadyDelivered(
    source: FileHandle,
    inbox: string,
    deliveryId: string,
    kind: ItemKind,
    size: number,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < DELIVERY_NAMES; attempt++) {
      const path = join(inbox, deliveryName(deliveryId, kind, attempt));
      const found = await lstat(path).catch(nullIfMissing);
      if (found === null) return false;
      if (found.isFile() && found.size === size && (await sameContent(source, path, size))) return true;
    }
    return false;
  }

  private async deliverOne(
    source: FileHandle,
    inbox: PinnedFolder,
    deliveryId: string,
    kind: ItemKind,
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const target = inbox.child(deliveryName(deliveryId, kind, attempt));
      const temp = tempPathBeside(target);
      let handle: FileHandle | undefined;
      try {
        handle = await createExclusive(temp, 0o644);
        await handle.chmod(0o644); // other clinicians' accounts must read it; it is encrypted and signed
        await copyContent(source, handle);
        await handle.sync();
        await this.hooks.beforePublish?.(temp);
        await inbox.check(); // still the recipient's inbox, below the same exchange folder
        await publishWithoutReplacing(handle, temp, target);
        return target;
      } catch (error) {
        if (handle) await cleanUp(rm(temp, { force: true })); // a name we created: unlink never follows links
        if (error instanceof TargetExists && attempt < DELIVERY_NAMES - 1) continue; // the next name; never overwrite
        throw isMedSealError(error) ? error : toIoError('the exchange folder', error);
      } finally {
        await cleanUp(handle?.close());
      }
    }
  }

  /** Takes our copies of a delivered package back out of each recipient's inbox (folder-withdraw.ts). */
  async withdraw(deliveryId: string, packageHash: string, recipients: readonly string[]): Promise<WithdrawReport[]> {
    assertDeliveryId(deliveryId);
    const reports: WithdrawReport[] = [];
    for (const recipient of recipients) {
      const inbox = await this.inboxFolder(recipient);
      const outcome =
        inbox === null
          ? 'not-found'
          : await withdrawFromFolderInbox(inbox, deliveryId, packageHash, this.hooks.beforeWithdraw);
      reports.push({ recipient, outcome });
    }
    return reports;
  }

  /** What waits in an inbox, oldest first; temp files of deliveries in progress are not listed. */
  async waiting(fingerprint: string): Promise<WaitingItem[]> {
    const inbox = await this.inboxFolder(fingerprint);
    if (inbox === null) return [];
    const folder = inbox.path;
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw toIoError('the exchange folder', error);
    });
    const items: WaitingItem[] = [];
    for (const name of names) {
      const kind = itemKindOf(name);
      if (!kind) continue;
      const info = await lstat(join(folder, name)).catch(nullIfMissing); // taken away between listing and looking
      if (info?.isFile()) items.push({ id: name, kind, size: info.size, arrivedAt: info.mtime.toISOString() });
    }
    return items.sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt) || a.id.localeCompare(b.id));
  }

  /** On a share the file is read where it is (the open job pins it by device and inode). */
  async fetch(fingerprint: string, item: WaitingItem): Promise<FetchedItem> {
    return Promise.resolve({ path: this.pathOf(fingerprint, item), release: () => Promise.resolve() });
  }

  pathOf(fingerprint: string, item: Pick<WaitingItem, 'id'>): string {
    if (itemKindOf(item.id) === null || item.id !== basename(item.id)) throw new Error('not an inbox item');
    return join(this.inboxOf(fingerprint), item.id);
  }

  async close(): Promise<void> {}

  /**
   * Moves an opened item into the archive of its inbox, never replacing anything there, and
   * only if its name still leads to `opened` (the file that was verified); false when the entry
   * is no longer that file (then nothing is moved).
   */
  async archive(fingerprint: string, item: WaitingItem, opened: FileIdentity | null): Promise<boolean> {
    const path = this.pathOf(fingerprint, item);
    if (opened) return (await this.archivePath(fingerprint, path, opened)) !== null;
    if (item.kind !== 'receipt') return false; // a package is archived only as the very file that was verified
    const current = await lstat(path).catch(nullIfMissing); // a receipt, taken in or refused: whatever is there now goes (link/rename never follow a link)
    return (
      current !== null && (await this.archivePath(fingerprint, path, { dev: current.dev, ino: current.ino })) !== null
    );
  }

  /** `archive` by path; returns the archived path, or null. */
  async archivePath(fingerprint: string, packagePath: string, opened: FileIdentity): Promise<string | null> {
    const inbox = await this.inboxFolder(fingerprint);
    if (inbox === null) return null;
    // Ours alone (an archive another account made first in our inbox is refused): what is in it tells
    // senders what was picked up.
    const archive = (await this.subfolder(inbox, 'archive', 'the archive of an inbox', 0o755, 'private')).path;
    await this.hooks.beforeArchive?.(packagePath);
    await inbox.check();
    if (!(await isSameFile(packagePath, opened))) return null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const target = join(
        archive,
        attempt === 0
          ? basename(packagePath)
          : basename(packagePath).replace(/\.medseal$/, `-${randomBytes(4).toString('hex')}.medseal`),
      );
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
        await unlink(target).catch(nullIfMissing); // swapped between check and link: not ours to archive
        return null;
      }
      await unlink(packagePath).catch(nullIfMissing); // already gone: archived by another of our processes
      return target;
    }
    throw toIoError('the exchange folder', Object.assign(new Error('no free archive name'), { code: 'EEXIST' }));
  }

  /** The exchange folder itself, pinned on first use. */
  private rootFolder(): Promise<PinnedFolder> {
    return this.pins.checked(this.root, { what: 'the exchange folder', sharing: 'shared' });
  }

  /**
   * `name` in `parent`, a real folder, pinned on first use; never a link. Made now if missing, with
   * `mode` set through its descriptor (mkdir alone is cut by the umask).
   */
  private async subfolder(
    parent: PinnedFolder,
    name: string,
    what: string,
    mode: number,
    sharing: 'shared' | 'private' = 'shared',
  ): Promise<PinnedFolder> {
    await parent.check();
    const made = await mkdir(parent.child(name), { mode: 0o700 }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw toIoError('the exchange folder', error);
        return false;
      },
    );
    if (made) await setModeOfOwnFolder(parent.child(name), mode);
    return this.pins.checked(parent.child(name), { what, sharing, within: parent });
  }

  /** This fingerprint's inbox, pinned (null when there is none); `inboxes` is made when `create`. */
  private async inboxFolder(fingerprint: string): Promise<PinnedFolder | null> {
    assertInboxName(fingerprint);
    const root = await this.rootFolder();
    if (!(await exists(root.child('inboxes')))) return null;
    const inboxes = await this.inboxesFolder(root);
    if (!(await exists(inboxes.child(fingerprint)))) return null;
    return this.pins.checked(inboxes.child(fingerprint), {
      what: 'an inbox on the exchange',
      sharing: 'shared',
      within: inboxes,
    });
  }

  /**
   * Our own inbox: made (mode INBOX_MODE, through its descriptor) when missing; refused when
   * another account owns it. Pinned only after its mode is set.
   */
  private async ownInbox(fingerprint: string): Promise<PinnedFolder> {
    const inboxes = await this.inboxesFolder(await this.rootFolder());
    const path = inboxes.child(fingerprint);
    await mkdir(path, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw toIoError('the exchange folder', error);
    });
    await setModeOfOwnFolder(path, INBOX_MODE).catch((error: unknown) => {
      throw error instanceof NotOurFolder ? new InboxTakenByOtherAccount(this.name) : error;
    });
    return this.pins.checked(path, { what: 'your inbox on the exchange', sharing: 'shared', within: inboxes });
  }

  /**
   * `inboxes`: it must belong to root or to the owner of the exchange folder (IT), and be sticky
   * when others may write it, or its owner (or anyone) could move another person's inbox away:
   * ExchangeNotPrepared. Made here only by such an account, with the exchange folder's own access
   * and the sticky bit.
   */
  private async inboxesFolder(root: PinnedFolder): Promise<PinnedFolder> {
    const trusted = trustedOwners(root);
    const me = process.getuid?.();
    if (me !== undefined && !trusted.has(me) && !(await exists(root.child('inboxes'))))
      throw new ExchangeNotPrepared(this.name);
    const inboxes = await this.subfolder(
      root,
      'inboxes',
      "the exchange's inboxes folder",
      (root.mode & 0o777) | 0o1000,
    );
    if (
      process.platform !== 'win32' &&
      (!trusted.has(inboxes.ownerUid) || ((inboxes.mode & 0o022) !== 0 && (inboxes.mode & 0o1000) === 0))
    )
      throw new ExchangeNotPrepared(this.name);
    return inboxes;
  }
}

/** The accounts that may prepare an exchange folder: root and the folder's owner. */
function trustedOwners(root: PinnedFolder): Set<number> {
  return new Set([0, root.ownerUid]);
}
