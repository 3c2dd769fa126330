/**
 * Making the organisation recovery key (services/emergency-key.ts), as the
 * CLI's `org recovery init` and the app use it: where the emergency-access
 * log goes (the policy's directory folder wins), nothing asked of a
 * custodian when the request cannot succeed, and share files, card and log
 * written together or not at all.
 */
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { parseArmoredCard } from '../../main/identity/contact-card.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { putSharesTogether } from '../../main/org-recovery/custodian-shares.js';
import { readEmergencyLog } from '../../main/org-recovery/emergency-log.js';
import { RecoveryKeyInvalid } from '../../main/org-recovery/errors.js';
import { parseRecoveryCard } from '../../main/org-recovery/recovery-key.js';
import { readShareFile } from '../../main/org-recovery/share-file.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import {
  createOrgRecoveryKey,
  emergencyLogFolder,
  RECOVERY_CARD_FILE,
  type OrgRecoveryKeyRequest,
} from '../../main/services/emergency-key.js';
import { EmergencyLogFolderManaged, EmergencyLogFolderNeeded, SharesFolderExists } from '../../main/services/errors.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { custodianPassphrase } from '../helpers/custodians.js';
import { tempFolder } from '../helpers/temp-folder.js';

beforeAll(async () => {
  await loadSodium();
});

function managedDirectory(folder: string): PolicyGate {
  return new PolicyGate({
    state: 'ok',
    source: 'test',
    effective: { ...POLICY_DEFAULTS, directoryFolder: folder },
    managed: ['directoryFolder'],
  });
}

/** A request for 3 shares, threshold 2, that counts the passphrases asked for. */
async function request(overrides: Partial<OrgRecoveryKeyRequest> = {}) {
  const work = await tempFolder('medseal-org-key-');
  await mkdir(join(work, 'directory'), { mode: 0o750 });
  const asked: number[] = [];
  const made: OrgRecoveryKeyRequest = {
    operator: 'it-admin@ws-1',
    organisation: 'General Hospital',
    email: 'privacy-office@general.example',
    shares: 3,
    threshold: 2,
    custodians: ['Ann', 'Sam', 'Pat'],
    passphraseFor: async (share) => {
      asked.push(share.share);
      return custodianPassphrase(share.share);
    },
    strength: KDF_FLOOR,
    output: join(work, 'shares'),
    logFolder: join(work, 'directory'),
    ...overrides,
  };
  return { work, asked, request: made };
}

describe('where the emergency-access log is kept', () => {
  it("the policy's directory folder, whether or not the same folder is given; another one is refused", () => {
    const policy = managedDirectory('/srv/medseal/directory');
    expect(emergencyLogFolder(policy, undefined)).toBe('/srv/medseal/directory');
    expect(emergencyLogFolder(policy, '/srv/medseal/directory/')).toBe('/srv/medseal/directory');
    expect(() => emergencyLogFolder(policy, '/home/someone/elsewhere')).toThrow(EmergencyLogFolderManaged);
  });

  it('without a policy, the folder given; none given is a usage error', () => {
    expect(emergencyLogFolder(PolicyGate.none(), '/srv/log')).toBe('/srv/log');
    expect(() => emergencyLogFolder(PolicyGate.none(), undefined)).toThrow(EmergencyLogFolderNeeded);
    expect(new EmergencyLogFolderNeeded().category).toBe('usage');
  });
});

