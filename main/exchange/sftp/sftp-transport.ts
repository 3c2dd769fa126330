/**
 * Delivery through an SFTP server (hospitals and labs run these for B2B
 * exchange): the exchange layout of transport.ts under the server path.
 *
 * An upload goes to `.<id><ext>.<n>.partial` in the recipient's inbox and is
 * renamed to `<id><ext>` only when complete, with a rename that never
 * replaces (sftp-session.ts). The names come from the delivery id, so the
 * next attempt after a network drop or a server restart can continue after
 * what is already there, or find the delivery done. Other accounts on the
 * server may write to the same inbox, and SFTP has no O_NOFOLLOW, so a file
 * found there is trusted only when it cannot have been planted or swapped:
 * it belongs to this account, only this account may write it, and the inbox
 * is sticky (others can neither rename nor delete it). Otherwise the upload
 * starts afresh under the next name, created exclusively ('wx' never follows
 * a link). Downloads resume likewise into a private local folder.
 */
import { cleanUp } from '../../errors/clean-up.js';
import { nullIfMissing } from '../../errors/node-error.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, statfs, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import {
  ExchangeFolderUnsafe,
  ExchangeNotPrepared,
  InboxTakenByOtherAccount,
  TransportWriteRefused,
} from '../errors.js';
import {
  assertDeliveryId,
  assertInboxName,
  DELIVERY_NAMES,
  deliveryName,
  ITEM_EXTENSIONS,
  itemKindOf,
  type DeliveryReport,
  type FetchedItem,
  type ItemKind,
  type Transport,
  type WaitingItem,
  type WithdrawReport,
} from '../transport.js';
import { formatSftpAddress } from './sftp-address.js';
import {
  ANNOUNCEMENT_FILE,
  ANNOUNCEMENT_MAX_BYTES,
  type ExchangeBinding,
  type FoundAnnouncement,
} from '../inbox-announcement.js';
import {
  isOwnFile,
  SFTP_STATUS,
  SftpSession,
  statusOf,
  type RemoteEntry,
  type SftpCredentials,
} from './sftp-session.js';
import { withdrawFromSftpInbox } from './sftp-withdraw.js';

/**
 * cleanUp (errors/clean-up.ts) for the server's side: besides a lost connection, the server's own
 * refusals are expected there (an SFTP status: the file gone already, a handle it closed itself).
 */
function cleanUpRemote(work: Promise<unknown>): Promise<void> {
  return cleanUp(
    work.catch((error: unknown) => {
      if (statusOf(error) === undefined) throw error;
    }),
  );
}

const BLOCK = 128 * 1024;
const IN_FLIGHT = 16;
/**
 * Re-sent on resume: up to IN_FLIGHT blocks were being written at once, so the last ones may have
 * holes, and a server that died mid-write may have kept a torn tail.
 */
const RESUME_MARGIN = IN_FLIGHT * BLOCK + 1024 * 1024;
/** Partial-file names tried for one delivery (one may be someone else's). */
const PARTIAL_NAMES = 4;
const STICKY = 0o1000;
/** What this account creates: readable by the recipient, writable by nobody else. */
const FILE_MODE = 0o644;
/** Our own inbox: others may add files and pass through, but not list, rename or delete (sticky). */
const INBOX_MODE = 0o1733;

export class SftpTransport implements Transport {
  readonly kind = 'sftp' as const;
  readonly location: string;
  private session: SftpSession | undefined;
  private ownUid: number | undefined;
  private connecting: Promise<SftpSession> | undefined;

  constructor(
    readonly name: string,
    private readonly credentials: SftpCredentials,
  ) {
    this.location = formatSftpAddress(credentials.address);
  }

  binding(): Promise<ExchangeBinding | null> {
    return Promise.resolve(`sftp:${this.credentials.hostKey}`);
  }

  async hasInbox(fingerprint: string): Promise<boolean> {
    return (await this.inbox(fingerprint, false)) !== null;
  }

  async announcement(fingerprint: string): Promise<FoundAnnouncement | null> {
    const inbox = await this.inbox(fingerprint, false);
    if (inbox === null) return null;
    const session = await this.connected();
    const folder = await session.lstat(inbox);
    const found = await session.lstat(`${inbox}/${ANNOUNCEMENT_FILE}`);
    if (!folder?.isFolder || !found?.isFile || found.size > ANNOUNCEMENT_MAX_BYTES) return null;
    const handle = await session.open(`${inbox}/${ANNOUNCEMENT_FILE}`, 'r').catch((error: unknown) => {
      if (statusOf(error) === SFTP_STATUS.noSuchFile || statusOf(error) === SFTP_STATUS.permissionDenied) return null; // gone meanwhile, or not readable for us
      throw error;
    });
    if (!handle) return null;
    try {
      const bytes = Buffer.alloc(ANNOUNCEMENT_MAX_BYTES + 1);
      return { bytes: bytes.subarray(0, await session.read(handle, bytes, 0)), ownerUid: folder.uid };
    } finally {
      await cleanUpRemote(session.closeFile(handle));
    }
  }

