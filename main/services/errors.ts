/** Errors of the use cases themselves (not of one file format or store). */
import { MedSealError } from '../errors/medseal-error.js';
import { LOCKED_TEXT } from '../texts/error-texts.js';

export class ProfileLocked extends MedSealError {
  readonly code = 'LOCKED';
  readonly category = 'usage' as const;
  constructor() {
    super(LOCKED_TEXT);
  }
}

/** The package on disk is not the one whose sender was shown: nothing was saved. */
export class PackageChanged extends MedSealError {
  readonly code = 'PACKAGE_CHANGED';
  readonly category = 'damaged-package' as const;
  constructor() {
    super('The package file changed after its sender was shown, so nothing was saved. Open it again and check who sent it.');
  }
}
