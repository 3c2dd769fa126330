/** Errors about identities, keystores and contact cards. */
import { MedSealError } from '../errors/medseal-error.js';

export class WrongPassphrase extends MedSealError {
  readonly code = 'WRONG_PASSPHRASE';
  readonly category = 'wrong-passphrase' as const;
  constructor() {
    super();
  }
}

export class WeakPassphrase extends MedSealError {
  readonly code = 'WEAK_PASSPHRASE';
  readonly category = 'invalid-input' as const;
}

export class KeystoreMalformed extends MedSealError {
  readonly code = 'KEYSTORE_MALFORMED';
  readonly category = 'invalid-input' as const;
  constructor(reason: string) {
    super({ reason });
  }
}

export class IdentityMissing extends MedSealError {
  readonly code = 'IDENTITY_MISSING';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

export class IdentityExists extends MedSealError {
  readonly code = 'IDENTITY_EXISTS';
  readonly category = 'conflict' as const;
  constructor() {
    super();
  }
}

export class InvalidProfile extends MedSealError {
  readonly code = 'INVALID_PROFILE';
  readonly category = 'invalid-input' as const;
}

export class CardMalformed extends MedSealError {
  readonly code = 'CARD_MALFORMED';
  readonly category = 'invalid-input' as const;
  constructor(reason: string) {
    super({ reason });
  }
}

export class CardSignatureInvalid extends MedSealError {
  readonly code = 'CARD_SIGNATURE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor() {
    super({});
  }
}

export class RecoveryCodeWrong extends MedSealError {
  readonly code = 'RECOVERY_CODE_WRONG';
  readonly category = 'wrong-passphrase' as const;
  constructor() {
    super({});
  }
}

export class NoRecoveryKit extends MedSealError {
  readonly code = 'NO_RECOVERY_KIT';
  readonly category = 'usage' as const;
  constructor() {
    super({});
  }
}
