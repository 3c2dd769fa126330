/** Errors of the recovery code and the recovery kit. */
import { MedSealError } from '../errors/medseal-error.js';

export class RecoveryCodeInvalid extends MedSealError {
  readonly code = 'RECOVERY_CODE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(reason: string) {
    super(`This is not a valid recovery code: ${reason}. Check it against the printed kit. Nothing was changed.`);
  }
}
