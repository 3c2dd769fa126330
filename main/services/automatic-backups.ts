/**
 * Automatic backups (policy `backupFolder`, `backupIntervalHours`,
 * `backupKeep`): while a profile is unlocked, its backup is written to
 * `<backupFolder>/<first 16 hex digits of its fingerprint>/` whenever the
 * newest one there is older than the interval, and only the newest
 * `backupKeep` of that identity are kept. The files are named by time, so
 * the folder itself says how old the newest backup is (doctor reads it
 * without the passphrase). A file counts only when its header is a backup
 * of this identity made at the time its name says, and not in the future:
 * a planted or future-dated file can neither stop backups nor push genuine
 * ones out. Only counted files are ever removed, never through a link.
 * After a new recovery kit or passphrase, a fresh backup replaces all older
 * ones there, which still open with the old kit or passphrase.
 */
import { lstat, mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { isNodeError, isSystemError } from '../errors/node-error.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { writeBackup } from './backup.js';
import { readBackupHeader } from '../backup/backup-header.js';
import type { ProfileSession } from './profile-session.js';
import { PinnedFolder } from '../fs/pinned-folder.js';

const NAME = /^MedSeal-(\d{8}T\d{6}Z)\.medseal-backup$/;

export interface BackupFile {
  readonly path: string;
  readonly madeAt: Date;
}

/** The folder for one identity's automatic backups. */
export function backupFolderFor(backupFolder: string, fingerprint: Uint8Array): string {
  return join(backupFolder, fingerprintHex(fingerprint).slice(0, 16));
}

export function backupFileName(at: Date): string {
  return `MedSeal-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.medseal-backup`;
}

/** How many entries of `folder` are named like automatic backups (counted or not). */
export async function namedLikeBackups(folder: string): Promise<number> {
  const names = await readdir(folder).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT')) return [] as string[];
    throw toIoError('the backup folder', error);
  });
  return names.filter((name) => NAME.test(name)).length;
}

/** Clock differences between workstations and the share that are tolerated for a backup's time. */
const CLOCK_SKEW_MS = 60 * 60_000;

/**
 * Whether a file is a backup of identity `fingerprint` made at `madeAt` (by its header). One that
 * cannot be opened or read as a backup (gone, another account's, damaged, not a backup) is not,
 * and so is never counted nor removed: a planted unreadable file must not stop the backups.
 */
async function isBackupOf(path: string, fingerprint: string, madeAt: Date): Promise<boolean> {
  const notOne = (error: unknown) => {
    if (isSystemError(error) || isMedSealError(error)) return null;
    throw error;
  };
  const handle = await open(path, 'r').catch(notOne);
  if (!handle) return false;
  try {
    const header = (await readBackupHeader(handle).catch(notOne))?.header;
    return (
      header !== undefined &&
      header.fingerprint === fingerprint &&
      Math.abs(new Date(header.createdAt).getTime() - madeAt.getTime()) < 1000
    );
  } finally {
    await handle.close();
  }
}

/**
 * The automatic backups of identity `fingerprint` (hex) in `folder`, newest first: regular files
 * with our names whose header is that identity's backup of that time, not dated after `now`.
 */
export async function listBackups(folder: string, fingerprint: string, now = new Date()): Promise<BackupFile[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw toIoError('the backup folder', error);
  });
  const files: BackupFile[] = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match) continue;
    const info = await lstat(join(folder, name)).catch((error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return null; // removed since the listing
      throw toIoError('the backup folder', error);
    });
    if (!info?.isFile()) continue;
    const stamp = match[1]!;
    const madeAt = new Date(
      `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`,
    );
    if (Number.isNaN(madeAt.getTime()) || madeAt.getTime() > now.getTime() + CLOCK_SKEW_MS) continue;
    if (await isBackupOf(join(folder, name), fingerprint, madeAt)) files.push({ path: join(folder, name), madeAt });
  }
  return files.sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime());
}

export type AutomaticBackupOutcome =
  | { readonly state: 'off' }
  | { readonly state: 'fresh'; readonly newest: Date }
  | { readonly state: 'written'; readonly path: string; readonly removed: number };

export class AutomaticBackups {
  constructor(
    private readonly session: ProfileSession,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Writes a backup when the policy asks for them and the newest is too old; then keeps the newest `backupKeep`. */
  async runIfDue(): Promise<AutomaticBackupOutcome> {
    const { backupFolder, backupIntervalHours, backupKeep } = this.session.policy.effective;
    if (!backupFolder) return { state: 'off' };
    const now = this.now();
    const newest = (await listBackups(this.folder(backupFolder), this.fingerprint(), now))[0];
    if (newest && now.getTime() - newest.madeAt.getTime() < backupIntervalHours * 3600_000)
      return { state: 'fresh', newest: newest.madeAt };
    return this.write(backupFolder, now, backupKeep);
  }

  /**
   * After a new recovery kit, a recovery or a passphrase change: a backup now, and every older one
   * removed (they open with the old kit or passphrase). Best effort: when the folder cannot be
   * written, the next regular run tries again and doctor shows the age.
   */
  async supersede(): Promise<AutomaticBackupOutcome> {
    const { backupFolder } = this.session.policy.effective;
    if (!backupFolder) return { state: 'off' };
    return this.write(backupFolder, this.now(), 1);
  }

  private fingerprint(): string {
    return fingerprintHex(this.session.requireUnlocked().identity.card.fingerprint);
  }

  private folder(backupFolder: string): string {
    return backupFolderFor(backupFolder, this.session.requireUnlocked().identity.card.fingerprint);
  }

  private async write(backupFolder: string, now: Date, keep: number): Promise<AutomaticBackupOutcome> {
    const folder = this.folder(backupFolder);
    await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw toIoError('the backup folder', error);
    });
    const pinned = await PinnedFolder.pin(folder, { what: 'the backup folder', sharing: 'private' });
    const path = join(folder, backupFileName(now));
    await writeBackup(this.session, path, now);
    const old = (await listBackups(folder, this.fingerprint(), now)).slice(keep);
    await pinned.check(); // older backups are removed only from the very folder written to
    for (const file of old) await rm(file.path, { force: true });
    return { state: 'written', path, removed: old.length };
  }
}
