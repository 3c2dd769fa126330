/**
 * Organisation emergency access to packages (docs/FORMAT.md §2.12, §9):
 * K of N custodians' shares open a package sealed under the policy's
 * recovery key, and the signed record of it verifies; K−1 shares, a share
 * twice, a share of another key, a wrong passphrase or a package not sealed
 * for the key open nothing and record nothing. The recovery stanza is named
 * to every recipient, and nobody can strip it or hide one unnoticed.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aesGcmOpen, aesGcmSeal, hmacSha256 } from '../../main/crypto/primitives.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { derivePackageKeys, unwrapFileKeyPq, ZERO_NONCE } from '../../main/package/key-schedule.js';
import { openPackage } from '../../main/package/open.js';
import { encodeMetadataBody, parseMetadataBody } from '../../main/package/metadata.js';
import { openShare, readShareFile, sealShare } from '../../main/org-recovery/share-file.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { emergencyLogPath, readEmergencyLog, startEmergencyLog } from '../../main/org-recovery/emergency-log.js';
import { emergencyOpenPackage, type EmergencyAccessRequest } from '../../main/services/emergency-access.js';
import { custodianPassphrase, custodiansAnswer, splitForTest, type SplitKey } from '../helpers/custodians.js';
import { fastIdentity } from '../helpers/identities.js';
import { digests, layoutOf, sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let key: SplitKey;
let otherKey: SplitKey;

beforeAll(async () => {
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
  key = await splitForTest(await tempFolder('medseal-shares-'), 3, 2);
  otherKey = await splitForTest(await tempFolder('medseal-shares-'), 3, 2, 'Other Hospital');
});

async function setting(shares = [key.files[0]!, key.files[2]!], passphraseFor = custodiansAnswer) {
  const folder = await tempFolder('medseal-break-glass-');
  const sample = await sealSample({
    folder,
    sender: alice,
    recipients: [bob.card],
    sizes: [5000, 17],
    recoveryKey: key.card,
  });
  await startEmergencyLog(folder, key.card, key.firstRecord);
  const request: EmergencyAccessRequest = {
    shares,
    passphraseFor,
    reason: 'Ticket INC-4711: clinician on long-term leave',
    operator: 'it-admin@ws-17',
    logFolder: folder,
  };
  const out = join(folder, 'out');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(out);
  return { folder, sample, request, out };
}

describe('a package sealed under the organisation recovery key', () => {
  it('every recipient sees the recovery key named in the signed metadata; the header sets the flag', async () => {
    const { sample } = await setting();
    const bytes = await readFile(sample.path);
    expect(bytes[9]).toBe(1);
    expect(bytes.readUInt16BE(10)).toBe(2); // Bob and the recovery key
    const opened = await openPackage(sample.path, bob);
    expect(fingerprintHex(opened.metadata.recovery!.fingerprint)).toBe(fingerprintHex(key.card.fingerprint));
    expect(opened.metadata.recovery!.profile.organisation).toBe('Test Hospital');
    expect(opened.metadata.recipients).toEqual([fingerprintHex(bob.card.fingerprint)]);
    await opened.close();
  });

  it('2 of 3 custodians open it; the signed record names the package, the people, the reason', async () => {
    const { sample, request, out, folder } = await setting();
    const result = await emergencyOpenPackage(request, sample.path, out);
    expect(digests(await Promise.all(result.paths.map((path) => readFile(path))))).toEqual(digests(sample.contents));
    const log = await readEmergencyLog(folder, key.card);
    expect(log.records.map((record) => record.action)).toEqual(['key-created', 'package-opened']);
    expect(log.records[1]).toMatchObject({
      seq: 2,
      action: 'package-opened',
      owner: fingerprintHex(alice.card.fingerprint),
      recipients: [fingerprintHex(bob.card.fingerprint)],
      custodians: ['share 1 of 3 (Custodian 1)', 'share 3 of 3 (Custodian 3)'],
      reason: 'Ticket INC-4711: clinician on long-term leave',
      operator: 'it-admin@ws-17',
    });
    // The record names no file and carries no note.
    const text = await readFile(emergencyLogPath(folder, key.card), 'utf8');
    for (const name of sample.names) expect(text).not.toContain(name);
  });

  it.each([
    ['one share of a threshold of 2', () => [key.files[1]!], 'TOO_FEW_SHARES'],
    ['the same share twice', () => [key.files[1]!, key.files[1]!], 'SHARE_DUPLICATED'],
    ['a share of another recovery key', () => [key.files[0]!, otherKey.files[1]!], 'SHARE_FROM_OTHER_KEY'],
  ])('%s: refused before any passphrase is asked, nothing opened or recorded', async (_what, shares, code) => {
    let asked = 0;
    const { sample, request, out, folder } = await setting(shares(), async (file) => {
      asked++;
      return custodiansAnswer(file);
    });
    await expect(emergencyOpenPackage(request, sample.path, out)).rejects.toMatchObject({ code });
    expect(asked).toBe(0);
    expect(await readdir(out)).toEqual([]);
    expect((await readEmergencyLog(folder, key.card)).records).toHaveLength(1); // only the key's creation
  });

  it('a wrong custodian passphrase: refused, nothing opened or recorded', async () => {
    const { sample, request, out, folder } = await setting(undefined, async (file) =>
      file.share === 3 ? 'not the passphrase of share three' : custodiansAnswer(file),
    );
    await expect(emergencyOpenPackage(request, sample.path, out)).rejects.toMatchObject({
      code: 'SHARE_PASSPHRASE_WRONG',
    });
    expect(await readdir(out)).toEqual([]);
    expect((await readEmergencyLog(folder, key.card)).records).toHaveLength(1); // only the key's creation
  });

  it('share files of a 3-of-3 split edited to say 2-of-3: two of them still open nothing', async () => {
    const strict = await splitForTest(await tempFolder('medseal-shares-'), 3, 3);
    const edited = await Promise.all(
      strict.paths
        .slice(0, 2)
        .map(async (path, index) =>
          readShareFile((await readFile(path, 'utf8')).replace('"threshold": 3', '"threshold": 2'), index + 1),
        ),
    );
    const { request, out, folder } = await setting();
    const forged = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: [10],
      name: 'strict',
      recoveryKey: strict.card,
    });
    await expect(emergencyOpenPackage({ ...request, shares: edited }, forged.path, out)).rejects.toMatchObject({
      code: 'SHARE_PASSPHRASE_WRONG',
    });
    expect(await readdir(out)).toEqual([]);
  });

  it("a custodian who re-seals their share under another custodian's number and name: found once the key is rebuilt, nothing opened or recorded", async () => {
    const mine = key.files[0]!;
    const theirs = key.files[1]!;
    const bytes = await openShare(mine, custodianPassphrase(1));
    const relabelled = readShareFile(
      await sealShare(bytes, { ...theirs }, theirs.signature, custodianPassphrase(1), KDF_FLOOR),
      1,
    );
    const { sample, request, out, folder } = await setting([relabelled, key.files[2]!], async (file) =>
      file === relabelled ? custodianPassphrase(1) : custodiansAnswer(file),
    );
    await expect(emergencyOpenPackage(request, sample.path, out)).rejects.toMatchObject({ code: 'SHARE_ALTERED' });
    expect(await readdir(out)).toEqual([]);
    expect((await readEmergencyLog(folder, key.card)).records).toHaveLength(1); // only the key's creation
  });

  it("a package sealed without the recovery key, or under another organisation's: the custodians cannot open it", async () => {
    const folder = await tempFolder('medseal-break-glass-');
    const plain = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [10], name: 'plain' });
    const foreign = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: [10],
      name: 'foreign',
      recoveryKey: otherKey.card,
    });
    await startEmergencyLog(folder, key.card, key.firstRecord);
    const request: EmergencyAccessRequest = {
      shares: [key.files[0]!, key.files[1]!],
      passphraseFor: custodiansAnswer,
      reason: 'Ticket 1',
      operator: 'it',
      logFolder: folder,
    };
    for (const path of [plain.path, foreign.path]) {
      await expect(emergencyOpenPackage(request, path, folder)).rejects.toMatchObject({
        code: 'NOT_SEALED_FOR_RECOVERY_KEY',
      });
    }
    expect((await readEmergencyLog(folder, key.card)).records).toHaveLength(1); // only the key's creation
  });

  it('no record can be written (log folder missing): nothing is opened', async () => {
    const { sample, request, out } = await setting();
    await expect(
      emergencyOpenPackage({ ...request, logFolder: join(out, 'missing') }, sample.path, out),
    ).rejects.toMatchObject({ code: 'EMERGENCY_LOG_UNAVAILABLE' });
    expect(await readdir(out)).toEqual([]);
  });
});

describe('the emergency-access log', () => {
  async function threeRecords() {
    const { sample, request, folder } = await setting();
    for (const name of ['a', 'b']) {
      const out = await tempFolder(`medseal-out-${name}-`);
      await emergencyOpenPackage(request, sample.path, out);
    }
    const path = emergencyLogPath(folder, key.card);
    return { folder, path, request, sample };
  }

  it("starts with the key's creation and chains its records: each verifies and names the one before", async () => {
    const { folder } = await threeRecords();
    const log = await readEmergencyLog(folder, key.card);
    expect(log.records.map((record) => [record.seq, record.action])).toEqual([
      [1, 'key-created'],
      [2, 'package-opened'],
      [3, 'package-opened'],
    ]);
    expect(log.records[0]).toMatchObject({
      custodians: ['share 1 of 3 (Custodian 1)', 'share 2 of 3 (Custodian 2)', 'share 3 of 3 (Custodian 3)'],
      operator: 'it-admin@test',
    });
  });

  it.each([
    ['a reason changed', (lines: string[]) => [lines[0]!, lines[1]!.replace('INC-4711', 'INC-0000'), lines[2]!], 2],
    ['a record removed from the middle', (lines: string[]) => [lines[0]!, lines[2]!], 2],
    ['records swapped', (lines: string[]) => [lines[0]!, lines[2]!, lines[1]!], 2],
    ["the key's creation removed", (lines: string[]) => [lines[1]!, lines[2]!], 1],
    ['the last record cut short', (lines: string[]) => [lines[0]!, lines[1]!, lines[2]!.slice(0, 40)], 3],
  ])('%s: the log no longer verifies, and no new record is added to it', async (_what, edit, line) => {
    const { folder, path, request, sample } = await threeRecords();
    await writeFile(path, `${edit((await readFile(path, 'utf8')).split('\n').slice(0, -1)).join('\n')}\n`);
    await expect(readEmergencyLog(folder, key.card)).rejects.toMatchObject({ code: 'EMERGENCY_LOG_INVALID', line });
    const out = await tempFolder('medseal-out-');
    await expect(emergencyOpenPackage(request, sample.path, out)).rejects.toMatchObject({
      code: 'EMERGENCY_LOG_INVALID',
    });
    expect(await readdir(out)).toEqual([]);
  });

  it('a folder without the log of this key (one chosen to leave no trace): nothing is opened', async () => {
    const { sample, request, out } = await setting();
    const elsewhere = await tempFolder('medseal-private-log-');
    await expect(emergencyOpenPackage({ ...request, logFolder: elsewhere }, sample.path, out)).rejects.toMatchObject({
      code: 'EMERGENCY_LOG_UNAVAILABLE',
    });
    expect(await readdir(out)).toEqual([]);
  });

  it('an output folder that cannot take the files is found before the record: nothing recorded', async () => {
    const { sample, request, out, folder } = await setting();
    await writeFile(join(out, sample.names[0]!), 'already here');
    await expect(emergencyOpenPackage(request, sample.path, out)).rejects.toMatchObject({ code: 'DESTINATION_EXISTS' });
    // A missing folder is made (as `open -o` does); one that cannot be made is refused.
    await expect(
      emergencyOpenPackage(request, sample.path, join(out, sample.names[0]!, 'missing')),
    ).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect((await readEmergencyLog(folder, key.card)).records).toHaveLength(1);
  });

  it('eight operators recording at once after a crash left a stale lock: every record that was reported is in the log', async () => {
    const { request, folder } = await setting();
    const path = emergencyLogPath(folder, key.card);
    await writeFile(`${path}.lock`, 'left by a crash');
    const { utimes } = await import('node:fs/promises');
    await utimes(`${path}.lock`, new Date(0), new Date(0));
    const { putSharesTogether } = await import('../../main/org-recovery/custodian-shares.js');
    const { appendEmergencyRecord } = await import('../../main/org-recovery/emergency-log.js');
    const identity = await putSharesTogether(request.shares, custodiansAnswer);
    const record = {
      at: new Date().toISOString(),
      action: 'package-opened' as const,
      subject: '0'.repeat(64),
      owner: '1'.repeat(64),
      recipients: [],
      operator: 'it',
      custodians: ['a', 'b'],
      reason: 'race',
    };
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => appendEmergencyRecord(folder, identity, record)),
    );
    identity.wipe();
    const reported = results.filter((result) => result.status === 'fulfilled').length;
    expect(reported).toBeGreaterThan(0);
    expect((await readEmergencyLog(folder, key.card)).records).toHaveLength(1 + reported);
  });
});

describe('attacks on the recovery stanza', () => {
  it("a sender naming a person's card as the recovery key: every reader refuses the package", async () => {
    const mallory = await fastIdentity('Mallory');
    const body = encodeMetadataBody(
      {
        sender: alice.card,
        recipients: [fingerprintHex(bob.card.fingerprint)],
        createdAt: new Date().toISOString(),
        files: [{ name: 'a.txt', size: 1 }],
        note: '',
        recovery: mallory.card,
        passphraseRecipient: null,
        passphraseBinding: null,
        directoryHead: null,
        replyTo: null,
        subject: null,
      },
      2,
    );
    expect(() => parseMetadataBody(body, 2, true)).toThrow(expect.objectContaining({ code: 'PACKAGE_MALFORMED' }));
    const folder = await tempFolder('medseal-strip-');
    await expect(
      sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [1], recoveryKey: mallory.card }),
    ).rejects.toMatchObject({ code: 'INVALID_PACKAGE_REQUEST' });
  });

  it('the key holder cannot open through the ordinary path: only emergency access (which records) opens as the key', async () => {
    const folder = await tempFolder('medseal-strip-');
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: [10],
      recoveryKey: key.card,
    });
    const { putSharesTogether } = await import('../../main/org-recovery/custodian-shares.js');
    const identity = await putSharesTogether([key.files[0]!, key.files[1]!], custodiansAnswer);
    await expect(openPackage(sample.path, identity)).rejects.toMatchObject({ code: 'NOT_A_RECIPIENT' });
    await expect(openPackage(sample.path, bob, 'recovery-key')).rejects.toMatchObject({ code: 'NOT_A_RECIPIENT' });
    identity.wipe();
  });

  /** Bob, a recipient who knows the file key, rebuilds the header without the recovery stanza and fixes the MAC. */
  async function strippedByInsider(alsoFromMetadata: boolean): Promise<string> {
    const folder = await tempFolder('medseal-strip-');
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: [100],
      recoveryKey: key.card,
    });
    const bytes = await readFile(sample.path);
    const layout = layoutOf(bytes, 100);
    const stanzas = layout.stanzaOffsets.map((offset) => bytes.subarray(offset, offset + 1168));
    const fileKey = unwrapFileKeyPq(stanzas, bob.pqSecretKey!)!;
    const keys = derivePackageKeys(fileKey, bytes.subarray(12, 44));
    let sealed = aesGcmOpen(keys.metadataKey, ZERO_NONCE, bytes.subarray(layout.metadataStart, layout.macStart))!;
    if (alsoFromMetadata) {
      const body = sealed.subarray(0, sealed.length - 64).toString('utf8');
      const without = body.replace(/,"recovery":"[^"]*"/, '');
      sealed = Buffer.concat([Buffer.from(without, 'utf8'), sealed.subarray(sealed.length - 64)]);
    }
    const fixed = Buffer.from(bytes.subarray(0, 44));
    fixed[9] = 0;
    fixed.writeUInt16BE(1, 10);
    const metadata = aesGcmSeal(keys.metadataKey, ZERO_NONCE, sealed);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(metadata.length);
    const unauthenticated = Buffer.concat([fixed, stanzas[0]!, length, metadata]);
    await writeFile(
      sample.path,
      Buffer.concat([
        unauthenticated,
        hmacSha256(keys.headerMacKey, unauthenticated),
        bytes.subarray(layout.headerLength),
      ]),
    );
    return sample.path;
  }

  it('the stanza removed, the metadata still naming the key: refused (PACKAGE_MALFORMED)', async () => {
    await expect(openPackage(await strippedByInsider(false), bob)).rejects.toMatchObject({ code: 'PACKAGE_MALFORMED' });
  });

  it('…and the key removed from the metadata too: the sender never signed that (SIGNATURE_INVALID)', async () => {
    await expect(openPackage(await strippedByInsider(true), bob)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('the flag cleared by an outsider: the header MAC fails', async () => {
    const folder = await tempFolder('medseal-strip-');
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: [100],
      recoveryKey: key.card,
    });
    const bytes = await readFile(sample.path);
    bytes[9] = 0;
    await writeFile(sample.path, bytes);
    await expect(openPackage(sample.path, bob)).rejects.toMatchObject({ code: 'PACKAGE_TAMPERED' });
  });

  it('a flag bit of a later format: UNSUPPORTED_VERSION, said as such', async () => {
    const folder = await tempFolder('medseal-strip-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [100] });
    const bytes = await readFile(sample.path);
    bytes[9] = 0x04; // bit 1 is the passphrase stanza (FORMAT.md §2.13); bit 2 is for a later format
    await writeFile(sample.path, bytes);
    await expect(openPackage(sample.path, bob)).rejects.toMatchObject({
      code: 'UNSUPPORTED_VERSION',
      userMessage: expect.stringMatching(/format feature/),
    });
  });
});

