/**
 * Restoring a profile from a backup (docs/FORMAT.md §8) on a new or repaired
 * workstation, once for the app and the CLI. The passphrase the backup was
 * made with, or the recovery code, opens it; a new passphrase may be chosen
 * (it must be, with the recovery code). Nothing is installed until the whole
 * backup has decrypted and verified; the keystore is written last, so a
 * crash leaves no half-restored identity. An existing identity is never
 * replaced. The audit chain continues, with "restored from a backup made at T".
 */
import { open, mkdtemp, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { readBackupHeader, type BackupHeader } from '../backup/backup-header.js';
import { readPayload } from '../backup/backup-payload.js';
import { BackupUnreadable } from '../backup/errors.js';
import { unwrapPayloadKey } from '../backup/payload-key.js';
import { wipe } from '../crypto/primitives.js';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { IdentityExists, KeystoreMalformed } from '../identity/errors.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { ContactCard } from '../identity/contact-card.js';
import { unwrapWithRecoveryCode, withoutRecoverySlot } from '../identity/keystore-recovery.js';
import {
  parseKeystore,
  setPassphraseWithMasterKey,
  unlockWithMasterKey,
  unwrapMasterKey,
  type KdfStrength,
  type ParsedKeystore,
} from '../identity/keystore.js';
import { parseRecoveryCode } from '../recovery/recovery-code.js';
import { NewPassphraseNeeded, RestoreInProgress } from './errors.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import type { ProfileSession } from './profile-session.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import { takeLockFile } from '../fs/lock-file.js';

/**
 * What opens the backup: the passphrase it was made with, the recovery code of a kit it knew, or
 * its master key as the organisation's custodians recovered it (services/emergency-access.ts).
 */
export type BackupUnlock =
  { readonly passphrase: string } | { readonly recoveryCode: string } | { readonly masterKey: Uint8Array };

export interface BackupSummary {
  readonly createdAt: string;
  /** Whose identity it holds, from the public card inside (shown before asking for a secret). */
  readonly owner: ContactCard;
}

interface OpenedBackup {
  readonly handle: FileHandle;
  readonly header: BackupHeader;
  readonly digest: Buffer;
  readonly payloadAt: number;
  readonly keystore: ParsedKeystore;
}

async function openBackup(path: string): Promise<OpenedBackup> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw toIoError('the backup file', error);
  });
  try {
    const { header, digest, payloadAt } = await readBackupHeader(handle);
    let keystore: ParsedKeystore;
    try {
      keystore = parseKeystore(header.keystore);
    } catch (error) {
      if (error instanceof KeystoreMalformed) throw new BackupUnreadable('the identity inside is damaged');
      throw error;
    }
    if (fingerprintHex(keystore.card.fingerprint) !== header.fingerprint)
      throw new BackupUnreadable('its header names another identity than the keys inside');
    return { handle, header, digest, payloadAt, keystore };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Whose backup it is and when it was made, without opening it (for a confirmation). */
export async function describeBackup(path: string): Promise<BackupSummary> {
  const backup = await openBackup(path);
  await backup.handle.close();
  return { createdAt: backup.header.createdAt, owner: backup.keystore.card };
}

async function masterKeyFor(keystore: ParsedKeystore, unlock: BackupUnlock): Promise<Uint8Array> {
  if ('passphrase' in unlock) return unwrapMasterKey(keystore, unlock.passphrase);
  if ('masterKey' in unlock) return Uint8Array.from(unlock.masterKey);
  const entropy = parseRecoveryCode(unlock.recoveryCode);
  try {
    return unwrapWithRecoveryCode(keystore, entropy);
  } finally {
    wipe(entropy);
  }
}

/**
 * Decrypts and checks the whole backup into `staging` and returns the master key (the caller
 * wipes it). Used by restore and by the restore drill.
 */
export async function unpackBackup(
  path: string,
  unlock: BackupUnlock,
  staging: string,
): Promise<{ backup: Omit<OpenedBackup, 'handle'>; masterKey: Uint8Array }> {
  const { handle, ...backup } = await openBackup(path);
  try {
    const masterKey = await masterKeyFor(backup.keystore, unlock);
    let identity;
    try {
      identity = unlockWithMasterKey(backup.keystore, Uint8Array.from(masterKey)); // checks the keys against the card
    } catch (error) {
      wipe(masterKey);
      throw error;
    }
    const payloadKey = unwrapPayloadKey(
      identity,
      backup.header.payloadKey,
      backup.header.fingerprint,
      backup.header.createdAt,
    );
    identity.wipe();
    if (!payloadKey) {
      wipe(masterKey);
      throw new BackupUnreadable('its header was changed after it was made');
    }
    try {
      const found = await readPayload(
        handle,
        backup.payloadAt,
        {
          key: payloadKey,
          header: backup.header.stream.header,
          chunkBytes: backup.header.stream.chunkBytes,
          digest: backup.digest,
        },
        (name) => join(staging, name),
      );
      if (!found.includes('medseal.db')) throw new BackupUnreadable('it holds no profile database');
    } catch (error) {
      wipe(masterKey);
      throw error;
    } finally {
      wipe(payloadKey);
    }
    return { backup, masterKey };
  } finally {
    await handle.close();
  }
}

export interface RestoreOptions {
  /** A new passphrase for the restored identity; required when the recovery code opened it. */
  readonly newPassphrase?: string;
  readonly kdf?: KdfStrength;
}

export interface Restored {
  readonly profile: UnlockedProfile;
  readonly createdAt: string;
  readonly auditVerified: boolean;
  /** The backup carried a recovery kit's slot, which is not restored: a new kit must be made. */
  readonly recoveryKitDropped: boolean;
}

const LOCK_FILE = '.medseal-restore.lock';

/** One restore at a time into a profile, across processes (the app and the CLI): an exclusive lock file. */
async function lockProfile(folder: ProfileFolder): Promise<() => Promise<void>> {
  const lock = await takeLockFile(join(folder.path, LOCK_FILE));
  if (lock.ok) return lock.release;
  if (lock.held) throw new RestoreInProgress();
  throw toIoError('the profile folder', lock.error);
}

/**
 * Restores `path` into the profile of `session`, which must have no identity yet, and leaves that
 * session unlocked on the restored identity. The backup's recovery slot is left out: the kit it
 * belongs to may have been replaced since, and a replaced kit must not come back.
 */
export async function restoreBackup(
  session: ProfileSession,
  path: string,
  unlock: BackupUnlock,
  options: RestoreOptions = {},
): Promise<Restored> {
  const { folder, policy, identities } = session;
  policy.assertUsable();
  if (await identities.exists()) throw new IdentityExists();
  if (!('passphrase' in unlock) && options.newPassphrase === undefined) throw new NewPassphraseNeeded();
  if (options.newPassphrase !== undefined) policy.checkPassphrase(options.newPassphrase);
  await folder.ensure();
  const unlockProfile = await lockProfile(folder);
  let staging: string | undefined;
  let masterKey: Uint8Array | undefined;
  try {
    if (await identities.exists()) throw new IdentityExists(); // created while we waited for the lock
    staging = await mkdtemp(join(folder.path, '.medseal-restore-'));
    const unpacked = await unpackBackup(path, unlock, staging);
    masterKey = unpacked.masterKey;
    const { header, keystore } = unpacked.backup;
    let keystoreText = header.keystore;
    if (options.newPassphrase !== undefined) {
      const rewrapped = await setPassphraseWithMasterKey(
        keystore,
        Uint8Array.from(masterKey),
        options.newPassphrase,
        options.kdf,
      );
      rewrapped.identity.wipe();
      keystoreText = rewrapped.keystoreText;
    }
    session.close(); // a database opened before (a failed unlock recorded, settings read) is let go first
    // A database left without an identity (an earlier start, a failed restore) is kept aside, never lost.
    const existing = await stat(folder.databasePath).catch((error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return null;
      throw toIoError('the profile folder', error);
    });
    if (existing) await rename(folder.databasePath, `${folder.databasePath}.before-restore-${Date.now()}`);
    for (const suffix of ['-wal', '-shm']) await rm(`${folder.databasePath}${suffix}`, { force: true });
    await rename(join(staging, 'medseal.db'), folder.databasePath);
    await identities.install(withoutRecoverySlot(keystoreText)); // never over an identity (exclusive)
    const how = 'passphrase' in unlock ? '' : 'masterKey' in unlock ? ':organisation-recovery' : ':recovery-code';
    const profile = await session.unlockRestored(Uint8Array.from(masterKey), `backup-made:${header.createdAt}${how}`);
    return {
      profile,
      createdAt: header.createdAt,
      auditVerified: profile.audit.verify().ok,
      recoveryKitDropped: keystore.recovery !== undefined,
    };
  } finally {
    if (masterKey) wipe(masterKey);
    if (staging) await rm(staging, { recursive: true, force: true });
    await unlockProfile();
  }
}
