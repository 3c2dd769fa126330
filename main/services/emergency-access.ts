/**
 * Organisation emergency access (break-glass), once for every front end:
 * enough custodians' shares put together give the organisation recovery
 * key, which opens a package sealed under it or restores a profile backup
 * made under it. Each use is first written, signed, to the organisation's
 * emergency-access log; without that record nothing is opened. Everything
 * that needs no secret is checked before any custodian types a passphrase.
 */
import { chunkThreadOptions, type ChunkWorkers } from './package-runner.js';
import { mkdir, open, stat } from 'node:fs/promises';
import { readBackupHeader } from '../backup/backup-header.js';
import { openRecoverySlot } from '../backup/recovery-slot.js';
import { wipe } from '../crypto/primitives.js';
import { toIoError } from '../errors/io-error.js';
import { IdentityExists } from '../identity/errors.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { checkPassphraseStrength } from '../identity/keystore.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { NotARecipient } from '../package/errors.js';
import { inspectPackage } from '../package/inspect.js';
import type { PackageMetadata } from '../package/metadata.js';
import { openPackage } from '../package/open.js';
import { checkShareSet, putSharesTogether } from '../org-recovery/custodian-shares.js';
import { appendEmergencyRecord, type NewRecord, type SignedRecord } from '../org-recovery/emergency-log.js';
import type { NoticeOutcome } from './emergency-notice.js';
import { reasonProblem, type EmergencyRecordBody } from '../org-recovery/emergency-record.js';
import { NotSealedForRecoveryKey, RecoveryKeyInvalid } from '../org-recovery/errors.js';
import type { ShareFile } from '../org-recovery/share-file.js';
import { shareLabel } from '../org-recovery/share-file.js';
import type { ProfileSession } from './profile-session.js';
import { restoreBackup, type Restored, type RestoreOptions } from './restore.js';

export interface EmergencyAccessRequest {
  readonly shares: readonly ShareFile[];
  /** Asked once per share, in the order given: each custodian types their own passphrase. */
  readonly passphraseFor: (file: ShareFile) => Promise<string>;
  /** Why: a ticket or case number. Recorded in the log; never patient details. */
  readonly reason: string;
  /** Who runs it (account and machine), for the record. */
  readonly operator: string;
  /** The folder of the organisation's emergency-access log (normally the directory folder). */
  readonly logFolder: string;
  /**
   * After a package is opened, while the key is still live: tell its sender and recipients
   * (services/emergency-notice.ts, through the operator's own MedSeal). Optional.
   */
  readonly notify?: (key: UnlockedIdentity, record: SignedRecord, metadata: PackageMetadata) => Promise<NoticeOutcome>;
  /** The chunk workers an open may use (chunkWorkersFor: the policy's `maxChunkWorkers`); absent: by cores. */
  readonly workers?: ChunkWorkers;
}

/** The checks that need no secret. */
function checkRequest(request: EmergencyAccessRequest): void {
  const problem = reasonProblem(request.reason);
  if (problem) throw new RecoveryKeyInvalid(problem);
  checkShareSet(request.shares);
}

async function withRecoveryKey<T>(
  request: EmergencyAccessRequest,
  use: (key: UnlockedIdentity) => Promise<T>,
): Promise<T> {
  const key = await putSharesTogether(request.shares, request.passphraseFor);
  try {
    return await use(key);
  } finally {
    key.wipe();
  }
}

function recordOf(
  request: EmergencyAccessRequest,
  fields: Pick<NewRecord, 'action' | 'subject' | 'owner' | 'recipients'>,
): NewRecord {
  return {
    ...fields,
    at: new Date().toISOString(),
    operator: request.operator,
    custodians: request.shares.map((file) => shareLabel(file)),
    reason: request.reason.trim(),
  };
}

export interface EmergencyOpened {
  readonly record: EmergencyRecordBody;
  readonly metadata: PackageMetadata;
  readonly paths: readonly string[];
  /** Who was told, when `notify` was given. */
  readonly notice: NoticeOutcome | null;
}

/**
 * The folder for the opened files, made when missing (as `open -o` does) and checked to be a
 * folder: before any custodian types a passphrase, so that an open cannot fail at its very end
 * for want of it.
 */
export async function prepareOpenFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw toIoError('the folder for the opened files', error);
  });
  const info = await stat(folder).catch((error: unknown) => {
    throw toIoError('the folder for the opened files', error);
  });
  if (!info.isDirectory())
    throw toIoError('the folder for the opened files', Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }));
}

/** Opens a package sealed under the recovery key into `folder`, after recording the access. */
export async function emergencyOpenPackage(
  request: EmergencyAccessRequest,
  packagePath: string,
  folder: string,
): Promise<EmergencyOpened> {
  checkRequest(request);
  if (!(await inspectPackage(packagePath)).hasRecoveryStanza) throw new NotSealedForRecoveryKey('package');
  await prepareOpenFolder(folder);
  return withRecoveryKey(request, async (key) => {
    const opened = await openPackage(packagePath, key, 'recovery-key').catch((error: unknown) => {
      throw error instanceof NotARecipient ? new NotSealedForRecoveryKey('package') : error;
    });
    try {
      const { metadata } = opened;
      await opened.checkDestination(folder); // an open that cannot succeed is not recorded
      const signed = await appendEmergencyRecord(
        request.logFolder,
        key,
        recordOf(request, {
          action: 'package-opened',
          subject: opened.packageHash,
          owner: fingerprintHex(metadata.sender.fingerprint),
          recipients: [...metadata.recipients],
        }),
      );
      const { paths } = await opened.extractTo(folder, chunkThreadOptions(request.workers));
      const notice = request.notify ? await request.notify(key, signed, metadata) : null;
      return { record: signed.body, metadata, paths, notice };
    } finally {
      await opened.close();
    }
  });
}

/**
 * Restores a backup made under the recovery key into the (empty) profile of `session`, with a
 * new passphrase for the person who takes it over, after recording the access.
 */
export async function emergencyRestoreBackup(
  session: ProfileSession,
  request: EmergencyAccessRequest,
  backupPath: string,
  options: RestoreOptions & { newPassphrase: string },
): Promise<{ record: EmergencyRecordBody; restored: Restored }> {
  checkRequest(request);
  // A restore that cannot succeed is refused before any custodian is asked, and before any record.
  session.policy.assertUsable();
  if (await session.identities.exists()) throw new IdentityExists();
  session.policy.checkPassphrase(options.newPassphrase);
  await checkPassphraseStrength(options.newPassphrase);
  const handle = await open(backupPath, 'r').catch((error: unknown) => {
    throw toIoError('the backup file', error);
  });
  const { header, digest } = await readBackupHeader(handle).finally(() => handle.close());
  const slot = header.orgRecovery;
  if (!slot || slot.recoveryKey !== request.shares[0]!.recoveryKey) throw new NotSealedForRecoveryKey('backup');
  return withRecoveryKey(request, async (key) => {
    const masterKey = openRecoverySlot(slot, key, header.fingerprint, header.createdAt);
    if (!masterKey) throw new NotSealedForRecoveryKey('backup');
    try {
      const { body: record } = await appendEmergencyRecord(
        request.logFolder,
        key,
        recordOf(request, {
          action: 'backup-restored',
          subject: digest.toString('hex'),
          owner: header.fingerprint,
          recipients: [],
        }),
      );
      const restored = await restoreBackup(session, backupPath, { masterKey }, options);
      return { record, restored };
    } finally {
      wipe(masterKey);
    }
  });
}