describe('doctor under a policy with orgRecoveryKey', () => {
  it('names the key and checks its log: missing, intact (counting uses), edited', async () => {
    const folder = await tempFolder('medseal-doctor-');
    const { runDoctor } = await import('../../main/services/doctor.js');
    const { ProfileFolder } = await import('../../main/profile/profile-folder.js');
    const { POLICY_DEFAULTS } = await import('../../main/policy/policy-schema.js');
    const orgRecoveryKey = Buffer.from(key.card.bytes).toString('base64');
    const doctor = async () =>
      (
        await runDoctor(new ProfileFolder(join(folder, 'profile')), {
          loadPolicyState: async () => ({
            state: 'ok',
            source: 'test',
            effective: { ...POLICY_DEFAULTS, orgRecoveryKey, directoryFolder: folder },
            managed: ['orgRecoveryKey', 'directoryFolder'],
          }),
        })
      ).find((check) => check.name === 'emergency access');
    expect(await doctor()).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^Test Hospital's recovery key [0-9a-f]{16}: .*no log for this key/),
    });
    await startEmergencyLog(folder, key.card, key.firstRecord);
    expect(await doctor()).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/its log verifies, 0 uses recorded$/),
    });
    const path = emergencyLogPath(folder, key.card);
    await writeFile(path, (await readFile(path, 'utf8')).replace('Custodian 1', 'Custodian X'));
    expect(await doctor()).toMatchObject({ ok: false, detail: expect.stringMatching(/not intact at record 1/) });
  });
});

