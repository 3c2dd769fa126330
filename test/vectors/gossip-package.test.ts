/**
 * Test vector for the `directoryHead` metadata member (docs/FORMAT.md §2.4,
 * §11: gossip): Bob, whose organisation "Vector Clinic" lists him in its
 * directory log, seals a package to Alice carrying that directory's signed
 * head. The committed bytes (v2-gossip.medseal, with v2-gossip.json: the
 * directory key, the head and its signed message) are reproduced; Alice
 * opens it and reads the member; the head's signature verifies with the
 * directory key over the organisation's name; and the independent Python
 * reader opens the package with the member in its canonical place.
 * Regenerate (only for a deliberate format change) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ed25519Verify, sha256 } from '../../main/crypto/primitives.js';
import { sodium } from '../../main/crypto/sodium.js';
import { appendEntries, headMessage, signDirectory } from '../../main/directory/directory-log.js';
import { partnerIdOf } from '../../main/directory/partner.js';
import type { GossipHead } from '../../main/package/gossip-head.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { drawsFrom, headerLength, hex, HERE, seed, vectorIdentities, WRITE } from './vector-inputs.js';

const RANDOM = { salt: Buffer.alloc(32, 0x61), fileKey: Buffer.alloc(32, 0x62), encapsulation: Buffer.alloc(64, 0x63) };
const SEALED_AT = new Date('2026-12-01T10:00:00.000Z');
const ISSUED_AT = new Date('2026-12-01T09:00:00.000Z');
const FILE = { name: 'referral.txt', content: Buffer.from('Referral (synthetic test data, no real patient).\n') };

async function gossipVector(folder: string) {
  const { alice, bob } = await vectorIdentities(true);
  const directoryKey = sodium().crypto_sign_seed_keypair(seed(0xd1));
  const file = signDirectory({
    organisation: 'Vector Clinic',
    publicKey: directoryKey.publicKey,
    secretKey: directoryKey.privateKey,
    entries: appendEntries([], [{ op: 'add', card: bob.card }], ISSUED_AT),
    issuedAt: ISSUED_AT,
    validDays: 30,
  });
  const key = Buffer.from(directoryKey.publicKey).toString('base64');
  const head: GossipHead = { org: partnerIdOf(key), ...file.head };
  await writeFile(join(folder, FILE.name), FILE.content);
  const output = join(folder, 'v2-gossip.medseal');
  const sealed = await sealPackage({
    sender: bob,
    recipients: [alice.card],
    files: [{ path: join(folder, FILE.name) }],
    note: '',
    directoryHead: head,
    output,
    chunkSizeLog2: 12,
    now: SEALED_AT,
    random: drawsFrom([RANDOM.salt, RANDOM.fileKey, RANDOM.encapsulation]),
  });
  return { alice, bob, key, directoryKey, file, head, sealed, output, bytes: await readFile(output) };
}

describe('package vector v2-gossip (directoryHead)', () => {
  it('the fixed inputs give exactly the committed package; Alice reads the head, which the key signed', async () => {
    const vector = await gossipVector(await tempFolder());
    const description = {
      description:
        "Package format v2 with the optional directoryHead member: Bob seals one file to Alice, carrying the signed head of his organisation's directory (one entry: Bob's card), chunk size 4096.",
      identities: 'as in v2-basic.json (sender bob, recipient alice)',
      randomness: { salt: hex(RANDOM.salt), fileKey: hex(RANDOM.fileKey), encapsulation: [hex(RANDOM.encapsulation)] },
      createdAt: SEALED_AT.toISOString(),
      directory: {
        organisation: 'Vector Clinic',
        keySeed: hex(seed(0xd1)),
        key: vector.key,
        head: vector.head,
        headMessageHex: hex(headMessage('Vector Clinic', vector.file.head)),
      },
      packageFile: 'v2-gossip.medseal',
      headerBytes: headerLength(vector.bytes),
      packageSha256: hex(sha256(vector.bytes)),
      packageHash: vector.sealed.packageHash,
    };
    if (WRITE) {
      await writeFile(join(HERE, 'v2-gossip.medseal'), vector.bytes);
      await writeFile(join(HERE, 'v2-gossip.json'), `${JSON.stringify(description, null, 2)}\n`);
    }
    expect(vector.bytes.equals(await readFile(join(HERE, 'v2-gossip.medseal')))).toBe(true);
    expect(JSON.parse(await readFile(join(HERE, 'v2-gossip.json'), 'utf8'))).toEqual(description);
    const opened = await openPackage(join(HERE, 'v2-gossip.medseal'), vector.alice);
    expect(opened.metadata.directoryHead).toEqual(vector.head);
    await opened.close();
    expect(
      ed25519Verify(
        vector.directoryKey.publicKey,
        headMessage('Vector Clinic', vector.head),
        Buffer.from(vector.head.signature, 'hex'),
      ),
    ).toBe(true);
  });

  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  it.runIf(available || process.env.CI)('the independent Python reader opens it, the member in its place', async () => {
    const { alice } = await vectorIdentities(true);
    const keys = [hex(alice.encryptionSecretKey), hex(alice.card.signingKey), hex(alice.card.encryptionKey), hex(alice.pqSecretKey!)];
    const read = spawnSync(python, [join(HERE, 'independent_reader.py'), join(HERE, 'v2-gossip.medseal'), ...keys], {
      encoding: 'utf8',
    });
    expect(JSON.parse(read.stdout)).toMatchObject({ files: [{ name: FILE.name, sha256: hex(sha256(FILE.content)) }], version: 2 });
  });
});
