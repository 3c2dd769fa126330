/**
 * Attacks on a sealed package: every region flipped, every kind of
 * truncation, chunks swapped or duplicated, headers swapped between
 * packages, trailing data, wrong recipient. Each must fail with its own
 * error, and the destination folder must stay empty.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { MedSealError } from '../../main/errors/medseal-error.js';
import {
  NotAMedSealPackage,
  NotARecipient,
  PackageMalformed,
  PackageTampered,
  PackageTruncated,
  UnsupportedPackageVersion,
} from '../../main/package/errors.js';
import { fastIdentity } from '../helpers/identities.js';
import { layoutOf, openSample, sealSample, type Layout } from '../helpers/packages.js';
import { listFolder, tempFolder } from '../helpers/temp-folder.js';

const CS = 4096;
const SIZES = [CS + 100, 2 * CS, 50]; // 3 files, 4 chunks in total (the last one partial)
const TOTAL = SIZES.reduce((a, b) => a + b, 0);

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let carol: UnlockedIdentity;
let original: Buffer;
let layout: Layout;

beforeAll(async () => {
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
  carol = await fastIdentity('Carol');
  const folder = await tempFolder('medseal-rejections-');
  const sample = await sealSample({
    folder,
    sender: alice,
    recipients: [bob.card, carol.card],
    sizes: SIZES,
    note: 'note',
  });
  original = await readFile(sample.path);
  layout = layoutOf(original, TOTAL);
  expect(layout.chunks).toHaveLength(4);
});

/**
 * Opens `bytes` as Bob into a fresh folder; returns the error and proves nothing was written.
 * `threads`: chunk worker threads (0 = the calling thread), set per block below.
 */
async function attemptOpen(bytes: Buffer, who: UnlockedIdentity = bob, threads = 0): Promise<MedSealError> {
  const folder = await tempFolder();
  const path = join(folder, 'attacked.medseal');
  await writeFile(path, bytes);
  const out = join(folder, 'out');
  await mkdir(out);
  const error = await openSample(path, who, out, threads).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(await listFolder(out)).toEqual([]);
  expect(error).toBeInstanceOf(MedSealError);
  return error as MedSealError;
}

function flipped(offset: number, mask = 0x01): Buffer {
  const copy = Buffer.from(original);
  copy[offset]! ^= mask;
  return copy;
}

describe('a flipped byte in every region is detected with a specific error', () => {
  it('the original opens (control)', async () => {
    const folder = await tempFolder();
    const path = join(folder, 'ok.medseal');
    await writeFile(path, original);
    expect((await openSample(path, bob, join(folder, 'out'))).map((b) => b.length)).toEqual(SIZES);
  });

  it.each([0, 3, 6])('magic byte %i → NotAMedSealPackage', async (offset) => {
    expect(await attemptOpen(flipped(offset))).toBeInstanceOf(NotAMedSealPackage);
  });

  it('version byte → UnsupportedPackageVersion', async () => {
    expect(await attemptOpen(flipped(7))).toBeInstanceOf(UnsupportedPackageVersion);
  });

  it('chunk-size byte (still in range) → header MAC fails', async () => {
    const error = await attemptOpen(flipped(8));
    expect(error).toBeInstanceOf(PackageTampered);
    expect((error as PackageTampered).region).toBe('header');
  });

  it('chunk-size byte out of range, recipient count 0 → PackageMalformed', async () => {
    expect(await attemptOpen(flipped(8, 0xff))).toBeInstanceOf(PackageMalformed);
    const zeroRecipients = Buffer.from(original);
    zeroRecipients.writeUInt16BE(0, 10);
    expect(await attemptOpen(zeroRecipients)).toBeInstanceOf(PackageMalformed);
  });

  it('a flag bit of a later format → UnsupportedPackageVersion; the recovery flag set by an outsider → header MAC fails', async () => {
    expect(await attemptOpen(flipped(9, 0x80))).toBeInstanceOf(UnsupportedPackageVersion);
    expect(await attemptOpen(flipped(9, 0x01))).toBeInstanceOf(PackageTampered);
  });

  it.each([12, 27, 43])('salt byte %i → header MAC fails', async (offset) => {
    expect(await attemptOpen(flipped(offset))).toBeInstanceOf(PackageTampered);
  });

  it.each([44, 60, 75])('ephemeral key byte %i → no stanza opens (NotARecipient)', async (offset) => {
    expect(await attemptOpen(flipped(offset))).toBeInstanceOf(NotARecipient);
  });

  it("the reader's own stanza → NotARecipient; another recipient's stanza → header MAC fails", async () => {
    expect(await attemptOpen(flipped(layout.stanzaOffsets[0]! + 5))).toBeInstanceOf(NotARecipient);
    const error = await attemptOpen(flipped(layout.stanzaOffsets[1]! + 47));
    expect(error).toBeInstanceOf(PackageTampered);
    expect((error as PackageTampered).region).toBe('header');
  });

  it('metadata length, metadata ciphertext and header MAC → header MAC fails', async () => {
    for (const offset of [
      layout.metadataLengthOffset + 3,
      layout.metadataStart,
      layout.metadataStart + 40,
      layout.macStart - 1,
      layout.macStart,
      layout.headerLength - 1,
    ]) {
      const error = await attemptOpen(flipped(offset));
      expect(error, `offset ${offset}`).toBeInstanceOf(PackageTampered);
      expect((error as PackageTampered).region).toBe('header');
    }
  });

  it('metadata length far out of range → PackageMalformed', async () => {
    expect(await attemptOpen(flipped(layout.metadataLengthOffset, 0x80))).toBeInstanceOf(PackageMalformed);
  });
});

