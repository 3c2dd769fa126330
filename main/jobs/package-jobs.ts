/**
 * Sealing and opening as cancellable jobs with progress. The app runs them
 * in worker threads (worker-package-jobs.ts) so the main event loop stays
 * responsive; tests and tools can run them in-process with the same shape.
 */
import type { TempFileRegistry } from '../fs/temp-file-registry.js';
import { MedSealError, type ErrorCategory } from '../errors/medseal-error.js';
import type { SealResult } from '../package/seal.js';

export interface JobKeys {
  readonly card: Uint8Array;
  readonly signingSecretKey: Uint8Array;
  readonly encryptionSecretKey: Uint8Array;
}

export interface SealJob extends JobKeys {
  readonly kind: 'seal';
  readonly recipientCards: readonly Uint8Array[];
  readonly files: readonly { path: string; name?: string }[];
  readonly note: string;
  readonly output: string;
}

export interface OpenJob extends JobKeys {
  readonly kind: 'open';
  readonly packagePath: string;
  readonly folder: string;
}

export type PackageJob = SealJob | OpenJob;

export interface OpenJobResult {
  readonly paths: readonly string[];
  readonly totalBytes: number;
}

export type JobResult<J extends PackageJob> = J extends SealJob ? SealResult : OpenJobResult;

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

/** An error that crossed from a worker: same code, category and message as the original. */
export class JobFailed extends MedSealError {
  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    message: string,
  ) {
    super(message);
  }
}
