/** Errors of the cryptographic base layer. */
import { MedSealError } from '../errors/medseal-error.js';

/** The key derivation could not run (its worker failed to start or ran out of memory). */
export class KdfFailed extends MedSealError {
  readonly code = 'KDF_FAILED';
  readonly category = 'internal' as const;
  constructor() {
    super({});
  }
}
