/** Errors of writing files where they must not replace anything. */
import { MedSealError } from '../errors/medseal-error.js';

export class DestinationExists extends MedSealError {
  readonly code = 'DESTINATION_EXISTS';
  readonly category = 'conflict' as const;
  constructor(what: string) {
    super(`${what} already exists and was not replaced. Choose another place or remove it first.`);
  }
}

/** The temp name no longer led to the file MedSeal wrote (replaced, or made a link) right before publishing: nothing was published. */
export class TempFileReplaced extends MedSealError {
  readonly code = 'FILE_REPLACED';
  readonly category = 'conflict' as const;
  constructor() {
    super('Another program or user changed the file while MedSeal was writing it, so nothing was saved. Use a folder that only you can change.');
  }
}

/** A folder every user of the computer can change (without the sticky bit): files there can be swapped under MedSeal. */
export class UnsafeFolder extends MedSealError {
  readonly code = 'UNSAFE_FOLDER';
  readonly category = 'invalid-input' as const;
  constructor(what: string) {
    super(`${what} can be changed by every user of this computer, so MedSeal will not write there. Choose a folder that only you (or your team) can change.`);
  }
}
