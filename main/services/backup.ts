/**
 * Writing a profile backup (docs/FORMAT.md §8), once for the app, the CLI
 * and automatic backups: a consistent snapshot of the database (contacts
 * with their verification state and key history, package history, the
 * audit chain, settings) and the keystore as it is, in one encrypted file
 * that the passphrase or the recovery code opens (and, under policy
 * `orgRecoveryKey`, the organisation's custodians together). The file appears whole
 * under its name or not at all, and never over an existing file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeBackupHeader, BACKUP_VERSION } from '../backup/backup-header.js';
import { CHUNK_BYTES, startPayload, writePayload } from '../backup/backup-payload.js';
import { wrapPayloadKey } from '../backup/payload-key.js';
import { wipe } from '../crypto/primitives.js';
import { toIoError } from '../errors/io-error.js';
import { tempPathBeside } from '../fs/atomic-write.js';
import { DestinationExists } from '../fs/errors.js';
import { assertNoOtherWriters, createExclusive, publishWithoutReplacing, TargetExists } from '../fs/publish-file.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { sealRecoverySlot } from '../backup/recovery-slot.js';
import type { ProfileSession } from './profile-session.js';
import { PinnedFolder } from '../fs/pinned-folder.js';

export interface BackupWritten {
  readonly createdAt: string;
  readonly bytes: number;
}

export async function writeBackup(session: ProfileSession, output: string, now = new Date()): Promise<BackupWritten> {
  const profile = session.requireUnlocked();
  const { identity } = profile;
  const store = await session.openStore();
  const recoveryCard = session.policy.recoveryKey();
  const keystore = await session.identities.keystoreText();
  await assertNoOtherWriters(dirname(output), 'The folder for the backup');
  // Pinned now, checked right before the backup gets its name (fs/pinned-folder.ts).
  const folder = await PinnedFolder.pin(dirname(output), { what: 'the folder for the backup', sharing: 'team' });
  const work = await mkdtemp(join(session.folder.path, '.medseal-backup-'));
  const payloadKey = new Uint8Array(randomBytes(32));
  const temp = tempPathBeside(output);
  let handle: FileHandle | undefined;
  try {
    const snapshot = join(work, 'medseal.db');
    await store.snapshotTo(snapshot);
    const createdAt = now.toISOString();
    const fingerprint = fingerprintHex(identity.card.fingerprint);
    const { state, streamHeader } = startPayload(payloadKey);
    const head = encodeBackupHeader({
      format: 'medseal-backup',
      version: BACKUP_VERSION,
      createdAt,
      fingerprint,
      keystore,
      payloadKey: wrapPayloadKey(identity, payloadKey, fingerprint, createdAt),
      ...(recoveryCard
        ? { orgRecovery: sealRecoverySlot(identity.masterKeyForRewrap(), recoveryCard, fingerprint, createdAt) }
        : {}),
      stream: { header: streamHeader, chunkBytes: CHUNK_BYTES },
    });
    handle = await createExclusive(temp, 0o600).catch((error: unknown) => {
      throw toIoError('the backup file', error);
    });
    await handle.write(head.bytes, 0, head.bytes.length, 0);
    const payloadBytes = await writePayload(handle, head.bytes.length, state, head.digest, [
      { name: 'medseal.db', path: snapshot },
    ]);
    await handle.sync();
    await folder.check();
    await publishWithoutReplacing(handle, temp, output).catch((error: unknown) => {
      throw error instanceof TargetExists ? new DestinationExists('The backup file') : error;
    });
    profile.audit.append({ action: 'identity.backed-up', at: now });
    return { createdAt, bytes: head.bytes.length + payloadBytes };
  } catch (error) {
    await rm(temp, { force: true });
    throw toIoError('the backup file', error);
  } finally {
    await handle?.close();
    wipe(payloadKey);
    await rm(work, { recursive: true, force: true });
  }
}
