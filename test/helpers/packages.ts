/** Helpers to seal test packages and to locate every region of one on disk. */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import type { ContactCard } from '../../main/identity/contact-card.js';
import { sealPackage, type SealOptions } from '../../main/package/seal.js';
import type { PackageReader } from '../../main/package/header.js';
import { openPackage } from '../../main/package/open.js';
import {
  CHUNK_OVERHEAD_BYTES,
  chunkCount,
  HEADER_MAC_BYTES,
  versionLayout,
  type FormatVersion,
} from '../../main/package/format.js';
import { writeSample } from './temp-folder.js';
import { sha256 } from '../../main/crypto/primitives.js';
import { fixedField } from '../../main/package/layout.js';

/** SHA-256 of each buffer: compares large contents quickly and prints readably on failure. */
export function digests(buffers: readonly Uint8Array[]): string[] {
  return buffers.map((buffer) => `${buffer.length}:${sha256(buffer).toString('hex')}`);
}

export interface SealedSample {
  readonly path: string;
  readonly contents: Buffer[];
  readonly names: string[];
}

export async function sealSample(options: {
  folder: string;
  sender: UnlockedIdentity;
  recipients: readonly ContactCard[];
  sizes: readonly number[];
  chunkSizeLog2?: number;
  note?: string;
  name?: string;
  seed?: number;
  /** Chunk worker threads (0 = the calling thread); default: chosen by size. */
  threads?: number;
  /** An organisation recovery key card (docs/FORMAT.md §2.12). */
  recoveryKey?: ContactCard;
  /** A passphrase recipient and the Argon2id key of their passphrase (docs/FORMAT.md §2.13). */
  passphrase?: SealOptions['passphrase'];
}): Promise<SealedSample> {
  const inputs = join(options.folder, `in-${options.name ?? 'pkg'}`);
  await mkdir(inputs, { recursive: true });
  const names = options.sizes.map((_, index) => `file-${index + 1}.bin`);
  const contents: Buffer[] = [];
  for (const [index, size] of options.sizes.entries())
    contents.push(await writeSample(join(inputs, names[index]!), size, (options.seed ?? 7) + index));
  const path = join(options.folder, `${options.name ?? 'pkg'}.medseal`);
  await sealPackage({
    sender: options.sender,
    recipients: options.recipients,
    recoveryKey: options.recoveryKey ?? null,
    passphrase: options.passphrase ?? null,
    files: names.map((name) => ({ path: join(inputs, name) })),
    note: options.note,
    output: path,
    chunkSizeLog2: options.chunkSizeLog2 ?? 12,
    threads: options.threads,
  });
  return { path, contents, names };
}

/** Opens and extracts; returns the extracted contents in package order. */
export async function openSample(
  path: string,
  identity: PackageReader,
  outFolder: string,
  threads?: number,
): Promise<Buffer[]> {
  await mkdir(outFolder, { recursive: true });
  const opened = await openPackage(path, identity);
  try {
    const result = await opened.extractTo(outFolder, { threads });
    return Promise.all(result.paths.map((file) => readFile(file)));
  } finally {
    await opened.close();
  }
}

export interface Layout {
  readonly headerLength: number;
  readonly recipientCount: number;
  readonly stanzaOffsets: number[];
  readonly metadataLengthOffset: number;
  readonly metadataStart: number;
  readonly macStart: number;
  readonly chunks: { offset: number; length: number }[];
}

/** Where each region of a package (either format version) lies, from its bytes and its known content size. */
export function layoutOf(bytes: Buffer, totalBytes: number): Layout {
  const chunkSize = 2 ** fixedField(bytes, 'chunkSizeLog2')[0]!;
  const recipientCount = fixedField(bytes, 'recipientCount').readUInt16BE();
  const { fixedBytes, stanzaBytes } = versionLayout(fixedField(bytes, 'version')[0] as FormatVersion);
  const stanzaOffsets = Array.from({ length: recipientCount }, (_, i) => fixedBytes + i * stanzaBytes);
  const metadataLengthOffset = fixedBytes + recipientCount * stanzaBytes;
  const metadataStart = metadataLengthOffset + 4;
  const macStart = metadataStart + bytes.readUInt32BE(metadataLengthOffset);
  const headerLength = macStart + HEADER_MAC_BYTES;
  const count = chunkCount(totalBytes, chunkSize);
  const chunks = Array.from({ length: count }, (_, i) => {
    const dataLength = i === count - 1 ? totalBytes - i * chunkSize : chunkSize;
    return { offset: headerLength + i * (chunkSize + CHUNK_OVERHEAD_BYTES), length: dataLength + CHUNK_OVERHEAD_BYTES };
  });
  return { headerLength, recipientCount, stanzaOffsets, metadataLengthOffset, metadataStart, macStart, chunks };
}
