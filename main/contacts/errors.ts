/** Errors about contacts and the trust placed in them. */
import { MedSealError } from '../errors/medseal-error.js';
import type { LookAlike } from './look-alike.js';

/** An e-mail address or fingerprint digits can be named in a message; anything else typed might be a patient's name. */
const NAMEABLE = /^([a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}|[0-9a-f]{8,64})$/;

export class ContactNotFound extends MedSealError {
  readonly code = 'CONTACT_NOT_FOUND';
  readonly category = 'usage' as const;
  constructor(query?: string) {
    const needle = query?.trim().toLowerCase() ?? '';
    super(
      NAMEABLE.test(needle) ? { needle } : {},
      NAMEABLE.test(needle) ? { variant: 'named' } : query !== undefined ? { variant: 'unnameable' } : {},
    );
  }
}

export class ContactAmbiguous extends MedSealError {
  readonly code = 'CONTACT_AMBIGUOUS';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

export class SafetyNumberMismatch extends MedSealError {
  readonly code = 'SAFETY_NUMBER_MISMATCH';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super({});
  }
}

/** A typed safety number that cannot be one: not 60 digits, or other characters than digits, spaces and dashes. */
export class SafetyNumberMalformed extends MedSealError {
  readonly code = 'SAFETY_NUMBER_MALFORMED';
  readonly category = 'usage' as const;
  constructor(expected: number, typed: number | null) {
    super({ expected, typed: typed ?? 0 }, typed === null ? { variant: 'characters' } : {});
  }
}

export class OwnCardImported extends MedSealError {
  readonly code = 'OWN_CARD';
  readonly category = 'invalid-input' as const;
  constructor() {
    super();
  }
}

export class RecoveryKeyNotAContact extends MedSealError {
  readonly code = 'RECOVERY_KEY_NOT_A_CONTACT';
  readonly category = 'invalid-input' as const;
  constructor() {
    super({});
  }
}

export class CardKeysConflict extends MedSealError {
  readonly code = 'CARD_KEYS_CONFLICT';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super();
  }
}

/** `who`: the contact's name and organisation (texts/contact-texts.ts, contactLabel). */
export class RecipientKeyChanged extends MedSealError {
  readonly code = 'RECIPIENT_KEY_CHANGED';
  readonly category = 'untrusted-party' as const;
  constructor(who: string) {
    super({ who });
  }
}

/** `who`: the contact's name and organisation (texts/contact-texts.ts, contactLabel). */
export class RecipientUnverified extends MedSealError {
  readonly code = 'RECIPIENT_UNVERIFIED';
  readonly category = 'untrusted-party' as const;
  constructor(who: string) {
    super({ who });
  }
}

/** Policy requires post-quantum protection, and this recipient's card has no X-Wing key yet. */
export class PostQuantumRequired extends MedSealError {
  readonly code = 'POST_QUANTUM_REQUIRED';
  readonly category = 'untrusted-party' as const;
  constructor(who: string) {
    super({ who });
  }
}

export class UntrustedSender extends MedSealError {
  readonly code = 'UNTRUSTED_SENDER';
  readonly category = 'untrusted-party' as const;
  constructor(readonly trust: string) {
    super({ trust });
  }
}

export class NoReplacementToReject extends MedSealError {
  readonly code = 'NO_REPLACEMENT_TO_REJECT';
  readonly category = 'usage' as const;
  constructor() {
    super({});
  }
}

/**
 * A card that could be mistaken for one of the contacts (contacts/look-alike.ts: the same name, an
 * e-mail address close to theirs or in mixed alphabets) was not added where adding it needs an
 * explicit confirmation (a package's unknown sender). The look-alikes go with the error for the
 * front end to show; the message names nobody.
 */
export class LookAlikeNotAdded extends MedSealError {
  readonly code = 'LOOK_ALIKE_CONTACT';
  readonly category = 'untrusted-party' as const;
  constructor(
    readonly lookAlikes: readonly LookAlike[],
    readonly mixedScriptEmail: boolean,
  ) {
    super({}, lookAlikes.length > 0 ? {} : { variant: 'mixed-script' });
  }
}
