/**
 * Test vectors for the organisation recovery key (docs/FORMAT.md §2.12,
 * §9): a version 2 package from Alice to Bob sealed under a recovery key
 * made from a fixed secret, and an emergency-access record for it. The
 * committed bytes are reproduced; Bob sees the key named; the key opens
 * it; and the independent Python reader derives the key from the secret,
 * opens the package and verifies the record. Regenerate (only for a
 * deliberate format change) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../main/crypto/primitives.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { FIRST_PREVIOUS, signRecord } from '../../main/org-recovery/emergency-record.js';
import { createRecoveryCard, recoveryIdentity } from '../../main/org-recovery/recovery-key.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { CREATED_AT, drawsFrom, FILES, flip, headerLength, hex, HERE, mutationCodes, NOTE, RANDOM_V2, vectorIdentities, WRITE } from './vector-inputs.js';

const RECOVERY_SECRET = Buffer.alloc(32, 0xd4);
/** Version 2 draws salt, file key, then 64 bytes of X-Wing randomness per stanza: Bob's, then the recovery key's. */
const ENCAPSULATION = [RANDOM_V2.encapsulation[0]!, Buffer.alloc(64, 0x66)];

async function recoveryKey() {
  const card = createRecoveryCard(RECOVERY_SECRET, { organisation: 'Vector Hospital', email: 'privacy-office@vector.example' }, CREATED_AT);
  return { card, identity: recoveryIdentity(RECOVERY_SECRET, card)! };
}

async function sealRecoveryVector(folder: string) {
  const { alice, bob } = await vectorIdentities(true);
  const { card } = await recoveryKey();
  for (const file of FILES) await writeFile(join(folder, file.name), file.content);
  const queue = [RANDOM_V2.salt, RANDOM_V2.fileKey, ...ENCAPSULATION];
  const output = join(folder, 'v2-recovery.medseal');
  const sealed = await sealPackage({
    sender: alice,
    recipients: [bob.card],
    recoveryKey: card,
    files: FILES.map((file) => ({ path: join(folder, file.name) })),
    note: NOTE,
    output,
    chunkSizeLog2: 12,
    now: CREATED_AT,
    random: drawsFrom(queue),
  });
  return { alice, bob, card, sealed, bytes: await readFile(output) };
}

