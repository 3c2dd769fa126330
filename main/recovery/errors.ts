/** Errors of the recovery code and the recovery kit. */
import { MedSealError } from '../errors/medseal-error.js';

export class RecoveryCodeInvalid extends MedSealError {
  readonly code = 'RECOVERY_CODE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(reason: string) {
    super({ reason });
  }
}
