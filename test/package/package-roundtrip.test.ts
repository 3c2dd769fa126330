import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { openPackage } from '../../main/package/open.js';
import { inspectPackage } from '../../main/package/inspect.js';
import { fastIdentity } from '../helpers/identities.js';
import { digests, layoutOf, openSample, sealSample } from '../helpers/packages.js';
import { listFolder, tempFolder } from '../helpers/temp-folder.js';

const CS = 4096; // chunkSizeLog2 = 12 in these tests

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;

beforeAll(async () => {
  alice = await fastIdentity('Alice Sender');
  bob = await fastIdentity('Bob Receiver');
});

describe('sealing then opening returns exactly the original files', () => {
  const cases: [string, number[]][] = [
    ['an empty file', [0]],
    ['one byte', [1]],
    ['chunk size - 1', [CS - 1]],
    ['exactly one chunk', [CS]],
    ['chunk size + 1', [CS + 1]],
    ['exactly two chunks', [2 * CS]],
    ['many chunks', [37 * CS + 123]],
    ['several files crossing chunk boundaries', [CS - 10, 0, 3 * CS + 5, 1, CS]],
    ['several empty files', [0, 0, 0]],
  ];
  it.each(cases)('%s', async (_label, sizes) => {
    const folder = await tempFolder();
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes,
      note: 'Referral: see attached',
    });
    const out = join(folder, 'out');
    expect(digests(await openSample(sample.path, bob, out))).toEqual(digests(sample.contents));
    expect(await listFolder(out)).toEqual([...sample.names].sort());
  });

  it('works with the default 1 MiB chunk size across a chunk boundary', async () => {
    const folder = await tempFolder();
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: [2 ** 20 + 1, 5],
      chunkSizeLog2: 20,
    });
    expect(digests(await openSample(sample.path, bob, join(folder, 'out')))).toEqual(digests(sample.contents));
  });
});

describe('recipients', () => {
  it('a package for 100 recipients opens for the first, a middle and the last', async () => {
    const recipients = await Promise.all(Array.from({ length: 100 }, (_, i) => fastIdentity(`Recipient ${i}`)));
    const folder = await tempFolder();
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: recipients.map((r) => r.card),
      sizes: [3 * CS + 9],
    });
    for (const index of [0, 57, 99]) {
      expect(digests(await openSample(sample.path, recipients[index]!, join(folder, `out-${index}`)))).toEqual(
        digests(sample.contents),
      );
    }
    expect((await inspectPackage(sample.path)).recipientCount).toBe(100);
  });

  it('the sender, file names, sizes and note are visible only after decryption', async () => {
    const folder = await tempFolder();
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card],
      sizes: [10],
      note: 'Patient Zebedee Quartermain MRN 998877',
    });
    const bytes = await readFile(sample.path);
    for (const secret of ['Zebedee', '998877', 'file-1.bin', 'Alice Sender', alice.card.profile.email]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    expect(bytes.includes(Buffer.from(alice.card.signingKey))).toBe(false);
    const opened = await openPackage(sample.path, bob);
    expect(opened.metadata.sender.profile.name).toBe('Alice Sender');
    expect(opened.metadata.note).toBe('Patient Zebedee Quartermain MRN 998877');
    expect(opened.metadata.files).toEqual([{ name: 'file-1.bin', size: 10 }]);
    await opened.close();
  });
});

describe('random access', () => {
  it('any chunk can be decrypted and verified on its own', async () => {
    const folder = await tempFolder();
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [5 * CS + 17] });
    const opened = await openPackage(sample.path, bob);
    expect(opened.chunkCount).toBe(6);
    expect(await opened.readChunk(3)).toEqual(sample.contents[0]!.subarray(3 * CS, 4 * CS));
    expect(await opened.readChunk(5)).toEqual(sample.contents[0]!.subarray(5 * CS));
    await opened.close();
  });

  it('inspect reports what an outsider can compute, and nothing else', async () => {
    const folder = await tempFolder();
    const sample = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card, alice.card],
      sizes: [2 * CS + 1, 7],
    });
    const info = await inspectPackage(sample.path);
    const bytes = await readFile(sample.path);
    expect(info).toMatchObject({
      formatVersion: 2,
      recipientCount: 2,
      chunkSizeBytes: CS,
      contentBytes: 2 * CS + 8,
      chunkCount: 3,
      packageBytes: bytes.length,
    });
    expect(info.headerBytes).toBe(layoutOf(bytes, 2 * CS + 8).headerLength);
  });
});