describe('the folder for the opened files', () => {
  it('a missing -o folder is made before any custodian is asked, and the open succeeds into it', async () => {
    const { sample, request, folder } = await setting();
    const asked: number[] = [];
    const out = join(folder, 'not', 'there', 'yet');
    const result = await emergencyOpenPackage(
      { ...request, passphraseFor: async (file) => (asked.push(file.share), custodiansAnswer(file)) },
      sample.path,
      out,
    );
    expect(asked).toEqual([1, 3]);
    expect((await readdir(out)).sort()).toEqual(result.paths.map((path) => path.slice(out.length + 1)).sort());
  });

  it('a folder that cannot be made is refused before anyone types a passphrase, and nothing is recorded', async () => {
    const { sample, request, folder } = await setting();
    await writeFile(join(folder, 'a-file'), 'not a folder');
    const asked: number[] = [];
    await expect(
      emergencyOpenPackage(
        { ...request, passphraseFor: async (file) => (asked.push(file.share), custodiansAnswer(file)) },
        sample.path,
        join(folder, 'a-file', 'out'),
      ),
    ).rejects.toMatchObject({ code: 'IO_ERROR', params: { subject: 'the folder for the opened files' } });
    expect(asked).toEqual([]);
    expect((await readEmergencyLog(folder, key.card)).records.map((record) => record.action)).toEqual(['key-created']);
  });
});
