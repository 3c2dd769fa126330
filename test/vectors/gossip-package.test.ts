/**
 * The `directoryHead` metadata member (FORMAT.md §2.4, §11: gossip) read by
 * the independent Python reader: a package carrying a signed head opens
 * there as in MedSeal, with the member in its canonical place (the reader
 * checks the members' order and the head's shape).
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../main/crypto/primitives.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import type { GossipHead } from '../../main/package/gossip-head.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { hex, HERE, vectorIdentities } from './vector-inputs.js';

const HEAD: GossipHead = {
  org: 'ab'.repeat(32),
  seq: 7,
  hash: 'cd'.repeat(32),
  issuedAt: '2026-12-01T09:00:00.000Z',
  validUntil: '2026-12-31T09:00:00.000Z',
  signature: 'ef'.repeat(64),
};

describe('a package carrying its sender organisation’s directory head', () => {
  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  it.runIf(available || process.env.CI)('opens in MedSeal and in the independent reader, with the member as written', async () => {
    const { alice, bob } = await vectorIdentities();
    const folder = await tempFolder();
    const content = Buffer.from('Referral (synthetic test data, no real patient)\n');
    await writeFile(join(folder, 'letter.txt'), content);
    const output = join(folder, 'gossip.medseal');
    await sealPackage({ sender: alice, recipients: [bob.card], files: [{ path: join(folder, 'letter.txt') }], output, directoryHead: HEAD });
    const opened = await openPackage(output, bob);
    expect(opened.metadata.directoryHead).toEqual(HEAD);
    await opened.close();
    const keys = [hex(bob.encryptionSecretKey), hex(bob.card.signingKey), hex(bob.card.encryptionKey)];
    const read = spawnSync(python, [join(HERE, 'independent_reader.py'), output, ...keys], { encoding: 'utf8' });
    expect(JSON.parse(read.stdout)).toMatchObject({ sender: 'Alice Vector', files: [{ sha256: hex(sha256(content)) }] });
  });
});
