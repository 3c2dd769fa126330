/** Errors of the use cases themselves (not of one file format or store). */
import { MedSealError, type ErrorCategory } from '../errors/medseal-error.js';

export class ProfileLocked extends MedSealError {
  readonly code = 'LOCKED';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** The package on disk is not the one whose sender was shown: nothing was saved. */
export class PackageChanged extends MedSealError {
  readonly code = 'PACKAGE_CHANGED';
  readonly category = 'damaged-package' as const;
  constructor() {
    super({});
  }
}

/** How the reader's contact book sees the sender changed between showing the package and saving it. */
export class SenderTrustChanged extends MedSealError {
  readonly code = 'SENDER_TRUST_CHANGED';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super({});
  }
}

/** Only a sender the contacts do not know at all is added from a package. */
export class SenderAlreadyKnown extends MedSealError {
  readonly code = 'SENDER_ALREADY_KNOWN';
  readonly category = 'invalid-input' as const;
  constructor() {
    super({});
  }
}

/** A package whose sender uses the reader's own e-mail address is never a contact to add. */
export class SenderUsesYourEmail extends MedSealError {
  readonly code = 'SENDER_USES_YOUR_EMAIL';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super({});
  }
}

/** A package reference (`#12`, or the start of a header hash) that names no package of this profile's history. */
export class UnknownPackage extends MedSealError {
  readonly code = 'UNKNOWN_PACKAGE';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** The start of a header hash that more than one package of the history has. */
export class PackageAmbiguous extends MedSealError {
  readonly code = 'PACKAGE_AMBIGUOUS';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** A package may be saved only after its sender was shown. */
export class PreviewRequired extends MedSealError {
  readonly code = 'PREVIEW_REQUIRED';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** A line of a batch manifest (`medseal seal --batch`) that is not one JSON object of the documented shape. */
export class InvalidBatchLine extends MedSealError {
  readonly code = 'BATCH_LINE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(problem: string) {
    super({ problem });
  }
}

/** Some lines of a batch were not sealed; carries the category of the first failure, for the exit code. */
export class BatchIncomplete extends MedSealError {
  readonly code = 'BATCH_INCOMPLETE';
  constructor(
    readonly category: ErrorCategory,
    failed: number,
  ) {
    super({ failed });
  }
}

/** What was dropped into the hot folder is a link or a folder, not a file: refused (the watcher may read what the dropper may not). */
export class NotARegularFile extends MedSealError {
  readonly code = 'NOT_A_REGULAR_FILE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super();
  }
}

/** A file dropped into the hot folder's outbox itself, not into a contact's folder: nobody to seal it for. */
export class NotInContactFolder extends MedSealError {
  readonly code = 'NOT_IN_CONTACT_FOLDER';
  readonly category = 'invalid-input' as const;
  constructor() {
    super();
  }
}

export class NewPassphraseNeeded extends MedSealError {
  readonly code = 'NEW_PASSPHRASE_NEEDED';
  readonly category = 'usage' as const;
  constructor() {
    super({});
  }
}

export class RestoreInProgress extends MedSealError {
  readonly code = 'RESTORE_IN_PROGRESS';
  readonly category = 'conflict' as const;
  constructor() {
    super({});
  }
}

/**
 * This very package (same header) was opened here before: put back into an inbox, or handed over
 * twice. Saved again only when the reader confirms; no second receipt goes to the sender.
 */
export class AlreadyOpened extends MedSealError {
  readonly code = 'ALREADY_OPENED';
  readonly category = 'conflict' as const;
  constructor(readonly openedAt: string) {
    super({});
  }
}

/** The policy keeps the emergency-access log in its directory folder: no other folder may be given. */
export class EmergencyLogFolderManaged extends MedSealError {
  readonly code = 'EMERGENCY_LOG_FOLDER_MANAGED';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** No policy names the directory folder, and no folder was given for the emergency-access log. */
export class EmergencyLogFolderNeeded extends MedSealError {
  readonly code = 'EMERGENCY_LOG_FOLDER_NEEDED';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** The folder for a new recovery key's share files exists already: a key is never added to another's files. */
export class SharesFolderExists extends MedSealError {
  readonly code = 'SHARES_FOLDER_EXISTS';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** The policy names the partner organisations: users cannot add or remove any. */
export class PartnersManaged extends MedSealError {
  readonly code = 'PARTNERS_MANAGED';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** A partner's directory key that is not an organisation key (base64 of 32 bytes). */
export class PartnerKeyInvalid extends MedSealError {
  readonly code = 'PARTNER_KEY_INVALID';
  readonly category = 'invalid-input' as const;
  constructor() {
    super();
  }
}

/** The code the partner's IT read out is not this key's: the key may have been swapped on its way. */
export class PartnerCodeMismatch extends MedSealError {
  readonly code = 'PARTNER_CODE_MISMATCH';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super();
  }
}

/** No partner organisation of that name. */
export class PartnerNotFound extends MedSealError {
  readonly code = 'PARTNER_NOT_FOUND';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}
