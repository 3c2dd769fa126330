/** Errors of the running app (sessions, files, remembered keys). */
import { MedSealError } from '../errors/medseal-error.js';

export class UnknownFile extends MedSealError {
  readonly code = 'UNKNOWN_FILE';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

export class FileRefused extends MedSealError {
  readonly code = 'FILE_REFUSED';
  readonly category = 'invalid-input' as const;
}

export class RememberUnavailable extends MedSealError {
  readonly code = 'REMEMBER_UNAVAILABLE';
  readonly category = 'invalid-input' as const;
}

export class NothingRemembered extends MedSealError {
  readonly code = 'NOTHING_REMEMBERED';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** This installation has no MedSeal Reader beside the app (a damaged or partial install). */
export class ReaderNotInstalled extends MedSealError {
  readonly code = 'READER_NOT_INSTALLED';
  readonly category = 'io' as const;
  constructor() {
    super();
  }
}

export class UnknownJob extends MedSealError {
  readonly code = 'UNKNOWN_JOB';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}
