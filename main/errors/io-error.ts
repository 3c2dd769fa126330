/**
 * File-system failures, translated into plain words without the path.
 *
 * Paths are never put in the message: a file name can itself be patient
 * information ("Smith_John_MRN12345.pdf"). The caller says which file it was
 * by role ("input file 2", "the package", "the output folder").
 */
import { MedSealError } from './medseal-error.js';

export class IoError extends MedSealError {
  readonly code = 'IO_ERROR';
  readonly category = 'io' as const;

  constructor(
    readonly subject: string,
    readonly systemCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super({ subject, systemCode: systemCode ?? 'unknown' }, options);
  }
}

/** Wraps a Node.js file-system error; MedSeal errors pass through unchanged. */
export function toIoError(subject: string, error: unknown): Error {
  if (error instanceof MedSealError) return error;
  const systemCode =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  return new IoError(subject, systemCode, { cause: error });
}
