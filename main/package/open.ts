/**
 * Opening: a .medseal package → the sender, the file list and the note
 * (verified before anything else is shown), then the files themselves.
 *
 * docs/SECURITY.md, "Files on disk": plaintext is written only to temp files beside
 * the destination and moved into place after every chunk, the last-chunk
 * flag and every signature verified. On any failure nothing is left behind,
 * and an existing file is never replaced.
 */
import { cleanUp } from '../errors/clean-up.js';
import { rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { fsyncFolderWherePossible, tempPathBeside } from '../fs/atomic-write.js';
import { keepBothCandidates, ReservedNames, takenNames } from '../fs/keep-both.js';
import {
  assertNoOtherWriters,
  createExclusive,
  publishWithoutReplacing,
  TargetExists,
  type FileIdentity,
} from '../fs/publish-file.js';
import type { TempFileRegistry } from '../fs/temp-file-registry.js';
import { PinnedFolder } from '../fs/pinned-folder.js';
import { PositionalWriter } from './payload/positional-writer.js';
import { BufferPool } from './payload/buffer-pool.js';
import { openChunk } from './payload/chunk.js';
import { fileRanges, partsRange } from './payload/payload-ranges.js';
import { chunkOpener, chunkThreads, type OpenedChunk } from './payload/chunk-cipher.js';
import { DestinationExists, PackageTampered, PackageTruncated } from './errors.js';
import { CHUNK_OVERHEAD_BYTES, chunkCount, payloadLength } from './format.js';
import {
  openHeader,
  readPublicHeader,
  type OpenAs,
  type OpenedHeader,
  type PackageReader,
  type ReadAt,
} from './header.js';
import { wipePackageKeys } from './key-schedule.js';
import { totalSize, type PackageMetadata } from './metadata.js';
import { throwIfCancelled, type JobControl } from './progress.js';
import { NotARegularFileThere, openRegularFile } from '../fs/open-regular-file.js';
import { NotAMedSealPackage } from './errors.js';

/**
 * Publishes one file as `name` in `folder`, or (keeping both) as the first numbered name no
 * other file holds; the path it got, or null when every name it may try is taken.
 */
async function publishAs(
  folder: string,
  name: string,
  keepBoth: boolean,
  reserved: ReservedNames,
  publish: (target: string) => Promise<void>,
): Promise<string | null> {
  for (const candidate of keepBoth ? keepBothCandidates(name, reserved) : [name]) {
    const target = join(folder, candidate);
    try {
      await publish(target);
      return target;
    } catch (error) {
      if (!(error instanceof TargetExists)) throw toIoError('the destination folder', error);
    }
  }
  return null;
}

/** Chunks read ahead of the one being verified (memory: this many chunks). */
const READ_AHEAD_CHUNKS = 3;
/** The most chunk data read ahead and held by workers at once (see decryptInto). */
const MAX_IN_FLIGHT_BYTES = 64 * 2 ** 20;

export interface ExtractResult {
  /** Final paths of the files written, in package order. */
  readonly paths: readonly string[];
  readonly totalBytes: number;
}

export interface ExtractOptions extends JobControl {
  readonly tempFiles?: TempFileRegistry;
  /** Runs once every file is written and synced, right before publishing (tests play another user here). */
  readonly beforePublish?: (temps: readonly string[]) => Promise<void>;
  /** Worker threads for the chunk crypto; 0 = this thread. Default: by payload size and cores. */
  readonly threads?: number;
  /** The most worker threads allowed (the policy's `maxChunkWorkers`); default MAX_CHUNK_THREADS. */
  readonly maxThreads?: number;
  /** A name already taken in the folder gets "name (2).ext" (fs/keep-both.ts) instead of DESTINATION_EXISTS. */
  readonly keepBoth?: boolean;
}

export interface OpenedPackage {
  /** Hex SHA-256 of the header: identifies the package. */
  readonly packageHash: string;
  /** The device and inode of the file that was opened (an archived inbox entry must still be this file). */
  readonly file: FileIdentity;
  readonly metadata: PackageMetadata;
  readonly totalBytes: number;
  readonly chunkCount: number;
  /** Decrypts and verifies one chunk on its own (random access). */
  readChunk(index: number): Promise<Buffer>;
  /** What extractTo checks first (an existing folder, anyone's writes refused, no name taken unless keeping both), to check before anything else happens. */
  checkDestination(folder: string, options?: { keepBoth?: boolean }): Promise<void>;
  extractTo(folder: string, options?: ExtractOptions): Promise<ExtractResult>;
  close(): Promise<void>;
}

export function readAtFrom(handle: FileHandle): ReadAt {
  return async (position, length) => {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, await readInto(handle, buffer, position));
  };
}

