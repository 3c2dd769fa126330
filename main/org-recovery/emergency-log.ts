/**
 * The organisation's emergency-access log: one file per recovery key in a
 * folder IT keeps (normally the directory folder), one signed record per
 * line, each naming the hash of the line before. A record is appended
 * before anything is opened, and only to a log that verifies, so every
 * use through MedSeal leaves a trace that cannot be quietly edited.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isNodeError } from '../errors/node-error.js';
import { writeFileAtomic, writeNewFileSynced } from '../fs/atomic-write.js';
import { takeLockFile } from '../fs/lock-file.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { EmergencyLogInvalid, EmergencyLogUnavailable } from './errors.js';
import { FIRST_PREVIOUS, readRecord, recordHash, signRecord, type EmergencyRecordBody } from './emergency-record.js';

export function emergencyLogPath(folder: string, card: ContactCard): string {
  return join(folder, `medseal-emergency-access-${fingerprintHex(card.fingerprint).slice(0, 16)}.log`);
}

export interface EmergencyLog {
  readonly records: readonly EmergencyRecordBody[];
  /** What the next record's `previous` is. */
  readonly lastHash: string;
}

async function readLogText(folder: string, card: ContactCard): Promise<string> {
  return readFile(emergencyLogPath(folder, card), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new EmergencyLogUnavailable(
        'this folder has no log for this key: the log is started in the right folder when the key is made',
      );
    throw new EmergencyLogUnavailable(`it cannot be read: ${error.code ?? 'error'}`);
  });
}

/** Verifies a log's text: every record this key's, signed, chained, numbered, the first one the key's creation. */
export function verifyEmergencyLog(text: string, card: ContactCard): EmergencyLog {
  if (!text.endsWith('\n'))
    throw new EmergencyLogInvalid(
      text.split('\n').length,
      text === '' ? 'it is empty' : 'the last record is cut short',
    );
  const records: EmergencyRecordBody[] = [];
  let lastHash = FIRST_PREVIOUS;
  for (const [index, line] of text.split('\n').slice(0, -1).entries()) {
    const checked = readRecord(line, card);
    if (!checked.ok) throw new EmergencyLogInvalid(index + 1, checked.problem);
    if (checked.body.seq !== index + 1 || checked.body.previous !== lastHash)
      throw new EmergencyLogInvalid(index + 1, 'a record before it was removed, changed or reordered');
    if ((index === 0) !== (checked.body.action === 'key-created'))
      throw new EmergencyLogInvalid(index + 1, 'the log does not start with the creation of the key');
    records.push(checked.body);
    lastHash = recordHash(line);
  }
  return { records, lastHash };
}

/** Reads and verifies the whole log of this key. */
export async function readEmergencyLog(folder: string, card: ContactCard): Promise<EmergencyLog> {
  return verifyEmergencyLog(await readLogText(folder, card), card);
}

/** Only IT may write where the log lives: a folder anyone can write to (even with the sticky bit) is refused. */
async function assertLogFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return null;
    throw new EmergencyLogUnavailable(`its folder cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  });
  if (!info?.isDirectory()) throw new EmergencyLogUnavailable('its folder does not exist');
  if (process.platform !== 'win32' && (info.mode & 0o002) !== 0)
    throw new EmergencyLogUnavailable('anyone may write to its folder');
}

/** Starts the log of a new key with its first record (`key-created`, signed when the key was split); never over a log. */
export async function startEmergencyLog(folder: string, card: ContactCard, firstRecord: string): Promise<void> {
  await assertLogFolder(folder);
  verifyEmergencyLog(`${firstRecord}\n`, card);
  await writeNewFileSynced(emergencyLogPath(folder, card), `${firstRecord}\n`, 0o640).catch(
    (error: NodeJS.ErrnoException) => {
      throw new EmergencyLogUnavailable(
        error.code === 'EEXIST'
          ? 'this key already has a log in this folder'
          : `it cannot be written: ${error.code ?? 'error'}`,
      );
    },
  );
}

export type NewRecord = Omit<EmergencyRecordBody, 'v' | 'recoveryKey' | 'seq' | 'previous'>;

/** Signs and appends one record; throws (and appends nothing) when the log cannot be verified or written. */
/** A record as appended: its fields, and its signed line as the log holds it. */
export interface SignedRecord {
  readonly body: EmergencyRecordBody;
  readonly line: string;
}

export async function appendEmergencyRecord(
  folder: string,
  recoveryKey: UnlockedIdentity,
  record: NewRecord,
): Promise<SignedRecord> {
  await assertLogFolder(folder);
  const { card } = recoveryKey;
  const path = emergencyLogPath(folder, card);
  const lock = await takeLockFile(`${path}.lock`);
  if (!lock.ok)
    throw new EmergencyLogUnavailable(
      lock.held ? 'another emergency access is being recorded; try again in a moment' : 'its folder cannot be written',
    );
  try {
    const before = await readLogText(folder, card);
    const log = verifyEmergencyLog(before, card);
    const line = signRecord({ ...record, seq: log.records.length + 1, previous: log.lastHash }, recoveryKey);
    await writeFileAtomic(path, `${before}${line}\n`, 0o640).catch((error: NodeJS.ErrnoException) => {
      throw new EmergencyLogUnavailable(`it cannot be written: ${error.code ?? 'error'}`);
    });
    // Whatever a lock can promise on a network share, the record counts only once it is read back in place.
    const after = await readLogText(folder, card);
    if (!after.startsWith(`${before}${line}\n`))
      throw new EmergencyLogUnavailable('another emergency access was recorded at the same moment; try again');
    return { body: verifyEmergencyLog(after, card).records[log.records.length]!, line };
  } finally {
    await lock.release();
  }
}
