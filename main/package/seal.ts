/**
 * Sealing: files + note → one .medseal package for the given recipients.
 *
 * Streams with one chunk in memory whatever the file sizes, writes to a temp
 * file beside the destination and moves it into place only when complete;
 * an existing file is never replaced. On any failure or cancel nothing is
 * left behind.
 */
import { cleanUp } from '../errors/clean-up.js';
import type { GossipHead } from './gossip-head.js';
import { lstat, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from '../crypto/primitives.js';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { fsyncFolderWherePossible, tempPathBeside } from '../fs/atomic-write.js';
import { assertNoOtherWriters, createExclusive, publishWithoutReplacing, TargetExists } from '../fs/publish-file.js';
import { PositionalWriter } from './payload/positional-writer.js';
import { dirname } from 'node:path';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { chunkSealer, chunkThreads } from './payload/chunk-cipher.js';
import { sealChunks } from './payload/seal-chunks.js';
import { DestinationExists, InvalidFileName, InvalidPackageRequest } from './errors.js';
import { fileNameProblem } from './file-names.js';
import {
  CHUNK_OVERHEAD_BYTES,
  chunkCount,
  DEFAULT_CHUNK_SIZE_LOG2,
  MAX_FILES,
  MAX_NOTE_BYTES,
  MAX_SUBJECT_CHARACTERS,
} from './format.js';
import { buildHeader, type RandomSource } from './header.js';
import { InputFiles, type SealInputFile } from './input-files.js';
import { metadataProblem, totalSize, type PackageFileEntry, type PackageMetadata } from './metadata.js';
import { isHeaderHash, subjectProblem } from './thread-fields.js';
import type { TempFileRegistry } from '../fs/temp-file-registry.js';
import { type JobControl } from './progress.js';
import { wipePackageKeys } from './key-schedule.js';
import type { PassphraseKey } from './passphrase-stanza.js';
import type { PassphraseRecipient } from './passphrase-recipient.js';

export interface SealOptions extends JobControl {
  readonly sender: UnlockedIdentity;
  readonly recipients: readonly ContactCard[];
  /** The organisation recovery key (policy `orgRecoveryKey`): one more stanza, named in the metadata (docs/FORMAT.md §2.12). */
  readonly recoveryKey?: ContactCard | null;
  readonly files: readonly SealInputFile[];
  readonly note?: string;
  /**
   * A partner without MedSeal (docs/FORMAT.md §2.13): who they are, as the sender typed it, and the
   * Argon2id key of the passphrase MedSeal generated for them (never the passphrase itself).
   */
  readonly passphrase?: { readonly recipient: PassphraseRecipient; readonly key: PassphraseKey } | null;
  /** The header hash of the package this one answers (docs/FORMAT.md §2.4), or none. */
  readonly replyTo?: string | null;
  /** The sender's organisation's directory head to carry (FORMAT.md §11, gossip), or none. */
  readonly directoryHead?: GossipHead | null;
  /** A one-line subject (package/thread-fields.ts), or none. */
  readonly subject?: string | null;
  /** Path of the package to create; it must not exist yet. */
  readonly output: string;
  readonly chunkSizeLog2?: number;
  readonly random?: RandomSource;
  readonly now?: Date;
  readonly tempFiles?: TempFileRegistry;
  /** Worker threads for the chunk crypto; 0 = this thread. Default: by payload size and cores. */
  readonly threads?: number;
  /** The most worker threads allowed (the policy's `maxChunkWorkers`); default MAX_CHUNK_THREADS. */
  readonly maxThreads?: number;
}

export interface SealResult {
  /** Hex SHA-256 of the header: identifies the package. */
  readonly packageHash: string;
  readonly createdAt: string;
  readonly files: readonly PackageFileEntry[];
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly packageBytes: number;
  readonly recipientFingerprints: readonly string[];
  /** 2 (post-quantum) when every recipient's card has an X-Wing key, else 1 (docs/FORMAT.md §2.11). */
  readonly formatVersion: number;
  /** Fingerprint of the organisation recovery key that can also open the package, or null. */
  readonly recoveryKeyFingerprint: string | null;
  /** Whom a passphrase stanza is for (as the sender typed it), or null. */
  readonly passphraseRecipient: PassphraseRecipient | null;
  /** What the metadata says it answers and is about (null: not said). */
  readonly replyTo: string | null;
  readonly subject: string | null;
}

function checkRequest(options: SealOptions): void {
  if (options.files.length === 0) throw new InvalidPackageRequest({}, { variant: 'no-files' });
  if (options.files.length > MAX_FILES)
    throw new InvalidPackageRequest({ max: MAX_FILES }, { variant: 'too-many-files' });
  if (options.recipients.length === 0 && !options.passphrase)
    throw new InvalidPackageRequest({}, { variant: 'no-recipients' });
  if (Buffer.byteLength(options.note ?? '', 'utf8') > MAX_NOTE_BYTES)
    throw new InvalidPackageRequest({}, { variant: 'note-too-long' });
  const problem = options.subject == null ? null : subjectProblem(options.subject);
  if (problem) throw new InvalidPackageRequest({ problem, max: MAX_SUBJECT_CHARACTERS }, { variant: 'subject' });
  if (options.replyTo != null && !isHeaderHash(options.replyTo))
    throw new InvalidPackageRequest({}, { variant: 'reply-to' });
}

export async function sealPackage(options: SealOptions): Promise<SealResult> {
  checkRequest(options);
  const chunkSizeLog2 = options.chunkSizeLog2 ?? DEFAULT_CHUNK_SIZE_LOG2;
  const chunkSize = 2 ** chunkSizeLog2;
  const random = options.random ?? randomBytes;

  const unique = new Map(options.recipients.map((card) => [fingerprintHex(card.fingerprint), card]));
  const recipients = [...unique.values()];

  const existing = await lstat(options.output).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT')) return null;
    throw toIoError('the destination folder', error);
  });
  if (existing?.isDirectory()) throw new InvalidPackageRequest({}, { variant: 'output-is-folder' });
  if (existing) throw new DestinationExists('A file with the package name');
  const inputs = await InputFiles.open(options.files);
  let temp: string | undefined;
  let output: FileHandle | undefined;
  try {
    for (const [index, entry] of inputs.entries.entries()) {
      const problem = fileNameProblem(entry.name);
      if (problem) throw new InvalidFileName(index + 1, problem);
    }
    const metadata: PackageMetadata = {
      sender: options.sender.card,
      recipients: [...unique.keys()],
      createdAt: (options.now ?? new Date()).toISOString(),
      files: inputs.entries,
      note: options.note ?? '',
      recovery: options.recoveryKey ?? null,
      passphraseRecipient: options.passphrase?.recipient ?? null,
      passphraseBinding: null, // the header binds the stanza to the sender (header.ts)
      directoryHead: options.directoryHead ?? null,
      replyTo: options.replyTo ?? null,
      subject: options.subject ?? null,
    };
    const problem = metadataProblem(metadata);
    if (problem) throw new InvalidPackageRequest({ problem }, { variant: 'metadata' });

    const header = buildHeader({
      sender: options.sender,
      recipients,
      metadata,
      chunkSizeLog2,
      random,
      passphrase: options.passphrase?.key ?? null,
    });

    temp = tempPathBeside(options.output);
    await options.tempFiles?.register(temp);
    await assertNoOtherWriters(dirname(options.output), 'The folder for the package');
    output = await createExclusive(temp, 0o600).catch((error: unknown) => {
      throw toIoError('the destination folder', error);
    });
    const writer = new PositionalWriter(output);
    const write = (bytes: Uint8Array | readonly Uint8Array[]) =>
      writer.write(bytes).catch((error: unknown) => {
        throw toIoError('the package being written', error);
      });
    await write(header.bytes);

    const total = totalSize(metadata.files);
    const count = chunkCount(total, chunkSize);
    const threads = chunkThreads(total, options.threads, options.maxThreads, count);
    const packageBytes =
      (await sealChunks({
        inputs,
        write,
        sealer: chunkSealer(
          { payloadKey: header.keys.payloadKey, headerHash: header.hash },
          options.sender.signingSecretKey,
          threads,
          {
            fd: output.fd,
            firstChunkAt: header.bytes.length,
            stride: chunkSize + CHUNK_OVERHEAD_BYTES,
          },
        ),
        threads,
        chunkSize,
        count,
        total,
        control: options,
      })) + header.bytes.length;
    await writer.flush().catch((error: unknown) => {
      throw toIoError('the package being written', error);
    });
    wipePackageKeys(header.keys);
    await inputs.finish();
    await output.sync().catch((error: unknown) => {
      throw toIoError('the package being written', error);
    });
    try {
      await publishWithoutReplacing(output, temp, options.output);
    } catch (error) {
      if (error instanceof TargetExists) throw new DestinationExists('A file with the package name');
      throw toIoError('the destination folder', error);
    }
    await output.close();
    output = undefined;
    await options.tempFiles?.release(temp);
    temp = undefined;
    await fsyncFolderWherePossible(dirname(options.output), 'the destination folder');
    return {
      packageHash: header.hash.toString('hex'),
      createdAt: metadata.createdAt,
      files: metadata.files,
      fileCount: metadata.files.length,
      totalBytes: total,
      packageBytes,
      recipientFingerprints: metadata.recipients,
      formatVersion: header.version,
      recoveryKeyFingerprint: metadata.recovery ? fingerprintHex(metadata.recovery.fingerprint) : null,
      passphraseRecipient: metadata.passphraseRecipient,
      replyTo: metadata.replyTo,
      subject: metadata.subject,
    };
  } finally {
    await inputs.close();
    await cleanUp(output?.close());
    if (temp) {
      await rm(temp, { force: true });
      await cleanUp(options.tempFiles?.release(temp));
    }
  }
}
