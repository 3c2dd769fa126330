/** Errors about identities, keystores and contact cards. */
import { MedSealError } from '../errors/medseal-error.js';

export class WrongPassphrase extends MedSealError {
  readonly code = 'WRONG_PASSPHRASE';
  readonly category = 'wrong-passphrase' as const;
  constructor() {
    super('The passphrase is not correct. Nothing was changed.');
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
    super(`The identity file is damaged or not a MedSeal identity (${reason}). Restore it from a backup.`);
  }
}

export class IdentityMissing extends MedSealError {
  readonly code = 'IDENTITY_MISSING';
  readonly category = 'usage' as const;
  constructor() {
    super('There is no identity in this profile yet. Create one first.');
  }
}

export class IdentityExists extends MedSealError {
  readonly code = 'IDENTITY_EXISTS';
  readonly category = 'conflict' as const;
  constructor() {
    super('This profile already has an identity; it was left unchanged.');
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
    super(`This is not a valid MedSeal contact card: ${reason}.`);
  }
}

export class CardSignatureInvalid extends MedSealError {
  readonly code = 'CARD_SIGNATURE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor() {
    super(
      'This contact card was changed after its owner made it (its signature does not match). Do not import it; ask the sender for a new copy.',
    );
  }
}

export class RecoveryCodeWrong extends MedSealError {
  readonly code = 'RECOVERY_CODE_WRONG';
  readonly category = 'wrong-passphrase' as const;
  constructor() {
    super(
      'This recovery code does not belong to this identity, or a newer recovery kit has replaced it. Nothing was changed.',
    );
  }
}

export class NoRecoveryKit extends MedSealError {
  readonly code = 'NO_RECOVERY_KIT';
  readonly category = 'usage' as const;
  constructor() {
    super(
      'This identity has no recovery kit yet, so no recovery code can open it. Make one while you still know the passphrase.',
    );
  }
}
