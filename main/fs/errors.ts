/** Errors of writing files where they must not replace anything. */
import { MedSealError } from '../errors/medseal-error.js';

export class DestinationExists extends MedSealError {
  readonly code = 'DESTINATION_EXISTS';
  readonly category = 'conflict' as const;
  constructor(what: string) {
    super(`${what} already exists and was not replaced. Choose another place or remove it first.`);
  }
}
