/**
 * Delivery through an SFTP server (hospitals and labs run these for B2B
 * exchange): the exchange layout of transport.ts under the server path.
 *
 * An upload goes to `.<id><ext>.partial` in the recipient's inbox and is
 * renamed to `<id><ext>` only when complete, with a rename that never
 * replaces (sftp-session.ts). The names come from the delivery id, so the
 * next attempt after a network drop or a server restart finds the partial
 * file and continues after what is already there (less a safety margin for
 * a torn last write), or finds the delivery already done. Downloads are
 * resumed the same way into a private local folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import { ExchangeFolderUnsafe, TransportWriteRefused } from '../errors.js';
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
} from '../transport.js';
import { formatSftpAddress } from './sftp-address.js';
import { SftpSession, statusOf, type SftpCredentials } from './sftp-session.js';

const BLOCK = 128 * 1024;
const IN_FLIGHT = 16;
/** Re-sent on resume: a server that died mid-write may have kept a torn tail. */
const RESUME_MARGIN = 1024 * 1024;
const FILE_EXISTS = 11; // SSH_FX_FILE_ALREADY_EXISTS (v5+); OpenSSH answers 4 (FAILURE) instead
const FAILURE = 4;
const PERMISSION_DENIED = 3;

export class SftpTransport implements Transport {
  readonly kind = 'sftp' as const;
  readonly location: string;
  private session: SftpSession | undefined;

  constructor(
    readonly name: string,
    private readonly credentials: SftpCredentials,
  ) {
    this.location = formatSftpAddress(credentials.address);
  }

  async reaches(fingerprint: string): Promise<boolean> {
    return (await this.inbox(fingerprint, false)) !== null;
  }

  async announce(fingerprint: string): Promise<void> {
    await this.createdInbox(fingerprint);
  }

  async deliver(file: string, kind: ItemKind, deliveryId: string, recipients: readonly string[], onProgress?: (sentBytes: number) => void): Promise<DeliveryReport[]> {
    assertDeliveryId(deliveryId);
    const local = await open(file, 'r').catch((error: unknown) => {
      throw toIoError('the package', error);
    });
    try {
      const size = (await local.stat()).size;
      const reports: DeliveryReport[] = [];
      for (const recipient of recipients) {
        const inbox = await this.createdInbox(recipient);
        const partial = `${inbox}/.${deliveryId}${ITEM_EXTENSIONS[kind]}.partial`;
        const session = await this.connected();
        if (await this.alreadyDelivered(session, inbox, deliveryId, kind, size)) {
          reports.push({ recipient, location: `${this.location}/inboxes/${recipient}`, resumedFrom: size });
          continue; // an earlier attempt completed it: exactly one copy
        }
        const resumedFrom = await this.upload(session, local, size, partial, onProgress);
        await this.publish(session, partial, inbox, deliveryId, kind);
        reports.push({ recipient, location: `${this.location}/inboxes/${recipient}`, resumedFrom });
      }
      return reports;
    } finally {
      await local.close();
    }
  }

