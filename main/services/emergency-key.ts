/**
 * Making the organisation recovery key for emergency access (`medseal org
 * recovery init`), decided once for every front end: where its
 * emergency-access log is kept (on a managed workstation, the policy's
 * directory folder and nowhere else), that its share files go into a new
 * folder, that every custodian has chosen an acceptable passphrase before
 * anything is written, and that the share files, the public card and the
 * log's first record are written all together or not at all: no key
 * without its log, no half a set of shares.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { writeNewFile } from '../fs/write-new-file.js';
import { armorCard, type ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { splitNewRecoveryKey, type SplitRequest } from '../org-recovery/custodian-shares.js';
import { startEmergencyLog } from '../org-recovery/emergency-log.js';
import { EmergencyLogFolderManaged, EmergencyLogFolderNeeded, SharesFolderExists } from './errors.js';
import type { PolicyGate } from './policy-gate.js';

/** The name of the recovery key's public card beside the share files. */
export const RECOVERY_CARD_FILE = 'recovery-key.medseal-contact';

/**
 * The folder of the emergency-access log: the policy's directory folder on a managed workstation
 * (a person cannot move the record elsewhere there), else the folder given.
 */
export function emergencyLogFolder(policy: PolicyGate, given: string | undefined): string {
  const managed = policy.effective.directoryFolder;
  if (managed && given && resolve(given) !== resolve(managed)) throw new EmergencyLogFolderManaged();
  const folder = managed ?? given;
  if (!folder) throw new EmergencyLogFolderNeeded();
  return folder;
}

/** Who runs an emergency operation here (account and machine), as the emergency-access log records it. */
export function localOperator(): string {
  return `${userInfo().username}@${hostname()}`;
}

export interface OrgRecoveryKeyRequest extends SplitRequest {
  /** A folder that does not exist yet, for the share files and the public card. */
  readonly output: string;
  /** Where the log starts, when the policy does not say (see emergencyLogFolder). */
  readonly logFolder?: string;
}

export interface OrgRecoveryKeyCreated {
  readonly card: ContactCard;
  readonly fingerprint: string;
  /** The policy's `orgRecoveryKey` value: the card, base64 (also in RECOVERY_CARD_FILE). */
  readonly policyValue: string;
  /** The share files' names in `output`, in share order. */
  readonly shareFiles: readonly string[];
  /** Each share file with the custodian it is for (null where no name was given), in share order. */
  readonly holders: readonly { readonly file: string; readonly custodian: string | null }[];
  /** The folder where the key's emergency-access log was started. */
  readonly logFolder: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return false;
    throw toIoError('the output folder', error);
  }
}

/** Makes, splits and writes a new recovery key, and starts its log; throws with nothing left behind. */
export async function createOrgRecoveryKey(
  policy: PolicyGate,
  request: OrgRecoveryKeyRequest,
): Promise<OrgRecoveryKeyCreated> {
  const logFolder = emergencyLogFolder(policy, request.logFolder);
  if (await exists(request.output)) throw new SharesFolderExists(); // before any custodian types a passphrase
  const split = await splitNewRecoveryKey(request); // every custodian's passphrase is chosen and checked here
  await mkdir(request.output, { mode: 0o700 }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SharesFolderExists();
    throw toIoError('the output folder', error);
  });
  try {
    for (const file of split.files) await writeNewFile(join(request.output, file.name), file.text, 'a share file');
    await writeNewFile(join(request.output, RECOVERY_CARD_FILE), armorCard(split.card), 'the recovery key card', 0o644);
    await startEmergencyLog(logFolder, split.card, split.firstRecord);
  } catch (error) {
    await rm(request.output, { recursive: true, force: true }); // no key without its log, no half a set of shares
    throw error;
  }
  return {
    card: split.card,
    fingerprint: fingerprintHex(split.card.fingerprint),
    policyValue: Buffer.from(split.card.bytes).toString('base64'),
    shareFiles: split.files.map((file) => file.name),
    holders: split.files.map((file, index) => ({
      file: file.name,
      custodian: request.custodians[index]?.trim() || null,
    })),
    logFolder,
  };
}
