/**
 * Test vector for the `directoryHead` member of a receipt (docs/FORMAT.md
 * §5.1, §11: gossip): Alice, whose organisation "Vector Hospital" lists her
 * in its directory log (key from seed d2), answers Bob's v2-gossip.medseal
 * with a receipt carrying that directory's signed head, with a fixed
 * ephemeral key and time. The committed bytes (v2-gossip-receipt.medseal-
 * receipt, with v2-gossip-receipt.json) are reproduced; Bob reads the head,
 * which the key signed; the independent Python reader reads it too, and both
 * refuse a head that is not in its one form.
 * Regenerate (only for a deliberate format change) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sodium } from '../../main/crypto/sodium.js';
import { appendEntries, signDirectory } from '../../main/directory/directory-log.js';
import { headSignedBy } from '../../main/directory/head-gossip.js';
import { partnerIdOf } from '../../main/directory/partner.js';
import { InvalidReceipt } from '../../main/package/errors.js';
import type { GossipHead } from '../../main/package/gossip-head.js';
import { createReceipt, decryptReceipt } from '../../main/package/receipt.js';
import { hex, HERE, seed, vectorIdentities, WRITE } from './vector-inputs.js';

const EPHEMERAL = Buffer.alloc(32, 0x45);
const AT = '2026-12-01T11:00:00.000Z';
const ISSUED_AT = new Date('2026-12-01T08:00:00.000Z');
const FILE = 'v2-gossip-receipt.medseal-receipt';

async function gossipReceipt() {
  const { alice, bob } = await vectorIdentities(true);
  const directoryKey = sodium().crypto_sign_seed_keypair(seed(0xd2));
  const file = signDirectory({
    organisation: 'Vector Hospital',
    publicKey: directoryKey.publicKey,
    secretKey: directoryKey.privateKey,
    entries: appendEntries([], [{ op: 'add', card: alice.card }], ISSUED_AT),
    issuedAt: ISSUED_AT,
    validDays: 30,
  });
  const key = Buffer.from(directoryKey.publicKey).toString('base64');
  const head: GossipHead = { org: partnerIdOf(key), ...file.head };
  const packageHash = (JSON.parse(await readFile(join(HERE, 'v2-gossip.json'), 'utf8')) as { packageHash: string })
    .packageHash;
  const body = { package: packageHash, outcome: 'opened' as const, reason: null, at: AT, directoryHead: head };
  return { alice, bob, key, directoryKey, head, body, receipt: createReceipt(alice, bob.card, body, EPHEMERAL) };
}

describe('receipt vector v2-gossip-receipt (directoryHead)', () => {
  it('the fixed inputs give exactly the committed receipt; Bob reads the head, which the key signed', async () => {
    const vector = await gossipReceipt();
    const description = {
      note: "Alice Vector (seed a1) to Bob Vector (seed b2) about v2-gossip.medseal, carrying the head of her organisation's directory (one entry: Alice's card); identities as in v2-basic.json",
      ephemeralSecret: hex(EPHEMERAL),
      directory: { organisation: 'Vector Hospital', keySeed: hex(seed(0xd2)), key: vector.key, head: vector.head },
      body: decryptReceipt(vector.bob, vector.receipt).json.toString('utf8'),
    };
    if (WRITE) {
      await writeFile(join(HERE, FILE), vector.receipt);
      await writeFile(join(HERE, 'v2-gossip-receipt.json'), `${JSON.stringify(description, null, 2)}\n`);
    }
    expect(vector.receipt.equals(await readFile(join(HERE, FILE)))).toBe(true);
    expect(JSON.parse(await readFile(join(HERE, 'v2-gossip-receipt.json'), 'utf8'))).toEqual(description);
    const { body } = decryptReceipt(vector.bob, vector.receipt);
    expect(body.directoryHead).toEqual(vector.head);
    expect(headSignedBy(vector.directoryKey.publicKey, 'Vector Hospital', body.directoryHead!)).toBe(true);
  });

  it('a head out of its one form is refused (the check that writers and readers share)', async () => {
    const vector = await gossipReceipt();
    const { org: _org, ...withoutOrg } = vector.head;
    const malformed = { ...vector.body, directoryHead: withoutOrg as unknown as GossipHead };
    expect(() => createReceipt(vector.alice, vector.bob.card, malformed)).toThrow(InvalidReceipt);
    const padded = { ...vector.body, directoryHead: { ...vector.head, seq: -1 } };
    expect(() => createReceipt(vector.alice, vector.bob.card, padded)).toThrow(InvalidReceipt);
  });

  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  it.runIf(available || process.env.CI)('the independent Python reader reads it, the member last', async () => {
    const { alice, bob } = await vectorIdentities(true);
    const read = spawnSync(
      python,
      [
        join(HERE, 'independent_reader.py'),
        'receipt',
        join(HERE, FILE),
        hex(bob.encryptionSecretKey),
        hex(bob.card.encryptionKey),
        hex(alice.card.signingKey),
      ],
      { encoding: 'utf8' },
    );
    const fields = JSON.parse(read.stdout) as Record<string, unknown>;
    expect(Object.keys(fields)).toEqual(['v', 'package', 'sender', 'recipient', 'outcome', 'reason', 'at', 'directoryHead']);
    expect(fields.directoryHead).toEqual((await gossipReceipt()).head);
  });
});