  /**
   * Our own inbox, made when missing: sticky and unlistable by others (mode 1733) so that what
   * senders leave there stays theirs. One that another account made first (an inbox squatted in our
   * name, to take what is sent to us) is refused. Returns our user id on the server.
   */
  async claimInbox(fingerprint: string): Promise<number | null> {
    const inbox = await this.createdInbox(fingerprint);
    const session = await this.connected();
    const uid = await this.myUid(session, inbox);
    const found = await session.lstat(inbox);
    if (!found?.isFolder || found.uid !== uid) throw new InboxTakenByOtherAccount(this.name);
    if (found.mode !== INBOX_MODE) await session.chmod(inbox, INBOX_MODE); // ours: a link here would have been refused by inbox()
    return uid;
  }

  /** Our announcement in our own inbox (claimed first), replacing an old one: posix-rename replaces the name itself. */
  async announce(fingerprint: string, announcement: Uint8Array): Promise<void> {
    await this.claimInbox(fingerprint);
    const inbox = await this.createdInbox(fingerprint);
    const session = await this.connected();
    const temp = `${inbox}/.medseal-inbox-${randomBytes(8).toString('hex')}.partial`;
    const handle = await session.open(temp, 'wx').catch((error: unknown) => {
      throw this.refusal(error);
    });
    try {
      await session.fchmod(handle, FILE_MODE);
      await session.write(handle, Buffer.from(announcement), 0);
    } finally {
      await cleanUpRemote(session.closeFile(handle));
    }
    await session.renameReplacing(temp, `${inbox}/${ANNOUNCEMENT_FILE}`).catch(async (error: unknown) => {
      await cleanUpRemote(session.unlink(temp)); // our own temporary file; the refusal below is what to tell
      throw this.refusal(error);
    });
  }

  async deliver(
    file: string,
    kind: ItemKind,
    deliveryId: string,
    recipients: readonly string[],
    onProgress?: (sentBytes: number) => void,
  ): Promise<DeliveryReport[]> {
    assertDeliveryId(deliveryId);
    const local = await open(file, 'r').catch((error: unknown) => {
      throw toIoError('the package', error);
    });
    try {
      const size = (await local.stat()).size;
      const reports: DeliveryReport[] = [];
      for (const recipient of recipients) {
        const inbox = await this.inbox(recipient, false);
        if (inbox === null) throw new TransportWriteRefused(this.location); // reaches() said it was there
        const session = await this.connected();
        const guarded = await this.guarded(session, inbox);
        if (await this.alreadyDelivered(session, inbox, deliveryId, kind, size, guarded)) {
          reports.push({ recipient, location: `${this.location}/inboxes/${recipient}`, resumedFrom: size });
          continue; // an earlier attempt completed it: exactly one copy
        }
        const { partial, resumedFrom } = await this.upload(
          session,
          local,
          size,
          `${inbox}/.${deliveryId}${ITEM_EXTENSIONS[kind]}`,
          guarded,
          onProgress,
        );
        await this.publish(session, partial, inbox, deliveryId, kind);
        reports.push({ recipient, location: `${this.location}/inboxes/${recipient}`, resumedFrom });
      }
      return reports;
    } finally {
      await local.close();
    }
  }

  /**
   * Whether files this account leaves in `inbox` stay its own: the inbox is sticky, so other
   * accounts cannot rename or delete them; returns this account's user id then, else null.
   */
  private async guarded(session: SftpSession, inbox: string): Promise<number | null> {
    const folder = await session.lstat(inbox);
    if (!folder?.isFolder || (folder.mode & STICKY) === 0) return null;
    return this.myUid(session, inbox);
  }

  /** This account's user id on the server (probed once, in a folder it may write). */
  private async myUid(session: SftpSession, writableFolder: string): Promise<number> {
    this.ownUid ??= await this.whoAmI(session, writableFolder);
    return this.ownUid;
  }

