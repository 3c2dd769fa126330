/**
 * The organisation's emergency-access log: one file per recovery key in a
 * folder IT keeps (normally the directory folder), one signed record per
 * line, each naming the hash of the line before. A record is appended
 * before anything is opened, and only to a log that verifies, so every
 * use through MedSeal leaves a trace that cannot be quietly edited.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { takeLockFile } from '../fs/lock-file.js';
import { assertNotWorldWritable } from '../fs/publish-file.js';
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

/** Reads and verifies the whole log of this key; a missing file is an empty log. */
export async function readEmergencyLog(folder: string, card: ContactCard): Promise<EmergencyLog> {
  const text = await readFile(emergencyLogPath(folder, card), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new EmergencyLogUnavailable(`it cannot be read: ${error.code ?? 'error'}`);
  });
  if (text !== '' && !text.endsWith('\n')) throw new EmergencyLogInvalid(text.split('\n').length, 'the last record is cut short');
  const records: EmergencyRecordBody[] = [];
  let lastHash = FIRST_PREVIOUS;
  for (const [index, line] of text.split('\n').slice(0, -1).entries()) {
    const checked = readRecord(line, card);
    if (!checked.ok) throw new EmergencyLogInvalid(index + 1, checked.problem);
    if (checked.body.seq !== index + 1 || checked.body.previous !== lastHash) throw new EmergencyLogInvalid(index + 1, 'a record before it was removed, changed or reordered');
    records.push(checked.body);
    lastHash = recordHash(line);
  }
  return { records, lastHash };
}

export type NewRecord = Omit<EmergencyRecordBody, 'v' | 'recoveryKey' | 'seq' | 'previous'>;

/** Signs and appends one record; throws (and appends nothing) when the log cannot be verified or written. */
export async function appendEmergencyRecord(folder: string, recoveryKey: UnlockedIdentity, record: NewRecord): Promise<EmergencyRecordBody> {
  await assertNotWorldWritable(folder, 'The folder of the emergency-access log').catch(() => {
    throw new EmergencyLogUnavailable('its folder is missing or anyone may write to it');
  });
  const path = emergencyLogPath(folder, recoveryKey.card);
  const lock = await takeLockFile(`${path}.lock`);
  if (!lock.ok) throw new EmergencyLogUnavailable(lock.held ? 'another emergency access is being recorded; try again in a moment' : 'its folder cannot be written');
  try {
    const log = await readEmergencyLog(folder, recoveryKey.card);
    const line = signRecord({ ...record, seq: log.records.length + 1, previous: log.lastHash }, recoveryKey);
    const before = await readFile(path, 'utf8').catch(() => '');
    await writeFileAtomic(path, `${before}${line}\n`, 0o640).catch((error: NodeJS.ErrnoException) => {
      throw new EmergencyLogUnavailable(`it cannot be written: ${error.code ?? 'error'}`);
    });
    const checked = readRecord(line, recoveryKey.card);
    if (!checked.ok) throw new Error(checked.problem);
    return checked.body;
  } finally {
    await lock.release();
  }
}
