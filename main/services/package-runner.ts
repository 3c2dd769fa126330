/**
 * Sealing and opening as cancellable jobs with progress: the port through
 * which the services run the bulk work. The jobs layer implements it in
 * worker threads (the app: the main event loop stays responsive) and on the
 * calling thread (the CLI, tests), with the same shape.
 */
import type { GossipHead } from '../package/gossip-head.js';
import type { TempFileRegistry } from '../fs/temp-file-registry.js';
import { MedSealError, type ErrorCategory, type ErrorTextRef } from '../errors/medseal-error.js';
import type { SealResult } from '../package/seal.js';
import type { FileIdentity } from '../fs/publish-file.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import type { PassphraseKey } from '../package/passphrase-stanza.js';
import type { PassphraseRecipient } from '../package/passphrase-recipient.js';
import type { EffectivePolicy } from '../policy/policy-schema.js';

/**
 * What a job thread receives of the identity: its public card and only the secret keys its kind
 * uses (sealing signs; opening decrypts its stanza: X25519 in version 1 packages, X-Wing in
 * version 2), wiped there when the job ends.
 */
export interface SealJobKeys {
  readonly card: Uint8Array;
  readonly signingSecretKey: Uint8Array;
}

export interface OpenJobKeys {
  readonly card: Uint8Array;
  readonly encryptionSecretKey: Uint8Array;
  /** The X-Wing seed; null for an identity without a post-quantum key. */
  readonly pqSecretKey: Uint8Array | null;
}

export function sealJobKeysOf(identity: UnlockedIdentity): SealJobKeys {
  return { card: identity.card.bytes, signingSecretKey: identity.signingSecretKey };
}

export function openJobKeysOf(identity: UnlockedIdentity): OpenJobKeys {
  return {
    card: identity.card.bytes,
    encryptionSecretKey: identity.encryptionSecretKey,
    pqSecretKey: identity.pqSecretKey,
  };
}

/**
 * How many chunk worker threads a job may use (package/payload/chunk-cipher.ts): what the person
 * asked for (`--workers`; absent: by payload size and cores) and the policy's cap (`maxChunkWorkers`).
 */
export interface ChunkWorkers {
  readonly requested?: number;
  readonly max: number;
}

/** What seal and open (package/) take of `workers`: the threads asked for, and the cap. */
export function chunkThreadOptions(workers: ChunkWorkers | undefined): {
  readonly threads: number | undefined;
  readonly maxThreads: number | undefined;
} {
  return { threads: workers?.requested, maxThreads: workers?.max };
}

/** The workers for a job under `policy`, with what was asked for (`--workers N`), if anything. */
export function chunkWorkersFor(policy: EffectivePolicy, requested?: number): ChunkWorkers {
  return requested === undefined ? { max: policy.maxChunkWorkers } : { requested, max: policy.maxChunkWorkers };
}

export interface SealJob extends SealJobKeys {
  readonly kind: 'seal';
  readonly recipientCards: readonly Uint8Array[];
  /** The policy's organisation recovery key card: one more stanza, named in the metadata. */
  readonly recoveryCard: Uint8Array | null;
  readonly files: readonly { path: string; name?: string }[];
  readonly note: string;
  /** The header hash of the package this one answers, and its subject (docs/FORMAT.md §2.4); absent: none. */
  readonly replyTo?: string | null;
  readonly subject?: string | null;
  /** The sender's organisation's directory head, carried as gossip (FORMAT.md §11); absent: none. */
  readonly directoryHead?: GossipHead | null;
  /**
   * A partner without MedSeal (docs/FORMAT.md §2.13): who they are, and the Argon2id key of the
   * passphrase the service generated (the passphrase itself never reaches a job); wiped there.
   */
  readonly passphrase?: { readonly recipient: PassphraseRecipient; readonly key: PassphraseKey } | null;
  readonly output: string;
  readonly workers?: ChunkWorkers;
}

/** Where a previewed package's files go, for either kind of reader. */
interface OpenTarget {
  readonly packagePath: string;
  readonly folder: string;
  /** Hex header hash of the package whose sender was shown: any other package is refused (PACKAGE_CHANGED). */
  readonly expectedPackageHash: string;
  /** A name already taken in the folder gets "name (2).ext" instead of failing. */
  readonly keepBoth?: boolean;
  readonly workers?: ChunkWorkers;
}

/** Opening with a package passphrase, without any identity: the job gets the Argon2id key only. */
export interface PassphraseOpenJob extends OpenTarget {
  readonly kind: 'open-passphrase';
  readonly passphraseKey: PassphraseKey;
}

export interface OpenJob extends OpenJobKeys, OpenTarget {
  readonly kind: 'open';
}

export type PackageJob = SealJob | OpenJob | PassphraseOpenJob;

export interface OpenJobResult {
  readonly paths: readonly string[];
  readonly totalBytes: number;
  /** The package file that was opened and verified (device and inode), for archiving exactly it. */
  readonly packageFile: FileIdentity;
}

export type JobResult<J extends PackageJob> = J extends SealJob ? SealResult : OpenJobResult;

/** Wipes the secret keys a job carried (its own copies: on the job's thread, once it ended). */
export function wipeJobSecrets(job: PackageJob): void {
  if (job.kind === 'seal') {
    job.signingSecretKey.fill(0);
    job.passphrase?.key.key.fill(0);
  } else if (job.kind === 'open-passphrase') job.passphraseKey.key.fill(0);
  else {
    job.encryptionSecretKey.fill(0);
    job.pqSecretKey?.fill(0);
  }
}

export interface JobHooks {
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  readonly tempFiles?: TempFileRegistry;
}

export interface RunningJob<T> {
  readonly done: Promise<T>;
  cancel(): void;
}

export interface PackageJobs {
  run<J extends PackageJob>(job: J, hooks: JobHooks): RunningJob<JobResult<J>>;
}

/** An error that crossed from a worker: same code, category, text and values as the original. */
export class JobFailed extends MedSealError {
  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    text: ErrorTextRef = { params: {} },
  ) {
    super(text.params, text.variant === undefined ? {} : { variant: text.variant });
  }
}