describe('a new organisation recovery key', () => {
  it('writes private share files that put together give the key of the public card, and starts its log', async () => {
    const { work, asked, request: made } = await request();
    const result = await createOrgRecoveryKey(PolicyGate.none(), made);
    expect(asked).toEqual([1, 2, 3]);
    expect(result.shareFiles).toEqual([
      'share-1-of-3.medseal-share',
      'share-2-of-3.medseal-share',
      'share-3-of-3.medseal-share',
    ]);
    expect((await readdir(made.output)).sort()).toEqual([...result.shareFiles, RECOVERY_CARD_FILE].sort());
    expect((await stat(made.output)).mode & 0o777).toBe(0o700);
    for (const name of result.shareFiles) expect((await stat(join(made.output, name))).mode & 0o077).toBe(0);
    const card = parseArmoredCard(await readFile(join(made.output, RECOVERY_CARD_FILE), 'utf8'));
    expect(fingerprintHex(card.fingerprint)).toBe(result.fingerprint);
    expect(fingerprintHex(parseRecoveryCard(result.policyValue).fingerprint)).toBe(result.fingerprint);
    expect(card.profile).toMatchObject({ organisation: 'General Hospital', email: 'privacy-office@general.example' });

    const files = await Promise.all(
      [1, 3].map(async (n) => readShareFile(await readFile(join(made.output, result.shareFiles[n - 1]!), 'utf8'), n)),
    );
    const key = await putSharesTogether(files, async (file) => custodianPassphrase(file.share));
    try {
      expect(fingerprintHex(key.card.fingerprint)).toBe(result.fingerprint);
    } finally {
      key.wipe();
    }
    expect(result.logFolder).toBe(join(work, 'directory'));
    const log = await readEmergencyLog(result.logFolder, card);
    expect(log.records).toEqual([
      expect.objectContaining({
        seq: 1,
        action: 'key-created',
        operator: 'it-admin@ws-1',
        subject: result.fingerprint,
      }),
    ]);
  });

  it('under a policy with a directory folder, the log starts there even when no folder is given', async () => {
    const { work, request: made } = await request({ logFolder: undefined });
    const result = await createOrgRecoveryKey(managedDirectory(join(work, 'directory')), made);
    expect(result.logFolder).toBe(join(work, 'directory'));
    await expect(readEmergencyLog(join(work, 'directory'), result.card)).resolves.toMatchObject({
      records: [expect.objectContaining({ action: 'key-created' })],
    });
  });

  it('refuses before any custodian is asked: a log folder against the policy, none at all, an existing output folder', async () => {
    const managed = await request();
    await expect(
      createOrgRecoveryKey(managedDirectory(join(managed.work, 'it-only')), managed.request),
    ).rejects.toBeInstanceOf(EmergencyLogFolderManaged);
    const none = await request({ logFolder: undefined });
    await expect(createOrgRecoveryKey(PolicyGate.none(), none.request)).rejects.toBeInstanceOf(
      EmergencyLogFolderNeeded,
    );
    const existing = await request();
    await mkdir(existing.request.output);
    await expect(createOrgRecoveryKey(PolicyGate.none(), existing.request)).rejects.toBeInstanceOf(SharesFolderExists);
    for (const refused of [managed, none, existing]) expect(refused.asked).toEqual([]);
    expect(await readdir(existing.request.output)).toEqual([]);
    expect(await readdir(managed.work)).toEqual(['directory']);
  });

  it('writes nothing when the split is refused (threshold 1) or a custodian chooses a weak passphrase', async () => {
    const alone = await request({ threshold: 1 });
    await expect(createOrgRecoveryKey(PolicyGate.none(), alone.request)).rejects.toBeInstanceOf(RecoveryKeyInvalid);
    const weak = await request({
      passphraseFor: async (share) => (share.share === 3 ? 'password' : custodianPassphrase(share.share)),
    });
    await expect(createOrgRecoveryKey(PolicyGate.none(), weak.request)).rejects.toMatchObject({
      code: 'WEAK_PASSPHRASE',
    });
    for (const refused of [alone, weak]) {
      expect(await readdir(refused.work)).toEqual(['directory']);
      expect(await readdir(join(refused.work, 'directory'))).toEqual([]);
    }
  });

  it('takes every file back when the log cannot be started: no key without its log', async () => {
    const { work, request: made } = await request();
    await chmod(join(work, 'directory'), 0o777); // anyone could rewrite a log there: refused
    await expect(createOrgRecoveryKey(PolicyGate.none(), made)).rejects.toMatchObject({
      code: 'EMERGENCY_LOG_UNAVAILABLE',
    });
    expect(await readdir(work)).toEqual(['directory']);
    expect(await readdir(join(work, 'directory'))).toEqual([]);
  });
});