/** Fills `into` from `position` of the package, or as much as the file holds; returns the bytes read. */
async function readInto(handle: FileHandle, into: Buffer, position: number): Promise<number> {
  let filled = 0;
  while (filled < into.length) {
    const { bytesRead } = await handle
      .read(into, filled, into.length - filled, position + filled)
      .catch((error: unknown) => {
        throw toIoError('the package', error);
      });
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/**
 * Reads and verifies the header; throws the specific package error on any failure. The reader is
 * an identity, or the Argon2id key of the package's passphrase (header-reader.ts), which needs none.
 */
export async function openPackage(
  path: string,
  reader: PackageReader,
  as: OpenAs = 'recipient',
): Promise<OpenedPackage> {
  const handle = await openRegularFile(path, { followLinks: true }).catch((error: unknown) => {
    throw error instanceof NotARegularFileThere ? new NotAMedSealPackage() : toIoError('the package', error);
  });
  try {
    const readAt = readAtFrom(handle);
    const { size, dev, ino } = await handle.stat();
    const publicHeader = await readPublicHeader(readAt);
    if (size < publicHeader.headerLength) throw new PackageTruncated();
    const header = openHeader(await publicHeader.readRest(), reader, as);
    const total = totalSize(header.metadata.files);
    const chunkSize = 2 ** header.raw.chunkSizeLog2;
    const expected = header.raw.headerLength + payloadLength(total, chunkSize);
    if (size < expected) throw new PackageTruncated();
    if (size > expected) throw new PackageTampered('trailing-data');
    return new PackageOnDisk(handle, { dev, ino }, header, total, chunkSize);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

class PackageOnDisk implements OpenedPackage {
  readonly metadata: PackageMetadata;
  readonly chunkCount: number;
  readonly packageHash: string;

  constructor(
    private readonly handle: FileHandle,
    readonly file: FileIdentity,
    private readonly header: OpenedHeader,
    readonly totalBytes: number,
    private readonly chunkSize: number,
  ) {
    this.metadata = header.metadata;
    this.packageHash = header.hash.toString('hex');
    this.chunkCount = chunkCount(totalBytes, chunkSize);
  }

  async readChunk(index: number): Promise<Buffer> {
    const sealed = await this.readSealed(index, Buffer.alloc(this.sealedLength(index)));
    return openChunk(
      this.header.keys.payloadKey,
      this.header.hash,
      this.metadata.sender.signingKey,
      index,
      this.isFinal(index),
      sealed,
    );
  }

  private isFinal(index: number): boolean {
    return index === this.chunkCount - 1;
  }

  private sealedLength(index: number): number {
    return (this.isFinal(index) ? this.totalBytes - index * this.chunkSize : this.chunkSize) + CHUNK_OVERHEAD_BYTES;
  }

  /** Fills `into` with sealed chunk `index` (whose length it must have). */
  private async readSealed(index: number, into: Buffer): Promise<Buffer> {
    const position = this.header.raw.headerLength + index * (this.chunkSize + CHUNK_OVERHEAD_BYTES);
    if ((await readInto(this.handle, into, position)) < into.length) throw new PackageTruncated();
    return into;
  }

  async checkDestination(folder: string, options: { keepBoth?: boolean } = {}): Promise<void> {
    const info = await stat(folder).catch((error: unknown) => {
      throw toIoError('the folder for the opened files', error);
    });
    if (!info.isDirectory())
      throw toIoError('the folder for the opened files', Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }));
    const [taken] = options.keepBoth
      ? []
      : await takenNames(
          folder,
          this.metadata.files.map((file) => file.name),
        );
    if (taken !== undefined) throw new DestinationExists(`A file with the name of file ${taken + 1} of the package`);
    await assertNoOtherWriters(folder, 'The folder for the opened files');
  }

  async extractTo(folder: string, options: ExtractOptions = {}): Promise<ExtractResult> {
    const files = this.metadata.files;
    const targets = files.map((file) => join(folder, file.name));
    const reserved = new ReservedNames(files.map((file) => file.name)); // a numbered copy never takes another file's own name
    await this.checkDestination(folder, { keepBoth: options.keepBoth });
    // Pinned now and checked before anything is published: a folder swapped or opened to others
    // meanwhile gets no plaintext (fs/pinned-folder.ts).
    const destination = await PinnedFolder.pin(folder, { what: 'the folder for the opened files', sharing: 'team' });
    const temps: string[] = [];
    const handles: FileHandle[] = [];
    const published: string[] = [];
    let succeeded = false;
    try {
      for (const target of targets) {
        const temp = tempPathBeside(target);
        await options.tempFiles?.register(temp);
        temps.push(temp);
        handles.push(
          await createExclusive(temp, 0o600).catch((error: unknown) => {
            throw toIoError('the destination folder', error);
          }),
        );
      }
      await this.decryptInto(handles, options);
      for (const handle of handles)
        await handle.sync().catch((error: unknown) => {
          throw toIoError('the destination folder', error);
        });
      await options.beforePublish?.(temps);
      await destination.check();
      for (const [index, file] of files.entries()) {
        const target = await publishAs(folder, file.name, options.keepBoth === true, reserved, (candidate) =>
          publishWithoutReplacing(handles[index]!, temps[index]!, candidate),
        );
        if (!target) throw new DestinationExists(`A file with the name of file ${index + 1} of the package`);
        published.push(target);
      }
      await Promise.all(handles.map((handle) => handle.close()));
      handles.length = 0;
      await fsyncFolderWherePossible(folder, 'the folder for the opened files');
      succeeded = true;
      return { paths: published, totalBytes: this.totalBytes };
    } finally {
      // Plaintext that was not published is emptied through our own descriptors first: in a shared
      // folder, another user may have renamed a temp file to a name we cannot know.
      if (!succeeded) await Promise.all(handles.map((handle) => cleanUp(handle.truncate(0))));
      await Promise.all(handles.map((handle) => cleanUp(handle.close())));
      await Promise.all(temps.map((temp) => rm(temp, { force: true })));
      await Promise.all(temps.map((temp) => cleanUp(options.tempFiles?.release(temp))));
      if (!succeeded) await Promise.all(published.map((path) => cleanUp(unlink(path))));
    }
  }

  private async decryptInto(handles: FileHandle[], control: ExtractOptions): Promise<void> {
    const files = this.metadata.files;
    const writers = handles.map((handle) => new PositionalWriter(handle));
    const threads = chunkThreads(this.totalBytes, control.threads, control.maxThreads, this.chunkCount);
    const sizes = files.map((file) => file.size);
    const opener = chunkOpener(
      { payloadKey: this.header.keys.payloadKey, headerHash: this.header.hash },
      this.metadata.sender.signingKey,
      threads,
      (index, length) =>
        fileRanges(sizes, index * this.chunkSize, length).map((range) => ({ ...range, fd: handles[range.file]!.fd })),
    );
    // Chunks read (and verified, on worker threads) ahead of the one being written.
    // Bounded in bytes too: the sender chose the chunk size (up to 16 MiB), so many workers on large
    // chunks could otherwise hold hundreds of MiB; past MAX_IN_FLIGHT_BYTES, workers wait their turn.
    const maxQueued =
      threads === 0
        ? READ_AHEAD_CHUNKS
        : Math.min(threads + 2, Math.max(2, Math.floor(MAX_IN_FLIGHT_BYTES / this.chunkSize)));
    const buffers = new BufferPool(this.chunkSize + CHUNK_OVERHEAD_BYTES, maxQueued + 1);
    const queue: Promise<OpenedChunk>[] = [];
    // Reads go one after another, in order (the kernel's read-ahead works best so), ahead of the crypto.
    let lastRead: Promise<unknown> = Promise.resolve();
    const queueChunk = (index: number) => {
      if (index >= this.chunkCount) return;
      const opened = buffers.take().then(async (buffer) => {
        const read = lastRead.then(() => this.readSealed(index, Buffer.from(buffer, 0, this.sealedLength(index))));
        lastRead = read.catch(() => {
          // Only the order matters to the next read: this one's error is thrown by `sealed` below.
        });
        const sealed = await read.catch((error: unknown) => {
          buffers.give(buffer);
          throw error;
        });
        return opener.open(index, this.isFinal(index), sealed, (back) => buffers.give(back));
      });
      opened.catch(() => {
        // Not unhandled while it waits in the queue: awaited (and rethrown) in order below.
      });
      queue.push(opened);
    };
    let done = 0;
    for (let index = 0; index < maxQueued; index++) queueChunk(index);
    try {
      for (let index = 0; index < this.chunkCount; index++) {
        throwIfCancelled(control.signal);
        const { parts, length } = await queue.shift()!; // no parts when a worker wrote the data itself
        queueChunk(index + maxQueued);
        if (parts.length > 0) {
          // Plaintext on this thread is zeroed once written, as the chunk workers do with theirs.
          for (const range of fileRanges(sizes, index * this.chunkSize, length))
            await writers[range.file]!.write(partsRange(parts, range.offset, range.length), { wipe: true });
        }
        done += length;
        control.onProgress?.({ bytesDone: done, bytesTotal: this.totalBytes });
      }
      await Promise.all(writers.map((writer) => writer.flush()));
    } catch (error) {
      await Promise.all(writers.map((writer) => cleanUp(writer.flush())));
      throw toIoError('the destination folder', error);
    } finally {
      await opener.close();
      buffers.wipe();
    }
  }

  async close(): Promise<void> {
    wipePackageKeys(this.header.keys);
    await cleanUp(this.handle.close()); // a package only read from: nothing of it is lost, and the keys are wiped above
  }
}