describe('package vector v2-recovery (organisation recovery key)', () => {
  it('sealing with the fixed inputs produces exactly the committed package and record', async () => {
    const { alice, bob, card, sealed, bytes } = await sealRecoveryVector(await tempFolder());
    const { identity } = await recoveryKey();
    const record = signRecord(
      {
        seq: 1,
        at: '2026-11-30T09:00:00.000Z',
        action: 'package-opened',
        subject: sealed.packageHash,
        owner: fingerprintHex(alice.card.fingerprint),
        recipients: [fingerprintHex(bob.card.fingerprint)],
        operator: 'it-admin@vector-ws-1',
        custodians: ['share 1 of 3 (Custodian One)', 'share 3 of 3 (Custodian Three)'],
        reason: 'Vector ticket 0001',
        previous: FIRST_PREVIOUS,
      },
      identity,
    );
    const description = {
      description: 'Package format v2 with the recovery flag: Alice seals the v2-basic files and note to Bob, under a recovery key made from recoverySecret; and the first emergency-access record of opening it.',
      recoverySecret: hex(RECOVERY_SECRET),
      recoveryCard: hex(card.bytes),
      recoveryFingerprint: fingerprintHex(card.fingerprint),
      identities: 'as in v2-basic.json (alice, bob)',
      randomness: { salt: hex(RANDOM_V2.salt), fileKey: hex(RANDOM_V2.fileKey), encapsulation: ENCAPSULATION.map(hex) },
      createdAt: CREATED_AT.toISOString(),
      chunkSizeLog2: 12,
      headerBytes: headerLength(bytes),
      packageFile: 'v2-recovery.medseal',
      packageSha256: hex(sha256(bytes)),
      packageHash: sealed.packageHash,
      record,
    };
    if (WRITE) {
      await writeFile(join(HERE, 'v2-recovery.medseal'), bytes);
      await writeFile(join(HERE, 'v2-recovery.json'), `${JSON.stringify(description, null, 2)}\n`);
    }
    expect([bytes[7], bytes[9], bytes.readUInt16BE(10)]).toEqual([2, 1, 2]);
    expect(bytes.equals(await readFile(join(HERE, 'v2-recovery.medseal')))).toBe(true);
    expect(JSON.parse(await readFile(join(HERE, 'v2-recovery.json'), 'utf8'))).toEqual(description);
  });

  it('Bob opens it and sees the key named; the recovery key opens it; the recovery flag and card cannot be removed', async () => {
    const { bob } = await vectorIdentities(true);
    const { identity, card } = await recoveryKey();
    // The key holder opens it only as the recovery key (emergency access), never as an ordinary recipient.
    await expect(openPackage(join(HERE, 'v2-recovery.medseal'), identity)).rejects.toMatchObject({ code: 'NOT_A_RECIPIENT' });
    for (const [reader, as] of [
      [bob, 'recipient'],
      [identity, 'recovery-key'],
    ] as const) {
      const folder = await tempFolder();
      const opened = await openPackage(join(HERE, 'v2-recovery.medseal'), reader, as);
      expect(fingerprintHex(opened.metadata.recovery!.fingerprint)).toBe(fingerprintHex(card.fingerprint));
      const result = await opened.extractTo(folder);
      await opened.close();
      for (const [index, file] of FILES.entries()) expect(await readFile(result.paths[index]!)).toEqual(file.content);
    }
    const original = await readFile(join(HERE, 'v2-recovery.medseal'));
    const outcomes = await mutationCodes(
      original,
      [
        { name: 'clear the recovery flag', apply: (b) => flip(b, 9) },
        { name: 'set a flag of a later format', apply: (b) => Buffer.from(b).fill(0x05, 9, 10) },
        { name: 'count one stanza more (the header no longer parses)', apply: (b) => flip(b, 11) },
      ],
      bob,
    );
    expect(outcomes).toEqual({ 'clear the recovery flag': 'PACKAGE_TAMPERED', 'set a flag of a later format': 'UNSUPPORTED_VERSION', 'count one stanza more (the header no longer parses)': 'PACKAGE_MALFORMED' });
  });
});

describe('the independent reader (Python) on the recovery vector', () => {
  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  const reader = join(HERE, 'independent_reader.py');
  const run = (args: string[]) => JSON.parse(spawnSync(python, [reader, ...args], { encoding: 'utf8' }).stdout) as Record<string, unknown>;

  it.runIf(available || process.env.CI)('derives the key from the secret and opens it, Bob sees the key, and the record verifies', async () => {
    const { bob } = await vectorIdentities(true);
    const { card } = await recoveryKey();
    const path = join(HERE, 'v2-recovery.medseal');
    const expectedFiles = FILES.map((file) => ({ name: file.name, size: file.content.length, sha256: hex(sha256(file.content)) }));
    const recovery = { organisation: 'Vector Hospital', fingerprint: fingerprintHex(card.fingerprint) };
    expect(run(['recovery', path, hex(RECOVERY_SECRET)])).toMatchObject({ sender: 'Alice Vector', files: expectedFiles, recovery });
    expect(run([path, hex(bob.encryptionSecretKey), hex(bob.card.signingKey), hex(bob.card.encryptionKey), hex(bob.pqSecretKey!)])).toMatchObject({ files: expectedFiles, recovery });
    expect(run(['recovery', path, hex(Buffer.alloc(32, 0xd5))]).error).toBe('NOT_A_RECIPIENT');

    const folder = await tempFolder();
    const { record } = JSON.parse(await readFile(join(HERE, 'v2-recovery.json'), 'utf8')) as { record: string };
    await writeFile(join(folder, 'record.txt'), `${record}\n`);
    expect(run(['record', join(folder, 'record.txt'), hex(card.bytes)])).toMatchObject({ seq: 1, action: 'package-opened' });
    await writeFile(join(folder, 'edited.txt'), `${record.replace('Vector ticket 0001', 'Vector ticket 0002')}\n`);
    expect(run(['record', join(folder, 'edited.txt'), hex(card.bytes)]).error).toBe('EMERGENCY_LOG_INVALID');
  });
});
