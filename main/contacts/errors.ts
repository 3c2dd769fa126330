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
    super(
      'The safety number does not match. Do not mark this contact as verified: the card may not be theirs. Compare again with them in person or by phone.',
    );
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
    super(
      'This is an organisation recovery key, not a person: it is set by IT in the policy, never added as a contact. Nothing was changed.',
    );
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
    super(
      `The keys of recipient ${position} have changed since you last verified them. Compare safety numbers with them again before sending.`,
    );
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
    super(
      'This contact has no new card waiting: only a contact whose keys changed can go back to its earlier keys. Nothing was changed.',
    );
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
    super(
      lookAlikes.length > 0
        ? 'This sender could be mistaken for one of your contacts (the same name, or an e-mail address that looks like theirs), so they were not added. Check with your contact by phone; add the sender only if you are sure they are someone else, and confirm it explicitly.'
        : "This sender's e-mail address mixes alphabets or uses letters that look like others, as impostors do, so they were not added. Check with them by phone; add them only if you are sure, and confirm it explicitly.",
    );
  }
}
