/**
 * MedSeal Reader's core: a passphrase package (docs/FORMAT.md §2.13) opened
 * in a browser, with the same code the app opens it with. The header, the
 * passphrase stanza's parameters, the metadata and the sender's signatures
 * are read by main/package/ itself; Argon2id is libsodium's, as in the app.
 * Only two things differ, both because a page has no files and no threads:
 * the package is read from a File (Blob slices), and each payload chunk is
 * decrypted with WebCrypto's AES-GCM (native, asynchronous) before the core
 * checks the sender's signature over it (package/payload/chunk.ts).
 *
 * Nothing reaches a save target unverified for good: the caller's targets
 * (reader-targets.ts) keep what they are given until `close`, which comes
 * only after every chunk of every chosen file has verified; on any failure
 * they are aborted and nothing is saved.
 */
import { deriveKeyHere } from '../crypto/argon2id.js';
import { loadSodium } from '../crypto/sodium.js';
import { CHUNK_OVERHEAD_BYTES, chunkCount, payloadLength } from '../package/format.js';
import { openHeader, readPublicHeader, type OpenedHeader, type ReadAt } from '../package/header-reader.js';
import { chunkNonce, wipePackageKeys } from '../package/key-schedule.js';
import { totalSize, type PackageMetadata } from '../package/metadata.js';
import { chunkSignatureValid } from '../package/payload/chunk.js';
import { fileRanges } from '../package/payload/payload-ranges.js';
import { createPassphraseReceipt } from '../package/passphrase-receipt.js';
import { passphraseArgon2Params, passphraseReceiptKey } from '../package/passphrase-stanza.js';
import { parsePackagePassphrase } from '../package/passphrase-words.js';
import { NotARecipient, PackageTampered, PackageTruncated, SignatureInvalid } from '../package/errors.js';

/** The package file as the page has it (a File). */
export interface PackageBlob {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Where one opened file goes: kept until `close` (then saved) or `abort` (then gone). */
export interface SaveTarget {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

export interface SaveProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

function readAtFrom(blob: PackageBlob): ReadAt {
  return async (position, length) => {
    const end = Math.min(blob.size, position + length);
    if (end <= position) return Buffer.alloc(0);
    return Buffer.from(await blob.slice(position, end).arrayBuffer());
  };
}

/** Every chunk verified, but saving failed after the files `saved` (by index) were in place; the others are not. */
export class SavedInPart extends Error {
  constructor(
    readonly saved: readonly number[],
    readonly reason: unknown,
  ) {
    super('Some of the files were saved, the others not');
    this.name = 'SavedInPart';
  }
}

/** A package whose header opened with the passphrase: shown first, then saved file by file or all. */
export class ReaderPackage {
  readonly metadata: PackageMetadata;
  readonly packageHash: string;
  readonly totalBytes: number;
  private readonly chunkSize: number;
  private readonly chunks: number;
  private payloadKey: CryptoKey | null = null;

  private constructor(
    private readonly blob: PackageBlob,
    private readonly header: OpenedHeader,
    private readonly receiptKey: Buffer,
  ) {
    this.metadata = header.metadata;
    this.packageHash = header.hash.toString('hex');
    this.totalBytes = totalSize(header.metadata.files);
    this.chunkSize = 2 ** header.raw.chunkSizeLog2;
    this.chunks = chunkCount(this.totalBytes, this.chunkSize);
  }

  /**
   * Checks the words (a mistyped one is named by position before Argon2id runs), derives the key
   * under the package's own checked parameters and verifies the header and the sender's signature.
   * Throws the package's typed errors: not a passphrase package, wrong passphrase, tampered, …
   */
  static async open(blob: PackageBlob, typed: string): Promise<ReaderPackage> {
    const passphrase = parsePackagePassphrase(typed);
    await loadSodium();
    const readAt = readAtFrom(blob);
    const publicHeader = await readPublicHeader(readAt);
    if (!publicHeader.passphraseKdf) throw new NotARecipient('passphrase');
    if (blob.size < publicHeader.headerLength) throw new PackageTruncated();
    const raw = await publicHeader.readRest();
    const request = {
      passphrase: new TextEncoder().encode(passphrase),
      ...passphraseArgon2Params(publicHeader.passphraseKdf),
    };
    let key: Uint8Array;
    try {
      key = deriveKeyHere(request);
    } finally {
      request.passphrase.fill(0);
    }
    const passphraseKey = { kdf: publicHeader.passphraseKdf, key };
    let header: OpenedHeader;
    let receiptKey: Buffer;
    try {
      header = openHeader(raw, { passphraseKey });
      receiptKey = passphraseReceiptKey(passphraseKey);
    } finally {
      key.fill(0);
    }
    const opened = new ReaderPackage(blob, header, receiptKey);
    const expected = raw.headerLength + payloadLength(opened.totalBytes, opened.chunkSize);
    if (blob.size < expected || blob.size > expected) {
      opened.close();
      throw blob.size < expected ? new PackageTruncated() : new PackageTampered('trailing-data');
    }
    return opened;
  }

