/**
 * Test vectors for docs/FORMAT.md: fixed keys, fixed randomness, fixed time.
 * The expected bytes are committed in test/vectors/; this test proves the
 * implementation still produces and accepts exactly them, and rejects the
 * listed mutations with the listed errors. Regenerate (only for a deliberate
 * format change, which needs a new version number) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../main/crypto/primitives.js';
import { decodeCard, parseArmoredCard, armorCard } from '../../main/identity/contact-card.js';
import { fingerprintHex, safetyNumber } from '../../main/identity/fingerprint.js';
import { unlockKeystore } from '../../main/identity/keystore.js';
import { sealPackage } from '../../main/package/seal.js';
import { openPackage } from '../../main/package/open.js';
import { derivePackageKeys } from '../../main/package/key-schedule.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { CREATED_AT, drawsFrom, FILES, flip, headerLength, hex, HERE, mutationCodes, NOTE, RANDOM, RANDOM_V2, vectorIdentities, withByte, WRITE, type Mutation } from './vector-inputs.js';

async function sealVector(folder: string, version: 1 | 2 = 1) {
  const { alice, bob, carol } = await vectorIdentities(version === 2);
  for (const file of FILES) await writeFile(join(folder, file.name), file.content);
  const queue = version === 2 ? [RANDOM_V2.salt, RANDOM_V2.fileKey, ...RANDOM_V2.encapsulation] : [RANDOM.salt, RANDOM.fileKey, RANDOM.ephemeralSecret];
  const output = join(folder, `v${version}-basic.medseal`);
  await sealPackage({
    sender: alice,
    recipients: [bob.card, carol.card],
    files: FILES.map((file) => ({ path: join(folder, file.name) })),
    note: NOTE,
    output,
    chunkSizeLog2: 12,
    now: CREATED_AT,
    random: drawsFrom(queue),
  });
  return { alice, bob, carol, bytes: await readFile(output) };
}

describe('package vector v1-basic', () => {
  it('sealing with the fixed inputs produces exactly the committed package', async () => {
    const folder = await tempFolder();
    const { alice, bob, carol, bytes } = await sealVector(folder);
    const keys = derivePackageKeys(RANDOM.fileKey, RANDOM.salt);
    const description = {
      description: 'Package format v1: Alice seals two files and a note to Bob and Carol, chunk size 4096.',
      identities: Object.fromEntries(
        Object.entries({ alice, bob, carol }).map(([name, who]) => [
          name,
          {
            ed25519SecretKey: hex(who.signingSecretKey),
            x25519SecretKey: hex(who.encryptionSecretKey),
            card: hex(who.card.bytes),
            fingerprint: fingerprintHex(who.card.fingerprint),
          },
        ]),
      ),
      randomness: { salt: hex(RANDOM.salt), fileKey: hex(RANDOM.fileKey), ephemeralSecret: hex(RANDOM.ephemeralSecret) },
      createdAt: CREATED_AT.toISOString(),
      chunkSizeLog2: 12,
      files: FILES.map((file) => ({ name: file.name, contentHex: hex(file.content) })),
      note: NOTE,
      derived: { headerMacKey: hex(keys.headerMacKey), metadataKey: hex(keys.metadataKey), payloadKey: hex(keys.payloadKey) },
      packageFile: 'v1-basic.medseal',
      packageSha256: hex(sha256(bytes)),
    };
    if (WRITE) {
      await mkdir(HERE, { recursive: true });
      await writeFile(join(HERE, 'v1-basic.medseal'), bytes);
      await writeFile(join(HERE, 'v1-basic.json'), `${JSON.stringify(description, null, 2)}\n`);
    }
    expect(bytes.equals(await readFile(join(HERE, 'v1-basic.medseal')))).toBe(true);
    expect(JSON.parse(await readFile(join(HERE, 'v1-basic.json'), 'utf8'))).toEqual(description);
  });

  it('each recipient opens the committed package and sees the sender, files and note', async () => {
    const { alice, bob, carol } = await vectorIdentities();
    for (const reader of [bob, carol]) {
      const folder = await tempFolder();
      const opened = await openPackage(join(HERE, 'v1-basic.medseal'), reader);
      expect(fingerprintHex(opened.metadata.sender.fingerprint)).toBe(fingerprintHex(alice.card.fingerprint));
      expect(opened.metadata.note).toBe(NOTE);
      expect(opened.metadata.createdAt).toBe(CREATED_AT.toISOString());
      const result = await opened.extractTo(folder);
      await opened.close();
      for (const [index, file] of FILES.entries()) expect(await readFile(result.paths[index]!)).toEqual(file.content);
    }
  });

  it('the committed mutations are rejected with the committed error codes', async () => {
    const { bob } = await vectorIdentities();
    const original = await readFile(join(HERE, 'v1-basic.medseal'));
    const mutations: Mutation[] = [
      { name: 'flip byte 0 (magic)', apply: (b) => flip(b, 0) },
      { name: 'flip byte 7 (version)', apply: (b) => flip(b, 7) },
      { name: 'flip byte 12 (salt)', apply: (b) => flip(b, 12) },
      { name: 'flip the last byte of the header MAC', apply: (b) => flip(b, headerLength(b) - 1) },
      { name: 'flip the first byte of chunk 0', apply: (b) => flip(b, headerLength(b)) },
      { name: 'flip the last byte of the file (final chunk tag)', apply: (b) => flip(b, b.length - 1) },
      { name: 'drop the final chunk', apply: (b) => b.subarray(0, headerLength(b) + 4096 + 80) },
      { name: 'append one zero byte', apply: (b) => Buffer.concat([b, Buffer.alloc(1)]) },
    ];
    const outcomes = await mutationCodes(original, mutations, bob);
    if (WRITE) await writeFile(join(HERE, 'v1-mutations.json'), `${JSON.stringify(outcomes, null, 2)}\n`);
    expect(outcomes).toEqual(JSON.parse(await readFile(join(HERE, 'v1-mutations.json'), 'utf8')));
  });
});

describe('card, safety number and keystore vectors', () => {
  it('the committed card, fingerprint and safety number are reproduced', async () => {
    const { alice, bob } = await vectorIdentities();
    const expected = {
      aliceCardArmored: armorCard(alice.card),
      aliceFingerprint: fingerprintHex(alice.card.fingerprint),
      bobFingerprint: fingerprintHex(bob.card.fingerprint),
      safetyNumberAliceBob: safetyNumber(alice.card, bob.card),
    };
    if (WRITE) await writeFile(join(HERE, 'v1-identity.json'), `${JSON.stringify(expected, null, 2)}\n`);
    const committed = JSON.parse(await readFile(join(HERE, 'v1-identity.json'), 'utf8'));
    expect(committed).toEqual(expected);
    expect(safetyNumber(bob.card, alice.card)).toBe(committed.safetyNumberAliceBob);
    expect(fingerprintHex(parseArmoredCard(committed.aliceCardArmored).fingerprint)).toBe(committed.aliceFingerprint);
    expect(decodeCard(alice.card.bytes).profile.name).toBe('Alice Vector');
  });

  it('the committed keystore (INTERACTIVE Argon2id parameters) unlocks with its passphrase', async () => {
    const keystore = await readFile(join(HERE, 'v1-keystore.json'), 'utf8');
    const { passphrase, fingerprint } = JSON.parse(await readFile(join(HERE, 'v1-keystore.expected.json'), 'utf8'));
    const identity = await unlockKeystore(keystore, passphrase);
    expect(fingerprintHex(identity.card.fingerprint)).toBe(fingerprint);
  });
});

describe('package vector v2-basic (post-quantum)', () => {
  it('sealing with the fixed inputs produces exactly the committed package', async () => {
    const folder = await tempFolder();
    const { alice, bob, carol, bytes } = await sealVector(folder, 2);
    const keys = derivePackageKeys(RANDOM_V2.fileKey, RANDOM_V2.salt);
    const description = {
      description: 'Package format v2 (X-Wing stanzas): Alice seals two files and a note to Bob and Carol, chunk size 4096.',
      identities: Object.fromEntries(
        Object.entries({ alice, bob, carol }).map(([name, who]) => [
          name,
          {
            ed25519SecretKey: hex(who.signingSecretKey),
            x25519SecretKey: hex(who.encryptionSecretKey),
            xwingSeed: hex(who.pqSecretKey!),
            card: hex(who.card.bytes),
            fingerprint: fingerprintHex(who.card.fingerprint),
          },
        ]),
      ),
      randomness: { salt: hex(RANDOM_V2.salt), fileKey: hex(RANDOM_V2.fileKey), encapsulation: RANDOM_V2.encapsulation.map(hex) },
      createdAt: CREATED_AT.toISOString(),
      chunkSizeLog2: 12,
      files: FILES.map((file) => ({ name: file.name, contentHex: hex(file.content) })),
      note: NOTE,
      derived: { headerMacKey: hex(keys.headerMacKey), metadataKey: hex(keys.metadataKey), payloadKey: hex(keys.payloadKey) },
      headerBytes: headerLength(bytes),
      packageFile: 'v2-basic.medseal',
      packageSha256: hex(sha256(bytes)),
    };
    if (WRITE) {
      await writeFile(join(HERE, 'v2-basic.medseal'), bytes);
      await writeFile(join(HERE, 'v2-basic.json'), `${JSON.stringify(description, null, 2)}\n`);
    }
    expect(bytes[7]).toBe(2);
    expect(bytes.equals(await readFile(join(HERE, 'v2-basic.medseal')))).toBe(true);
    expect(JSON.parse(await readFile(join(HERE, 'v2-basic.json'), 'utf8'))).toEqual(description);
  });

  it('each recipient opens it; the same people with version 1 cards (no X-Wing key) cannot', async () => {
    const { bob, carol } = await vectorIdentities(true);
    for (const reader of [bob, carol]) {
      const folder = await tempFolder();
      const opened = await openPackage(join(HERE, 'v2-basic.medseal'), reader);
      const result = await opened.extractTo(folder);
      await opened.close();
      for (const [index, file] of FILES.entries()) expect(await readFile(result.paths[index]!)).toEqual(file.content);
    }
    const classical = await vectorIdentities(false);
    await expect(openPackage(join(HERE, 'v2-basic.medseal'), classical.bob)).rejects.toMatchObject({ code: 'NOT_A_RECIPIENT' });
  });

  it('the committed mutations are rejected with the committed error codes', async () => {
    const { bob } = await vectorIdentities(true);
    const original = await readFile(join(HERE, 'v2-basic.medseal'));
    const mutations: Mutation[] = [
      { name: 'set byte 7 (version) to 1', apply: (b) => withByte(b, 7, 1) },
      { name: 'flip byte 12 (salt)', apply: (b) => flip(b, 12) },
      { name: 'flip a byte of the X-Wing ciphertext of stanza 1', apply: (b) => flip(b, 44 + 100) },
      { name: 'flip a byte of the X25519 part of stanza 1', apply: (b) => flip(b, 44 + 1100) },
      { name: 'set the X25519 part of stanza 1 to zeros (a low-order point)', apply: (b) => Buffer.from(b).fill(0, 44 + 1088, 44 + 1120) },
      { name: 'cut one byte from the X-Wing ciphertext of stanza 1', apply: (b) => Buffer.concat([b.subarray(0, 44 + 500), b.subarray(44 + 501)]) },
      { name: 'flip the last byte of the header MAC', apply: (b) => flip(b, headerLength(b) - 1) },
      { name: 'flip the first byte of chunk 0', apply: (b) => flip(b, headerLength(b)) },
      { name: 'drop the final chunk', apply: (b) => b.subarray(0, headerLength(b) + 4096 + 80) },
    ];
    const outcomes = await mutationCodes(original, mutations, bob);
    if (WRITE) await writeFile(join(HERE, 'v2-mutations.json'), `${JSON.stringify(outcomes, null, 2)}\n`);
    expect(outcomes).toEqual(JSON.parse(await readFile(join(HERE, 'v2-mutations.json'), 'utf8')));
  });

  it('the version 2 card keeps the fingerprint and safety number of the version 1 card', async () => {
    const { alice, bob } = await vectorIdentities(true);
    const expected = {
      aliceCardArmored: armorCard(alice.card),
      aliceCardBytes: alice.card.bytes.length,
      aliceFingerprint: fingerprintHex(alice.card.fingerprint),
      safetyNumberAliceBob: safetyNumber(alice.card, bob.card),
    };
    if (WRITE) await writeFile(join(HERE, 'v2-identity.json'), `${JSON.stringify(expected, null, 2)}\n`);
    expect(JSON.parse(await readFile(join(HERE, 'v2-identity.json'), 'utf8'))).toEqual(expected);
    const v1 = JSON.parse(await readFile(join(HERE, 'v1-identity.json'), 'utf8'));
    expect(expected.aliceFingerprint).toBe(v1.aliceFingerprint);
    expect(expected.safetyNumberAliceBob).toBe(v1.safetyNumberAliceBob);
  });
});

describe('an independent reader written from docs/FORMAT.md (Python, python3-cryptography)', () => {
  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  // CI installs python3-cryptography, so there the check always runs.
  it.runIf(available || process.env.CI)('opens the vector and a freshly sealed package, and rejects mutations with the same error codes', async () => {
    const { bob } = await vectorIdentities();
    const reader = join(HERE, 'independent_reader.py');
    const read = (path: string, xwingSeed?: Uint8Array) => {
      const keys = [hex(bob.encryptionSecretKey), hex(bob.card.signingKey), hex(bob.card.encryptionKey), ...(xwingSeed ? [hex(xwingSeed)] : [])];
      const result = spawnSync(python, [reader, path, ...keys], { encoding: 'utf8' });
      return JSON.parse(result.stdout) as { sender?: string; note?: string; files?: { name: string; sha256: string }[]; error?: string; version?: number };
    };
    const opened = read(join(HERE, 'v1-basic.medseal'));
    expect(opened.sender).toBe('Alice Vector');
    expect(opened.note).toBe(NOTE);
    expect(opened.files).toEqual(FILES.map((file) => ({ name: file.name, size: file.content.length, sha256: hex(sha256(file.content)) })));

    const folder = await tempFolder();
    const { alice } = await vectorIdentities();
    const fresh = [Buffer.alloc(0), Buffer.alloc(3 * 4096, 5), Buffer.from('x')];
    for (const [index, content] of fresh.entries()) await writeFile(join(folder, `f${index}`), content);
    await sealPackage({ sender: alice, recipients: [bob.card], files: fresh.map((_, index) => ({ path: join(folder, `f${index}`) })), output: join(folder, 'fresh.medseal'), chunkSizeLog2: 12 });
    expect(read(join(folder, 'fresh.medseal')).files?.map((file) => file.sha256)).toEqual(fresh.map((content) => hex(sha256(content))));

    const original = await readFile(join(HERE, 'v1-basic.medseal'));
    const cases: [Buffer, string][] = [
      [flip(original, 0), 'NOT_A_PACKAGE'],
      [flip(original, 7), 'UNSUPPORTED_VERSION'],
      [flip(original, 12), 'PACKAGE_TAMPERED'],
      [flip(original, headerLength(original) + 10), 'PACKAGE_TAMPERED'],
      [original.subarray(0, headerLength(original) + 4096 + 80), 'PACKAGE_TRUNCATED'],
    ];
    for (const [index, [bytes, code]] of cases.entries()) {
      const path = join(folder, `m${index}.medseal`);
      await writeFile(path, bytes);
      expect(read(path).error).toBe(code);
    }
  });

  it.runIf(available || process.env.CI)('opens the version 2 vector and a fresh version 2 package with its own ML-KEM (FIPS 203), and rejects downgrades', async () => {
    const reader = join(HERE, 'independent_reader.py');
    const pq = await vectorIdentities(true);
    const read = (path: string, seed: Uint8Array | null = pq.bob.pqSecretKey) => {
      const keys = [hex(pq.bob.encryptionSecretKey), hex(pq.bob.card.signingKey), hex(pq.bob.card.encryptionKey), ...(seed ? [hex(seed)] : [])];
      return JSON.parse(spawnSync(python, [reader, path, ...keys], { encoding: 'utf8' }).stdout) as { sender?: string; note?: string; files?: { sha256: string }[]; error?: string; version?: number };
    };
    const opened = read(join(HERE, 'v2-basic.medseal'));
    expect(opened).toMatchObject({ sender: 'Alice Vector', note: NOTE, version: 2 });
    expect(opened.files?.map((file) => file.sha256)).toEqual(FILES.map((file) => hex(sha256(file.content))));

    const folder = await tempFolder();
    await writeFile(join(folder, 'f'), Buffer.alloc(2 * 4096 + 1, 9));
    await sealPackage({ sender: pq.alice, recipients: [pq.carol.card, pq.bob.card], files: [{ path: join(folder, 'f') }], output: join(folder, 'fresh.medseal'), chunkSizeLog2: 12 });
    expect(read(join(folder, 'fresh.medseal'))).toMatchObject({ version: 2, files: [{ sha256: hex(sha256(Buffer.alloc(2 * 4096 + 1, 9))) }] });

    const original = await readFile(join(HERE, 'v2-basic.medseal'));
    const mutations = JSON.parse(await readFile(join(HERE, 'v2-mutations.json'), 'utf8')) as Record<string, string>;
    const cases: [Buffer, string][] = [
      [withByte(original, 7, 1), mutations['set byte 7 (version) to 1']!],
      [flip(original, 44 + 100), mutations['flip a byte of the X-Wing ciphertext of stanza 1']!],
      [flip(original, headerLength(original) - 1), 'PACKAGE_TAMPERED'],
    ];
    for (const [index, [bytes, code]] of cases.entries()) {
      const path = join(folder, `m${index}.medseal`);
      await writeFile(path, bytes);
      expect(read(path).error).toBe(code);
    }
    expect(read(join(HERE, 'v2-basic.medseal'), null).error).toBe('NOT_A_RECIPIENT'); // no X-Wing key, no version 2

    // The stanzas re-derived from the recipients' keys and the committed randomness (the order of the 64 bytes, FORMAT.md §1).
    const keys = [pq.bob, pq.carol].map((who) => hex(who.card.pqKey!)).join(',');
    const stanzas = spawnSync(python, [reader, 'stanzas', join(HERE, 'v2-basic.medseal'), keys, RANDOM_V2.encapsulation.map(hex).join(',')], { encoding: 'utf8' });
    expect(JSON.parse(stanzas.stdout)).toEqual({ match: true });
  });
});
