/**
 * The one base class for every error MedSeal raises on purpose.
 *
 * Each error has a stable machine `code` (for the CLI's exit codes, the IPC contract and tests)
 * and a `userMessage` in plain words for a clinician. The words are not in the class: they come
 * from the one catalogue keyed by code (main/texts/errors/), shared by the CLI and the renderer,
 * with the values the class was given (`params`) filled in. Neither the words nor the values ever
 * contain file names, notes, paths, key material or any other patient information: callers pass
 * only counts, positions, roles and reasons.
 */
import { errorText, type TextParams } from '../texts/errors/error-text.js';

export type { TextParams };

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

export interface ErrorTextOptions {
  readonly cause?: unknown;
  /** For a code with several texts: which one (catalogue key `CODE.variant`). */
  readonly variant?: string;
}

/** An error's text as plain data (catalogue variant and values), to cross to another thread. */
export interface ErrorTextRef {
  readonly variant?: string;
  readonly params: TextParams;
}

export abstract class MedSealError extends Error {
  abstract readonly code: string;
  abstract readonly category: ErrorCategory;
  readonly params: TextParams;
  readonly variant: string | undefined;

  constructor(params: TextParams = {}, options: ErrorTextOptions = {}) {
    super(undefined, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.params = params;
    this.variant = options.variant;
  }

  /** The catalogue key of this error's text: its code, or `CODE.variant`. */
  get textKey(): string {
    return this.variant ? `${this.code}.${this.variant}` : this.code;
  }

  /** The text as plain data, for a worker's answer (JobFailed rebuilds it on the other side). */
  get textRef(): ErrorTextRef {
    return this.variant === undefined ? { params: this.params } : { variant: this.variant, params: this.params };
  }

  /** The text for the person at the screen, from the catalogue. */
  get userMessage(): string {
    return errorText(this.textKey, this.params);
  }
}

// `message` follows the catalogue too (Error sets no own `message` when given none), so logs,
// stack headers and anything that prints an Error show the same words.
Object.defineProperty(MedSealError.prototype, 'message', {
  configurable: true,
  get(this: MedSealError): string {
    return this.userMessage;
  },
});

export function isMedSealError(value: unknown): value is MedSealError {
  return value instanceof MedSealError;
}

/** The code to log for any failure: a MedSeal error's own, else INTERNAL (never a message, which may hold a path). */
export function codeOf(error: unknown): string {
  return isMedSealError(error) ? error.code : 'INTERNAL';
}