// The payload attacks run twice: chunks checked on this thread, and on worker threads.
describe.each([0, 2])('payload attacks, chunks opened with %i worker threads', (threads) => {
  const attempt = (bytes: Buffer, who: UnlockedIdentity = bob) => attemptOpen(bytes, who, threads);

  it('every chunk (first byte, a middle byte, the data-signature boundary, the tag) → that chunk is tampered', async () => {
    for (const [index, chunk] of layout.chunks.entries()) {
      const offsets = [
        chunk.offset,
        chunk.offset + Math.floor(chunk.length / 2),
        chunk.offset + chunk.length - 80,
        chunk.offset + chunk.length - 1,
      ];
      for (const offset of offsets) {
        const error = await attempt(flipped(offset));
        expect(error, `chunk ${index} offset ${offset}`).toBeInstanceOf(PackageTampered);
        expect((error as PackageTampered).chunkIndex).toBe(index);
      }
    }
  });

  it('truncation at every chunk boundary → PackageTruncated', async () => {
    for (const chunk of layout.chunks)
      expect(await attempt(original.subarray(0, chunk.offset))).toBeInstanceOf(PackageTruncated);
  });

  it('truncation mid-chunk and inside the header → PackageTruncated', async () => {
    for (const chunk of layout.chunks) {
      expect(await attempt(original.subarray(0, chunk.offset + 1))).toBeInstanceOf(PackageTruncated);
      expect(await attempt(original.subarray(0, chunk.offset + chunk.length - 1))).toBeInstanceOf(PackageTruncated);
    }
    for (const end of [8, 40, layout.stanzaOffsets[1]!, layout.metadataStart + 10, layout.headerLength - 1]) {
      expect(await attempt(original.subarray(0, end)), `end ${end}`).toBeInstanceOf(PackageTruncated);
    }
    expect(await attempt(original.subarray(0, 3))).toBeInstanceOf(NotAMedSealPackage);
  });

  it('data appended after the last chunk → tampered (trailing data)', async () => {
    const error = await attempt(Buffer.concat([original, Buffer.from([0])]));
    expect((error as PackageTampered).region).toBe('trailing-data');
  });

  it('chunks 0 and 1 swapped → tampered at position 0 (chunks are bound to their position)', async () => {
    const [c0, c1] = layout.chunks;
    const swapped = Buffer.from(original);
    original.copy(swapped, c0!.offset, c1!.offset, c1!.offset + c1!.length);
    original.copy(swapped, c1!.offset, c0!.offset, c0!.offset + c0!.length);
    const error = await attempt(swapped);
    expect(error).toBeInstanceOf(PackageTampered);
    expect((error as PackageTampered).chunkIndex).toBe(0);
  });

  it('a chunk duplicated in place of the next → tampered at that position', async () => {
    const [c0, c1] = layout.chunks;
    const duplicated = Buffer.from(original);
    original.copy(duplicated, c1!.offset, c0!.offset, c0!.offset + c0!.length);
    const error = await attempt(duplicated);
    expect((error as PackageTampered).chunkIndex).toBe(1);
  });

  it('a chunk duplicated by insertion → rejected (length no longer matches)', async () => {
    const c1 = layout.chunks[1]!;
    const inserted = Buffer.concat([
      original.subarray(0, c1.offset + c1.length),
      original.subarray(c1.offset, c1.offset + c1.length),
      original.subarray(c1.offset + c1.length),
    ]);
    expect(await attempt(inserted)).toBeInstanceOf(PackageTampered);
  });

  it('the header of one package with the body of another → the first chunk fails', async () => {
    const folder = await tempFolder();
    const other = await sealSample({
      folder,
      sender: alice,
      recipients: [bob.card, carol.card],
      sizes: SIZES,
      note: 'note',
      seed: 99,
    });
    const otherBytes = await readFile(other.path);
    const otherLayout = layoutOf(otherBytes, TOTAL);
    expect(otherLayout.headerLength).toBe(layout.headerLength);
    const spliced = Buffer.concat([
      original.subarray(0, layout.headerLength),
      otherBytes.subarray(otherLayout.headerLength),
    ]);
    const error = await attempt(spliced);
    expect(error).toBeInstanceOf(PackageTampered);
    expect((error as PackageTampered).chunkIndex).toBe(0);
  });
});

describe('packages not meant for this reader', () => {
  it('someone not among the recipients → NotARecipient', async () => {
    expect(await attemptOpen(original, await fastIdentity('Mallory'))).toBeInstanceOf(NotARecipient);
  });

  it('a file that is not a package at all → NotAMedSealPackage', async () => {
    expect(await attemptOpen(Buffer.from('%PDF-1.7 not a package'))).toBeInstanceOf(NotAMedSealPackage);
    expect(await attemptOpen(Buffer.alloc(0))).toBeInstanceOf(NotAMedSealPackage);
  });
});
