/**
 * One profile's database, before and after unlock. Locked, it can only
 * queue audit events that need no key (a failed unlock). Unlocking derives
 * the store keys from the identity, signs the queued events into the audit
 * chain and removes temp files a crash left. Every change and its audit
 * entry commit together.
 */
import { recordPendingAuditEvent } from './audit-log.js';
import type { AuditAction } from '../audit/audit-entry.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { openDatabase, type Db } from './database.js';
import { UnlockedProfile } from './unlocked-profile.js';
import { Settings } from './settings.js';
import { storeErrorFrom } from './errors.js';
import type { DirectorySource } from '../directory/directory-source.js';

const KEY_CONTEXT = 'msstore1';
export const FIELD_KEY_ID = 1;
export const CONTACT_MAC_KEY_ID = 2;

export class ProfileStore {
  readonly settings: Settings;

  private constructor(
    readonly folder: ProfileFolder,
    /** The database handle: for the store's own modules and tests that tamper with it. */
    readonly db: Db,
  ) {
    this.settings = new Settings(db);
  }

  static async open(folder: ProfileFolder): Promise<ProfileStore> {
    await folder.ensure();
    return new ProfileStore(folder, openDatabase(folder.databasePath));
  }

  /** A failed unlock, recorded without a key: it is signed into the chain at the next unlock. */
  recordFailedUnlock(reasonCode: string): void {
    recordPendingAuditEvent(this.db, 'identity.unlock-failed', reasonCode);
  }

  /** `via` says what unlocked it (`app`, `app:device`, `cli:seal`…): every unlock is an access, kept in the audit log. */
  async unlock(
    identity: UnlockedIdentity,
    options: { event?: AuditAction; via?: string; directory?: DirectorySource } = {},
  ): Promise<UnlockedProfile> {
    const profile = new UnlockedProfile(
      this.db,
      identity,
      identity.deriveLocalKey(FIELD_KEY_ID, KEY_CONTEXT),
      identity.deriveLocalKey(CONTACT_MAC_KEY_ID, KEY_CONTEXT),
      options.directory,
    );
    profile.audit.flushPending();
    profile.audit.append({
      action: options.event ?? 'identity.unlocked',
      detail: options.event ? null : (options.via ?? null),
    });
    await profile.tempFiles.recover();
    profile.ensureContactSet();
    return profile;
  }

  /** A consistent copy of the database at `path` (SQLite's online backup), for a profile backup. */
  async snapshotTo(path: string): Promise<void> {
    try {
      await this.db.backup(path);
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** SQLite's own consistency check: 'ok', or what is damaged. */
  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