  /** This account's user id on the server, from a probe file created (exclusively) and removed again. */
  private async whoAmI(session: SftpSession, folder: string): Promise<number> {
    const probe = `${folder}/.medseal-probe-${randomBytes(8).toString('hex')}`;
    const handle = await session.open(probe, 'wx').catch((error: unknown) => {
      throw this.refusal(error);
    });
    try {
      return (await session.fstat(handle)).uid;
    } finally {
      await cleanUpRemote(session.closeFile(handle));
      await cleanUpRemote(session.unlink(probe));
    }
  }

  /** A file nobody else can have planted or changed: ours, written only by us, in a sticky inbox. */
  private static isOwn(entry: RemoteEntry | null, ownUid: number | null): entry is RemoteEntry {
    return isOwnFile(entry, ownUid);
  }

  /**
   * Writes the local file to a partial file: continuing one of ours from where an earlier attempt
   * stopped, else a new one created exclusively. Returns its path and the offset resumed from.
   */
  private async upload(
    session: SftpSession,
    local: FileHandle,
    size: number,
    stem: string,
    ownUid: number | null,
    onProgress?: (sentBytes: number) => void,
  ): Promise<{ partial: string; resumedFrom: number }> {
    for (let n = 0; n < PARTIAL_NAMES; n++) {
      const partial = `${stem}.${n}.partial`;
      const existing = await session.lstat(partial);
      if (existing && !SftpTransport.isOwn(existing, ownUid)) continue; // someone else's, or not provably ours: never written through
      const resumedFrom = existing ? Math.min(existing.size, size) : 0;
      let handle: Buffer;
      try {
        handle = await session.open(partial, existing ? 'r+' : 'wx');
      } catch (error) {
        if (!existing && statusOf(error) === SFTP_STATUS.failure && (await session.lstat(partial)) !== null) continue; // taken meanwhile
        throw this.refusal(error);
      }
      try {
        if (existing) {
          const opened = await session.fstat(handle);
          if (!SftpTransport.isOwn(opened, ownUid) || opened.size !== existing.size) continue; // swapped between the look and the open
        } else await session.fchmod(handle, FILE_MODE);
        await this.writeFrom(
          session,
          handle,
          local,
          existing ? Math.max(0, resumedFrom - RESUME_MARGIN) : 0,
          size,
          onProgress,
        );
        if ((await session.fstatSize(handle)) !== size) throw new TransportWriteRefused(session.server); // longer than the package: not ours to fix silently
        return { partial, resumedFrom };
      } catch (error) {
        const refusal = this.refusal(error);
        if (refusal instanceof TransportWriteRefused) await cleanUpRemote(session.unlink(partial)); // a full disk is not left fuller
        throw refusal;
      } finally {
        await cleanUpRemote(session.closeFile(handle));
      }
    }
    throw new TransportWriteRefused(session.server);
  }

