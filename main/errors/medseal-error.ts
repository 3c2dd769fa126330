/**
 * The one base class for every error MedSeal raises on purpose.
 *
 * Each error has a stable machine `code` (for the CLI's exit codes, the IPC
 * contract and tests) and a `userMessage` in plain words for a clinician.
 * Neither ever contains file names, notes, paths, key material or any other
 * patient information: callers pass only counts, positions and reasons.
 */
export type ErrorCategory =
  | 'usage'
  | 'wrong-passphrase'
  | 'not-a-recipient'
  | 'damaged-package'
  | 'untrusted-party'
  | 'io'
  | 'invalid-input'
  | 'conflict'
  | 'cancelled'
  | 'internal';

export abstract class MedSealError extends Error {
  abstract readonly code: string;
  abstract readonly category: ErrorCategory;

  constructor(
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = new.target.name;
  }
}

export function isMedSealError(value: unknown): value is MedSealError {
  return value instanceof MedSealError;
}