  /** Writes the local file to `partial` from where an earlier attempt stopped; returns that offset. */
  private async upload(session: SftpSession, local: FileHandle, size: number, partial: string, onProgress?: (sentBytes: number) => void): Promise<number> {
    const existing = await session.lstat(partial);
    if (existing && !existing.isFile) throw new ExchangeFolderUnsafe();
    const start = existing ? Math.max(0, Math.min(existing.size, size) - RESUME_MARGIN) : 0;
    let handle: Buffer;
    try {
      handle = await session.open(partial, existing ? 'r+' : 'wx');
    } catch (error) {
      throw this.refusal(error);
    }
    try {
      const pending = new Set<Promise<void>>();
      let failure: unknown;
      let sent = start;
      for (let position = start; position < size && failure === undefined; position += BLOCK) {
        const block = Buffer.allocUnsafe(Math.min(BLOCK, size - position));
        const { bytesRead } = await local.read(block, 0, block.length, position);
        if (bytesRead !== block.length) throw toIoError('the package', Object.assign(new Error('short read'), { code: 'EIO' }));
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
      if ((await session.fstatSize(handle)) !== size) throw new TransportWriteRefused(session.server); // longer than the package: not ours to fix silently
      return existing ? existing.size : 0;
    } catch (error) {
      const refusal = this.refusal(error);
      if (refusal instanceof TransportWriteRefused) await session.unlink(partial).catch(() => undefined); // a full disk is not left fuller
      throw refusal;
    } finally {
      await session.closeFile(handle).catch(() => undefined);
    }
  }

  /** Whether an earlier attempt already published this delivery (under its name or a suffixed one). */
  private async alreadyDelivered(session: SftpSession, inbox: string, deliveryId: string, kind: ItemKind, size: number): Promise<boolean> {
    for (let attempt = 0; attempt < DELIVERY_NAMES; attempt++) {
      const found = await session.lstat(`${inbox}/${deliveryName(deliveryId, kind, attempt)}`);
      if (found === null) return false;
      if (found.isFile && found.size === size) return true;
    }
    return false;
  }

  /** Renames the complete partial file to its final name; never replaces. A taken name gets a suffix. */
  private async publish(session: SftpSession, partial: string, inbox: string, deliveryId: string, kind: ItemKind): Promise<void> {
    for (let attempt = 0; attempt < DELIVERY_NAMES; attempt++) {
      const target = `${inbox}/${deliveryName(deliveryId, kind, attempt)}`;
      try {
        await session.renameWithoutReplacing(partial, target);
        return;
      } catch (error) {
        const status = statusOf(error);
        if ((status === FILE_EXISTS || status === FAILURE) && (await session.lstat(target)) !== null) continue;
        throw this.refusal(error);
      }
    }
    throw new TransportWriteRefused(session.server);
  }

  async waiting(fingerprint: string): Promise<WaitingItem[]> {
    const session = await this.connected();
    const inbox = await this.inbox(fingerprint, false);
    if (!inbox) return [];
    const items: WaitingItem[] = [];
    for (const entry of await session.list(inbox)) {
      const kind = itemKindOf(entry.name);
      if (kind && entry.isFile) items.push({ id: entry.name, kind, size: entry.size, arrivedAt: entry.modifiedAt.toISOString() });
    }
    return items.sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt) || a.id.localeCompare(b.id));
  }

  async fetch(fingerprint: string, item: WaitingItem, downloads: string): Promise<FetchedItem> {
    const inbox = await this.inbox(fingerprint, false);
    if (!inbox || itemKindOf(item.id) === null || item.id.includes('/')) throw toIoError('the package', Object.assign(new Error('gone'), { code: 'ENOENT' }));
    await mkdir(downloads, { recursive: true, mode: 0o700 });
    const local = join(downloads, `${createHash('sha256').update(`${this.location}\0${fingerprint}\0${item.id}`).digest('hex').slice(0, 32)}.partial`);
    const session = await this.connected();
    const remote = await session.open(`${inbox}/${item.id}`, 'r').catch((error: unknown) => {
      throw this.refusal(error);
    });
    const have = await stat(local).then(
      (info) => info.size,
      () => 0,
    );
    const start = Math.max(0, have - RESUME_MARGIN);
    const out = await open(local, have > 0 ? 'r+' : 'wx', 0o600);
    try {
      const size = await session.fstatSize(remote);
      let next = start;
      // IN_FLIGHT readers, each taking the next block: one request at a time would wait a round trip per block
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
      await out.truncate(size);
      await out.sync();
    } finally {
      await out.close();
      await session.closeFile(remote).catch(() => undefined);
    }
    return { path: local, release: () => rm(local, { force: true }) };
  }

  async archive(fingerprint: string, item: WaitingItem): Promise<boolean> {
    const inbox = await this.inbox(fingerprint, false);
    if (!inbox) return false;
    const session = await this.connected();
    const archive = `${inbox}/archive`;
    const found = await session.lstat(archive);
    if (found && !found.isFolder) throw new ExchangeFolderUnsafe();
    if (!found) await session.mkdir(archive).catch(() => undefined);
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

  private async connected(): Promise<SftpSession> {
    if (!this.session?.isOpen) this.session = await SftpSession.connect(this.credentials);
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
    }
    return path;
  }

  /** A server status refusal of a write (full disk, quota, permissions) as TransportWriteRefused; other errors unchanged. */
  private refusal(error: unknown): Error {
    const status = statusOf(error);
    if (status === FAILURE || status === PERMISSION_DENIED || status === FILE_EXISTS) return new TransportWriteRefused(this.session?.server ?? this.location, { cause: error });
    return error instanceof Error ? error : new Error(String(error));
  }
}
