/** Errors about contacts and the trust placed in them. */
import { MedSealError } from '../errors/medseal-error.js';

/** An e-mail address or fingerprint digits can be named in a message; anything else typed might be a patient's name. */
const NAMEABLE = /^([a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}|[0-9a-f]{8,64})$/;

export class ContactNotFound extends MedSealError {
  readonly code = 'CONTACT_NOT_FOUND';
  readonly category = 'usage' as const;
  constructor(query?: string) {
    const needle = query?.trim().toLowerCase() ?? '';
    super(
      NAMEABLE.test(needle)
        ? `No contact matches "${needle}". Check it with "contacts list", or import their card first.`
        : query !== undefined
          ? 'No contact matches: give the e-mail address or the start of the fingerprint (at least 8 characters).'
          : 'No contact matches. Give the e-mail address or the start of the fingerprint (at least 8 characters).',
    );
  }
}

export class ContactAmbiguous extends MedSealError {
  readonly code = 'CONTACT_AMBIGUOUS';
  readonly category = 'usage' as const;
  constructor() {
    super('More than one contact matches. Give more of the fingerprint or the full e-mail address.');
  }
}

export class SafetyNumberMismatch extends MedSealError {
  readonly code = 'SAFETY_NUMBER_MISMATCH';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super('The safety number does not match. Do not mark this contact as verified: the card may not be theirs. Compare again with them in person or by phone.');
  }
}

export class OwnCardImported extends MedSealError {
  readonly code = 'OWN_CARD';
  readonly category = 'invalid-input' as const;
  constructor() {
    super('This is your own contact card; send it to your partners instead of importing it.');
  }
}

export class RecoveryKeyNotAContact extends MedSealError {
  readonly code = 'RECOVERY_KEY_NOT_A_CONTACT';
  readonly category = 'invalid-input' as const;
  constructor() {
    super('This is an organisation recovery key, not a person: it is set by IT in the policy, never added as a contact. Nothing was changed.');
  }
}

export class CardKeysConflict extends MedSealError {
  readonly code = 'CARD_KEYS_CONFLICT';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super('These keys already belong to another contact with a different e-mail address. The card was not imported.');
  }
}

export class RecipientKeyChanged extends MedSealError {
  readonly code = 'RECIPIENT_KEY_CHANGED';
  readonly category = 'untrusted-party' as const;
  constructor(position: number) {
    super(`The keys of recipient ${position} have changed since you last verified them. Compare safety numbers with them again before sending.`);
  }
}

export class RecipientUnverified extends MedSealError {
  readonly code = 'RECIPIENT_UNVERIFIED';
  readonly category = 'untrusted-party' as const;
  constructor(position: number) {
    super(`Recipient ${position} is not verified. Compare safety numbers with them first.`);
  }
}

/** Policy requires post-quantum protection, and this recipient's card has no X-Wing key yet. */
export class PostQuantumRequired extends MedSealError {
  readonly code = 'POST_QUANTUM_REQUIRED';
  readonly category = 'untrusted-party' as const;
  constructor(position: number) {
    super(
      `Recipient ${position}'s card has no post-quantum key, and your organisation requires post-quantum protection. Ask them to open MedSeal once (it adds the key) and send you their card again.`,
    );
  }
}

export class UntrustedSender extends MedSealError {
  readonly code = 'UNTRUSTED_SENDER';
  readonly category = 'untrusted-party' as const;
  constructor(readonly trust: string) {
    super(
      trust === 'key-mismatch'
        ? 'This package claims to come from one of your contacts but was sealed with different keys. Do not trust it; check with the sender by phone.'
        : trust === 'identity-mismatch'
          ? 'This package was sealed with the keys of one of your contacts but claims another name, organisation or e-mail. This may be an impersonation, so nothing was saved. Check with the sender by phone.'
          : 'The sender of this package is not a verified contact, so nothing was saved. Verify their safety number first.',
    );
  }
}

export class NoReplacementToReject extends MedSealError {
  readonly code = 'NO_REPLACEMENT_TO_REJECT';
  readonly category = 'usage' as const;
  constructor() {
    super('This contact has no new card waiting: only a contact whose keys changed can go back to its earlier keys. Nothing was changed.');
  }
}