  /** Sends `local` from `start` to `size`, IN_FLIGHT writes at a time. */
  private async writeFrom(
    session: SftpSession,
    handle: Buffer,
    local: FileHandle,
    start: number,
    size: number,
    onProgress?: (sentBytes: number) => void,
  ): Promise<void> {
    const pending = new Set<Promise<void>>();
    let failure: unknown;
    let sent = start;
    for (let position = start; position < size && failure === undefined; position += BLOCK) {
      const block = Buffer.allocUnsafe(Math.min(BLOCK, size - position));
      const { bytesRead } = await local.read(block, 0, block.length, position);
      if (bytesRead !== block.length)
        throw toIoError('the package', Object.assign(new Error('short read'), { code: 'EIO' }));
      const write = session.write(handle, block, position).then(
        () => {
          sent += block.length;
          onProgress?.(sent);
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      pending.add(write);
      void write.finally(() => pending.delete(write));
      if (pending.size >= IN_FLIGHT) await Promise.race(pending);
    }
    await Promise.all(pending);
    if (failure !== undefined) throw failure;
  }

  /** Whether an earlier attempt of ours already published this delivery (under its name or a suffixed one). */
  private async alreadyDelivered(
    session: SftpSession,
    inbox: string,
    deliveryId: string,
    kind: ItemKind,
    size: number,
    ownUid: number | null,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < DELIVERY_NAMES; attempt++) {
      const found = await session.lstat(`${inbox}/${deliveryName(deliveryId, kind, attempt)}`);
      if (found === null) return false;
      if (SftpTransport.isOwn(found, ownUid) && found.size === size) return true; // a same-size file of someone else's proves nothing
    }
    return false;
  }

  /** Renames the complete partial file to its final name; never replaces. A taken name gets a suffix. */
  private async publish(
    session: SftpSession,
    partial: string,
    inbox: string,
    deliveryId: string,
    kind: ItemKind,
  ): Promise<void> {
    for (let attempt = 0; attempt < DELIVERY_NAMES; attempt++) {
      const target = `${inbox}/${deliveryName(deliveryId, kind, attempt)}`;
      try {
        await session.renameWithoutReplacing(partial, target);
        return;
      } catch (error) {
        const status = statusOf(error);
        if (
          (status === SFTP_STATUS.fileExists || status === SFTP_STATUS.failure) &&
          (await session.lstat(target)) !== null
        )
          continue;
        throw this.refusal(error);
      }
    }
    throw new TransportWriteRefused(session.server);
  }

  /** Takes our copies of a delivered package back out of each recipient's inbox (sftp-withdraw.ts; names come from the id). */
  async withdraw(deliveryId: string, _packageHash: string, recipients: readonly string[]): Promise<WithdrawReport[]> {
    assertDeliveryId(deliveryId);
    const reports: WithdrawReport[] = [];
    for (const recipient of recipients) {
      const inbox = await this.inbox(recipient, false);
      const session = await this.connected();
      const outcome =
        inbox === null
          ? 'not-found'
          : await withdrawFromSftpInbox(session, inbox, deliveryId, await this.guarded(session, inbox));
      reports.push({ recipient, outcome });
    }
    return reports;
  }

  async waiting(fingerprint: string): Promise<WaitingItem[]> {
    const session = await this.connected();
    const inbox = await this.inbox(fingerprint, false);
    if (!inbox) return [];
    const items: WaitingItem[] = [];
    for (const entry of await session.list(inbox)) {
      const kind = itemKindOf(entry.name);
      if (kind && entry.isFile)
        items.push({ id: entry.name, kind, size: entry.size, arrivedAt: entry.modifiedAt.toISOString() });
    }
    return items.sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt) || a.id.localeCompare(b.id));
  }

  /**
   * Downloads a waiting item into `downloads` (private to the profile). The local name comes from
   * the item and the remote file's size and time, so a file replaced on the server is fetched anew,
   * never spliced onto an old copy; a complete copy is reused as it is, never rewritten (an open
   * job may be reading it). An interrupted download continues from where it stopped.
   */
  async fetch(fingerprint: string, item: WaitingItem, downloads: string): Promise<FetchedItem> {
    const inbox = await this.inbox(fingerprint, false);
    if (!inbox || itemKindOf(item.id) === null || item.id.includes('/'))
      throw toIoError('the package', Object.assign(new Error('gone'), { code: 'ENOENT' }));
    await mkdir(downloads, { recursive: true, mode: 0o700 });
    const session = await this.connected();
    const remote = await session.open(`${inbox}/${item.id}`, 'r').catch((error: unknown) => {
      throw this.refusal(error);
    });
    try {
      const { size, modifiedAt, isFile } = await session.fstat(remote);
      if (!isFile) throw toIoError('the package', Object.assign(new Error('not a file'), { code: 'EISDIR' }));
      const key = createHash('sha256')
        .update(`${this.location}\0${fingerprint}\0${item.id}\0${size}\0${modifiedAt.getTime()}`)
        .digest('hex')
        .slice(0, 32);
      const done = join(downloads, `${key}${ITEM_EXTENSIONS[item.kind]}`);
      const release = () => rm(done, { force: true });
      if ((await stat(done).catch(nullIfMissing))?.size === size) return { path: done, release };
      const free = await statfs(downloads).then(
        (info) => info.bavail * info.bsize,
        () => {
          // A file system that cannot say how much room it has: the write itself tells ENOSPC.
          return Number.MAX_SAFE_INTEGER;
        },
      );
      if (size > free - 64 * 1024 * 1024)
        throw toIoError('the downloads folder', Object.assign(new Error('no room'), { code: 'ENOSPC' }));
      const partial = join(downloads, `${key}.partial`);
      const have = (await stat(partial).catch(nullIfMissing))?.size ?? 0;
      const out = await open(partial, have > 0 ? 'r+' : 'wx', 0o600);
      try {
        await this.readInto(session, remote, out, Math.max(0, have - RESUME_MARGIN), size);
        await out.truncate(size);
        await out.sync();
      } finally {
        await out.close();
      }
      await rename(partial, done);
      return { path: done, release };
    } finally {
      await cleanUpRemote(session.closeFile(remote));
    }
  }

  /** Reads the remote file from `start` to `size` into `out`: IN_FLIGHT readers, each taking the next block. */
  private async readInto(
    session: SftpSession,
    remote: Buffer,
    out: FileHandle,
    start: number,
    size: number,
  ): Promise<void> {
    let next = start;
    const reader = async () => {
      const block = Buffer.allocUnsafe(BLOCK);
      for (let position = next; position < size; position = next) {
        next += BLOCK;
        const length = Math.min(BLOCK, size - position);
        for (let done = 0; done < length;) {
          const read = await session.read(remote, block.subarray(done, length), position + done);
          if (read === 0) throw toIoError('the package', Object.assign(new Error('short read'), { code: 'EIO' })); // shrank while read
          done += read;
        }
        await out.write(block, 0, length, position);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, reader));
  }

  async archive(fingerprint: string, item: WaitingItem): Promise<boolean> {
    const inbox = await this.inbox(fingerprint, false);
    if (!inbox) return false;
    const session = await this.connected();
    const archive = `${inbox}/archive`;
    const found = await session.lstat(archive);
    if (found && !found.isFolder) throw new ExchangeFolderUnsafe();
    // An archive another account made in our inbox first (it is writable by all) is not ours to use.
    if (found && (found.uid !== (await this.myUid(session, inbox)) || (found.mode & 0o022) !== 0))
      throw new ExchangeFolderUnsafe();
    if (!found)
      await session.mkdir(archive).catch(async (error: unknown) => {
        // Made meanwhile by another of our processes is fine; anything else is the refusal it is.
        if (!(await session.lstat(archive))?.isFolder) throw this.refusal(error);
      });
    for (let attempt = 0; attempt < 5; attempt++) {
      const target = attempt === 0 ? `${archive}/${item.id}` : `${archive}/${attempt + 1}-${item.id}`;
      try {
        await session.renameWithoutReplacing(`${inbox}/${item.id}`, target);
        return true;
      } catch (error) {
        if ((await session.lstat(`${inbox}/${item.id}`)) === null) return false;
        if ((await session.lstat(target)) === null) throw this.refusal(error);
      }
    }
    return false;
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }

  /** The open session, connecting once when there is none (calls running at the same time share one connection). */
  private async connected(): Promise<SftpSession> {
    if (this.session?.isOpen) return this.session;
    this.connecting ??= SftpSession.connect(this.credentials).finally(() => (this.connecting = undefined));
    this.session = await this.connecting;
    return this.session;
  }

  private async createdInbox(fingerprint: string): Promise<string> {
    const inbox = await this.inbox(fingerprint, true);
    if (inbox === null) throw new ExchangeFolderUnsafe();
    return inbox;
  }

  /** The inbox folder of a fingerprint (created when `create`); a link or non-folder anywhere on the way is refused. */
  private async inbox(fingerprint: string, create: boolean): Promise<string | null> {
    assertInboxName(fingerprint);
    const session = await this.connected();
    const root = this.credentials.address.path;
    let path = root;
    for (const part of ['inboxes', fingerprint]) {
      path = `${path === '/' ? '' : path}/${part}`;
      const found = await session.lstat(path);
      if (found && !found.isFolder) throw new ExchangeFolderUnsafe();
      if (!found && !create) return null;
      if (!found) {
        await session.mkdir(path).catch(async (error: unknown) => {
          if ((await session.lstat(path))?.isFolder !== true) throw this.refusal(error);
        });
      }
      if (part === 'inboxes') await this.assertPrepared(session, root, path);
    }
    return path;
  }

  /**
   * `inboxes` must belong to root or to the owner of the exchange folder (IT) and be sticky when
   * others may write it: another partner account that made it could move anyone's inbox away
   * (ExchangeNotPrepared). docs/DEPLOYMENT.md says how IT prepares it.
   */
  private async assertPrepared(session: SftpSession, root: string, inboxes: string): Promise<void> {
    const [top, folder] = [await session.lstat(root), await session.lstat(inboxes)];
    if (!top || !folder) throw new ExchangeNotPrepared(this.name);
    const ownedByIt = folder.uid === 0 || folder.uid === top.uid;
    const othersMayWrite = (folder.mode & 0o022) !== 0;
    if (!ownedByIt || (othersMayWrite && (folder.mode & STICKY) === 0)) throw new ExchangeNotPrepared(this.name);
  }

  /** A server status refusal of a write (full disk, quota, permissions) as TransportWriteRefused; other errors unchanged. */
  private refusal(error: unknown): Error {
    const status = statusOf(error);
    if (status === SFTP_STATUS.failure || status === SFTP_STATUS.permissionDenied || status === SFTP_STATUS.fileExists)
      return new TransportWriteRefused(this.session?.server ?? this.location, { cause: error });
    return error instanceof Error ? error : new Error(String(error));
  }
}
