/**
 * An organisation recovery key split among custodians for tests: share
 * files under fast Argon2id, each custodian's passphrase known by share
 * number, and a passphrase source that answers like the custodians would.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { splitNewRecoveryKey } from '../../main/org-recovery/custodian-shares.js';
import { readShareFile, type ShareFile } from '../../main/org-recovery/share-file.js';
import type { ContactCard } from '../../main/identity/contact-card.js';

export const custodianPassphrase = (share: number) => `custodian ${share} keeps a long passphrase in a safe`;

export interface SplitKey {
  readonly card: ContactCard;
  readonly paths: readonly string[];
  readonly files: readonly ShareFile[];
  /** The log's first record: start a log with it (startEmergencyLog) wherever a test keeps one. */
  readonly firstRecord: string;
}

export async function splitForTest(
  folder: string,
  shares = 3,
  threshold = 2,
  organisation = 'Test Hospital',
): Promise<SplitKey> {
  await loadSodium();
  const { card, files, firstRecord } = await splitNewRecoveryKey({
    organisation,
    email: 'privacy-office@hospital.example',
    shares,
    threshold,
    custodians: Array.from({ length: shares }, (_, index) => `Custodian ${index + 1}`),
    passphraseFor: async (share) => custodianPassphrase(share.share),
    strength: KDF_FLOOR,
    operator: 'it-admin@test',
  });
  const paths = [];
  for (const file of files) {
    const path = join(folder, file.name);
    await writeFile(path, file.text);
    paths.push(path);
  }
  return { card, paths, files: files.map((file, index) => readShareFile(file.text, index + 1)), firstRecord };
}

export const custodiansAnswer = async (file: ShareFile) => custodianPassphrase(file.share);
