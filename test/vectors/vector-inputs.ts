/**
 * What the test vectors of docs/FORMAT.md share: the fixed identities,
 * randomness, time, files and note, and the helpers that mutate a package
 * and collect the error code each mutation is refused with.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { MedSealError } from '../../main/errors/medseal-error.js';
import type { PackageReader } from '../../main/package/header.js';
import { openPackage } from '../../main/package/open.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

export const HERE = join(process.cwd(), 'test', 'vectors');
export const WRITE = process.env.MEDSEAL_WRITE_VECTORS === '1';
export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
export const seed = (byte: number) => Buffer.alloc(32, byte);

/** The randomness the sealer draws, in order: salt, file key, ephemeral X25519 secret. */
export const RANDOM = { salt: Buffer.alloc(32, 0x11), fileKey: Buffer.alloc(32, 0x22), ephemeralSecret: Buffer.alloc(32, 0x33) };
/** Version 2 draws salt, file key, then 64 bytes of X-Wing encapsulation randomness per recipient. */
export const RANDOM_V2 = { salt: RANDOM.salt, fileKey: RANDOM.fileKey, encapsulation: [Buffer.alloc(64, 0x44), Buffer.alloc(64, 0x55)] };
export const CREATED_AT = new Date('2026-11-29T12:00:00.000Z');
export const FILES = [
  { name: 'referral-letter.txt', content: Buffer.from('Referral letter (synthetic test data, no real patient).\n') },
  { name: 'scan.bin', content: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) & 0xff)) },
];
export const NOTE = 'Test vector note: please review.';

/** The vector identities: version 1 cards (made before post-quantum keys), or version 2 with the same classical keys. */
export async function vectorIdentities(postQuantum = false) {
  const make = (name: string, byte: number) => fastIdentity(name, seed(byte), { postQuantum });
  return { alice: await make('Alice Vector', 0xa1), bob: await make('Bob Vector', 0xb2), carol: await make('Carol Vector', 0xc3) };
}

export type Mutation = { name: string; apply: (b: Buffer) => Buffer };

/** Opens each mutation of `original` as `reader`; the error code each is refused with, by name. */
export async function mutationCodes(original: Buffer, mutations: readonly Mutation[], reader: PackageReader): Promise<Record<string, string>> {
  const outcomes: Record<string, string> = {};
  for (const mutation of mutations) {
    const folder = await tempFolder();
    const path = join(folder, 'm.medseal');
    await writeFile(path, mutation.apply(original));
    const error = await openPackage(path, reader).then(
      async (opened) => opened.extractTo(folder).then(() => null, (caught: unknown) => caught).finally(() => opened.close()),
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MedSealError);
    outcomes[mutation.name] = (error as MedSealError).code;
  }
  return outcomes;
}

export function flip(bytes: Buffer, offset: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset]! ^= 0x01;
  return copy;
}

export function withByte(bytes: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset] = value;
  return copy;
}

/** The header length of a version 1 or 2 package (docs/FORMAT.md §2.1, §2.11; §2.13: a passphrase stanza, flag bit 1). */
export function headerLength(bytes: Buffer): number {
  const count = bytes.readUInt16BE(10);
  const passphrase = bytes[7] === 2 && (bytes[9]! & 0x02) !== 0 ? 72 : 0;
  const lengthAt = (bytes[7] === 2 ? 44 + 1168 * count : 76 + 48 * count) + passphrase;
  return lengthAt + 4 + bytes.readUInt32BE(lengthAt) + 32;
}


/** The sealer's randomness as a fixed queue: each draw must be the next buffer, of the length asked for. */
export function drawsFrom(queue: Buffer[]): (length: number) => Buffer {
  return (length) => {
    const next = queue.shift();
    if (!next || next.length !== length) throw new Error('unexpected draw of randomness');
    return next;
  };
}
