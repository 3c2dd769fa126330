/**
 * The CLI's exit codes, one per kind of failure, so scripts can react
 * (docs/CLI.md lists them). They follow the error categories.
 */
import type { ErrorCategory } from '../errors/medseal-error.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  wrongPassphrase: 3,
  notARecipient: 4,
  damagedPackage: 5,
  untrustedParty: 6,
  io: 7,
  conflict: 8,
  invalidInput: 9,
  cancelled: 130,
} as const;

export const EXIT_FOR_CATEGORY: Record<ErrorCategory, number> = {
  usage: EXIT.usage,
  'wrong-passphrase': EXIT.wrongPassphrase,
  'not-a-recipient': EXIT.notARecipient,
  'damaged-package': EXIT.damagedPackage,
  'untrusted-party': EXIT.untrustedParty,
  io: EXIT.io,
  conflict: EXIT.conflict,
  'invalid-input': EXIT.invalidInput,
  internal: EXIT.internal,
  cancelled: EXIT.cancelled,
};
