/**
 * Errors of organisation emergency access: custodian share files, putting
 * shares together, and the emergency-access log. Messages name shares by
 * their number and custodian, never a passphrase or a key.
 */
import { MedSealError } from '../errors/medseal-error.js';

export class ShareInvalid extends MedSealError {
  readonly code = 'SHARE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(position: number, reason: string) {
    super({ position, reason });
  }
}

export class SharePassphraseWrong extends MedSealError {
  readonly code = 'SHARE_PASSPHRASE_WRONG';
  readonly category = 'wrong-passphrase' as const;
  constructor(label: string) {
    super({ label });
  }
}

export class ShareFromOtherKey extends MedSealError {
  readonly code = 'SHARE_FROM_OTHER_KEY';
  readonly category = 'invalid-input' as const;
  constructor(label: string) {
    super({ label });
  }
}

export class ShareDuplicated extends MedSealError {
  readonly code = 'SHARE_DUPLICATED';
  readonly category = 'invalid-input' as const;
  constructor(label: string) {
    super({ label });
  }
}

export class TooFewShares extends MedSealError {
  readonly code = 'TOO_FEW_SHARES';
  readonly category = 'invalid-input' as const;
  constructor(
    readonly needed: number,
    readonly given: number,
  ) {
    super({ needed, given });
  }
}

export class SharesDoNotCombine extends MedSealError {
  readonly code = 'SHARES_DO_NOT_COMBINE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super({});
  }
}

export class ShareAltered extends MedSealError {
  readonly code = 'SHARE_ALTERED';
  readonly category = 'invalid-input' as const;
  constructor(label: string) {
    super({ label });
  }
}

export class NotSealedForRecoveryKey extends MedSealError {
  readonly code = 'NOT_SEALED_FOR_RECOVERY_KEY';
  readonly category = 'not-a-recipient' as const;
  constructor(what: 'package' | 'backup') {
    super({ what });
  }
}

export class EmergencyLogUnavailable extends MedSealError {
  readonly code = 'EMERGENCY_LOG_UNAVAILABLE';
  readonly category = 'io' as const;
  constructor(reason: string) {
    super({ reason });
  }
}

export class EmergencyLogInvalid extends MedSealError {
  readonly code = 'EMERGENCY_LOG_INVALID';
  readonly category = 'damaged-package' as const;
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super({ line, reason });
  }
}

export class RecoveryKeyInvalid extends MedSealError {
  readonly code = 'RECOVERY_KEY_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(reason: string) {
    super({ reason });
  }
}
