/**
 * Automatic backups (policy `backupFolder`, `backupIntervalHours`,
 * `backupKeep`): while a profile is unlocked, its backup is written to
 * `<backupFolder>/<first 16 hex digits of its fingerprint>/` whenever the
 * newest one there is older than the interval, and only the newest
 * `backupKeep` of that identity are kept. The files are named by time, so
 * the folder itself says how old the newest backup is (doctor reads it
 * without the passphrase). Only files of exactly that name pattern are
 * ever removed, and never through a symbolic link.
 */
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { writeBackup } from './backup.js';
import type { ProfileSession } from './profile-session.js';

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

/** The automatic backups in `folder`, newest first (regular files with our names only). */
export async function listBackups(folder: string): Promise<BackupFile[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw toIoError('the backup folder', error);
  });
  const files: BackupFile[] = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match) continue;
    const info = await lstat(join(folder, name)).catch(() => null);
    if (!info?.isFile()) continue;
    const stamp = match[1]!;
    const madeAt = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
    if (!Number.isNaN(madeAt.getTime())) files.push({ path: join(folder, name), madeAt });
  }
  return files.sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime());
}

export type AutomaticBackupOutcome = { readonly state: 'off' } | { readonly state: 'fresh'; readonly newest: Date } | { readonly state: 'written'; readonly path: string; readonly removed: number };

export class AutomaticBackups {
  constructor(
    private readonly session: ProfileSession,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Writes a backup when the policy asks for them and the newest is too old; then keeps the newest `backupKeep`. */
  async runIfDue(): Promise<AutomaticBackupOutcome> {
    const { backupFolder, backupIntervalHours, backupKeep } = this.session.policy.effective;
    if (!backupFolder) return { state: 'off' };
    const profile = this.session.requireUnlocked();
    const folder = backupFolderFor(backupFolder, profile.identity.card.fingerprint);
    const now = this.now();
    const newest = (await listBackups(folder))[0];
    if (newest && now.getTime() - newest.madeAt.getTime() < backupIntervalHours * 3600_000) return { state: 'fresh', newest: newest.madeAt };
    await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw toIoError('the backup folder', error);
    });
    const path = join(folder, backupFileName(now));
    await writeBackup(this.session, path, now);
    const old = (await listBackups(folder)).slice(backupKeep);
    for (const file of old) await rm(file.path, { force: true });
    return { state: 'written', path, removed: old.length };
  }
}
