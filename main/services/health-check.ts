/**
 * One line of `medseal doctor`: a check's name, whether it passed, and the
 * detail (what was found, or what is wrong and the fix). A warning passes
 * (`ok`) but says what will need attention: nothing is wrong yet.
 */
import { IoError } from '../errors/io-error.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { isSystemError } from '../errors/node-error.js';

export interface HealthCheck {
  readonly name: string;
  readonly ok: boolean;
  /** Passed, but with something to look at (printed WARN). */
  readonly warning?: true;
  readonly detail: string;
}

export const check = (name: string, ok: boolean, detail: string): HealthCheck => ({ name, ok, detail });

export const warn = (name: string, detail: string): HealthCheck => ({ name, ok: true, warning: true, detail });

/**
 * Why a check failed, in words that hold no path: a system call's code (its message names the
 * path), an IoError's, a MedSeal error's message, or the plain words of a TLS or SIEM-sender error.
 */
export function reasonOf(error: unknown): string {
  if (isSystemError(error)) return error.code;
  if (error instanceof IoError && error.systemCode) return error.systemCode;
  if (isMedSealError(error)) return error.userMessage;
  if (error instanceof Error) return error.message;
  throw error;
}
