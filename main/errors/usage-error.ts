/** Errors in how a command or API was called (missing or invalid argument). */
import { MedSealError } from './medseal-error.js';

export class UsageError extends MedSealError {
  readonly code = 'USAGE';
  readonly category = 'usage' as const;
}

export class OperationCancelled extends MedSealError {
  readonly code = 'CANCELLED';
  readonly category = 'cancelled' as const;
  constructor() {
    super('The operation was cancelled. Nothing was saved.');
  }
}
