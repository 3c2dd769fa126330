/**
 * Errors of organisation emergency access: custodian share files, putting
 * shares together, and the emergency-access log. Messages name shares by
 * their number and custodian, never a passphrase or a key.
 */
import { MedSealError } from '../errors/medseal-error.js';

const NOTHING = 'Nothing was opened or changed.';

export class ShareInvalid extends MedSealError {
  readonly code = 'SHARE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(position: number, reason: string) {
    super(`Share file ${position} is not a MedSeal recovery share (${reason}). ${NOTHING}`);
  }
}

export class SharePassphraseWrong extends MedSealError {
  readonly code = 'SHARE_PASSPHRASE_WRONG';
  readonly category = 'wrong-passphrase' as const;
  constructor(label: string) {
    super(`The passphrase for ${label} is wrong, or the share file was changed. ${NOTHING}`);
  }
}

export class ShareFromOtherKey extends MedSealError {
  readonly code = 'SHARE_FROM_OTHER_KEY';
  readonly category = 'invalid-input' as const;
  constructor(label: string) {
    super(
      `${label} belongs to another organisation recovery key than the first share. Use shares of one key only. ${NOTHING}`,
    );
  }
}

export class ShareDuplicated extends MedSealError {
  readonly code = 'SHARE_DUPLICATED';
  readonly category = 'invalid-input' as const;
  constructor(label: string) {
    super(`${label} was given twice. Each custodian's share counts once. ${NOTHING}`);
  }
}

export class TooFewShares extends MedSealError {
  readonly code = 'TOO_FEW_SHARES';
  readonly category = 'invalid-input' as const;
  constructor(
    readonly needed: number,
    readonly given: number,
  ) {
    super(
      `${needed} custodians' shares are needed to open with the organisation recovery key; ${given} ${given === 1 ? 'was' : 'were'} given. ${NOTHING}`,
    );
  }
}

export class SharesDoNotCombine extends MedSealError {
  readonly code = 'SHARES_DO_NOT_COMBINE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super(
      `These shares do not give the organisation recovery key they name: one of them comes from another split of it. ${NOTHING}`,
    );
  }
}

export class ShareAltered extends MedSealError {
  readonly code = 'SHARE_ALTERED';
  readonly category = 'invalid-input' as const;
  constructor(label: string) {
    super(
      `The file of ${label} was changed after the split: the recovery key did not describe that share so. Ask its custodian for the file they were given. ${NOTHING}`,
    );
  }
}

export class NotSealedForRecoveryKey extends MedSealError {
  readonly code = 'NOT_SEALED_FOR_RECOVERY_KEY';
  readonly category = 'not-a-recipient' as const;
  constructor(what: 'package' | 'backup') {
    super(
      `This ${what} was not sealed for this organisation recovery key, so its custodians cannot open it. ${NOTHING}`,
    );
  }
}

export class EmergencyLogUnavailable extends MedSealError {
  readonly code = 'EMERGENCY_LOG_UNAVAILABLE';
  readonly category = 'io' as const;
  constructor(reason: string) {
    super(
      `The emergency-access record could not be written to the organisation log (${reason}). Emergency access is only possible with a record. ${NOTHING}`,
    );
  }
}

export class EmergencyLogInvalid extends MedSealError {
  readonly code = 'EMERGENCY_LOG_INVALID';
  readonly category = 'damaged-package' as const;
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`The organisation's emergency-access log is not intact at record ${line}: ${reason}.`);
  }
}

export class RecoveryKeyInvalid extends MedSealError {
  readonly code = 'RECOVERY_KEY_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(reason: string) {
    super(`This is not an organisation recovery key: ${reason}.`);
  }
}