  /**
   * Decrypts and verifies the chunks that hold the chosen files and writes each file's bytes to
   * its target; closes the targets (saves) only when all verified, else aborts them and throws.
   */
  async save(targets: ReadonlyMap<number, SaveTarget>, onProgress?: (progress: SaveProgress) => void): Promise<void> {
    const sizes = this.metadata.files.map((file) => file.size);
    const chosen = [...targets.keys()].sort((a, b) => a - b);
    const starts = sizes.map((_, index) => sizes.slice(0, index).reduce((sum, size) => sum + size, 0));
    // The chunks from the first chosen byte to the last (an empty file still has its chunk verified).
    const first = Math.min(this.chunks - 1, Math.floor(starts[chosen[0]!]! / this.chunkSize));
    const lastByte = Math.max(...chosen.map((index) => starts[index]! + sizes[index]! - 1));
    const last = Math.max(first, Math.min(this.chunks - 1, Math.floor(lastByte / this.chunkSize)));
    const bytesTotal = chosen.reduce((sum, index) => sum + sizes[index]!, 0);
    let bytesDone = 0;
    let next = this.readSealed(first);
    try {
      for (let index = first; index <= last; index++) {
        const sealed = await next;
        if (index < last) next = this.readSealed(index + 1); // the next read overlaps this decryption
        const data = await this.openChunk(index, sealed);
        for (const range of fileRanges(sizes, index * this.chunkSize, data.length)) {
          const target = targets.get(range.file);
          if (!target) continue;
          await target.write(data.subarray(range.offset, range.offset + range.length));
          bytesDone += range.length;
        }
        data.fill(0);
        onProgress?.({ bytesDone, bytesTotal });
      }
    } catch (error) {
      // The read ahead of a chunk that failed is not needed: its outcome (read or not) is settled
      // here, so that it cannot end as an unhandled rejection; the first failure is the one thrown.
      await Promise.allSettled([next]);
      await Promise.all([...targets.values()].map((target) => target.abort()));
      throw error;
    }
    // Every chunk verified. A close can still fail (a full disk, the browser's download protection):
    // the files not yet saved are then aborted, and the error names those that were.
    const saved: number[] = [];
    for (const [index, target] of [...targets.entries()].sort(([a], [b]) => a - b)) {
      try {
        await target.close();
      } catch (error) {
        await Promise.all([...targets.entries()].filter(([other]) => !saved.includes(other)).map(([, t]) => t.abort()));
        throw saved.length === 0 ? error : new SavedInPart(saved, error);
      }
      saved.push(index);
    }
  }

  /** A receipt for the sender (passphrase-receipt.ts): only the package's passphrase gives its key. */
  receipt(at = new Date()): Uint8Array {
    return createPassphraseReceipt(this.receiptKey, this.packageHash, at);
  }

  /** Wipes the package keys; the object opens nothing more. */
  close(): void {
    wipePackageKeys(this.header.keys);
    this.receiptKey.fill(0);
    this.payloadKey = null;
  }

  private isFinal(index: number): boolean {
    return index === this.chunks - 1;
  }

  private async readSealed(index: number): Promise<Uint8Array<ArrayBuffer>> {
    const dataLength = this.isFinal(index) ? this.totalBytes - index * this.chunkSize : this.chunkSize;
    const position = this.header.raw.headerLength + index * (this.chunkSize + CHUNK_OVERHEAD_BYTES);
    const end = position + dataLength + CHUNK_OVERHEAD_BYTES;
    if (end > this.blob.size) throw new PackageTruncated();
    return new Uint8Array(await this.blob.slice(position, end).arrayBuffer());
  }

  /** One chunk's data: AES-GCM by WebCrypto, then the core's check of the sender's signature. */
  private async openChunk(index: number, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
    const key = await this.cryptoKey();
    const isFinal = this.isFinal(index);
    let plain: Uint8Array<ArrayBuffer>;
    try {
      plain = new Uint8Array(
        await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: Uint8Array.from(chunkNonce(index, isFinal)), tagLength: 128 },
          key,
          sealed,
        ),
      );
    } catch (error) {
      // WebCrypto rejects with an OperationError when the tag does not verify: a changed chunk.
      if (error instanceof DOMException && error.name === 'OperationError') throw new PackageTampered('chunk', index);
      throw error;
    }
    const data = plain.subarray(0, plain.length - 64);
    const signature = plain.subarray(plain.length - 64);
    const dataHash = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    if (
      !chunkSignatureValid(this.metadata.sender.signingKey, this.header.hash, index, isFinal, { signature, dataHash })
    ) {
      plain.fill(0);
      throw new SignatureInvalid('chunk', index);
    }
    return data;
  }

  private async cryptoKey(): Promise<CryptoKey> {
    if (!this.payloadKey) {
      const raw = Uint8Array.from(this.header.keys.payloadKey);
      try {
        this.payloadKey = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
      } finally {
        raw.fill(0);
      }
    }
    return this.payloadKey;
  }
}
