/**
 * Everything that can be wrong with a package, each with its own class so
 * that the CLI, the app and the tests can tell them apart. Messages are for
 * clinicians: what happened, whether to trust it, what to do.
 */
import { MedSealError } from '../errors/medseal-error.js';

export { DestinationExists } from '../fs/errors.js';

const DO_NOT_TRUST = 'Do not trust it; ask the sender to send it again.';

export class NotAMedSealPackage extends MedSealError {
  readonly code = 'NOT_A_PACKAGE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super('This file is not a MedSeal package.');
  }
}

export class UnsupportedPackageVersion extends MedSealError {
  readonly code = 'UNSUPPORTED_VERSION';
  readonly category = 'invalid-input' as const;
  /** `flags`: the version is known but the header sets a flag of a later format (docs/FORMAT.md §2.1). */
  constructor(
    readonly version: number,
    readonly flags?: number,
  ) {
    super(
      flags === undefined
        ? `This package uses format version ${version}, which this version of MedSeal cannot open. Update MedSeal and try again.`
        : 'This package uses a format feature that this version of MedSeal cannot open. Update MedSeal and try again.',
    );
  }
}

export class PackageMalformed extends MedSealError {
  readonly code = 'PACKAGE_MALFORMED';
  readonly category = 'damaged-package' as const;
  constructor(readonly reason: string) {
    super(`This package is damaged (${reason}). ${DO_NOT_TRUST}`);
  }
}

export class NotARecipient extends MedSealError {
  readonly code = 'NOT_A_RECIPIENT';
  readonly category = 'not-a-recipient' as const;
  constructor() {
    super(
      'This package was not sealed for you (or its list of recipients was damaged). Ask the sender to seal it to your contact card.',
    );
  }
}

export type TamperedRegion = 'header' | 'metadata' | 'chunk' | 'trailing-data';

export class PackageTampered extends MedSealError {
  readonly code = 'PACKAGE_TAMPERED';
  readonly category = 'damaged-package' as const;
  constructor(
    readonly region: TamperedRegion,
    readonly chunkIndex?: number,
  ) {
    super(`This package was changed after it was sealed. ${DO_NOT_TRUST}`);
  }
}

export class PackageTruncated extends MedSealError {
  readonly code = 'PACKAGE_TRUNCATED';
  readonly category = 'damaged-package' as const;
  constructor() {
    super(
      `This package is incomplete: its end is missing, perhaps from an interrupted copy or download. ${DO_NOT_TRUST}`,
    );
  }
}

export class SignatureInvalid extends MedSealError {
  readonly code = 'SIGNATURE_INVALID';
  readonly category = 'damaged-package' as const;
  constructor(
    readonly region: 'sender-card' | 'recovery-card' | 'metadata' | 'chunk',
    readonly chunkIndex?: number,
  ) {
    super(`This package was not made by the person it names, or was changed after they sealed it. ${DO_NOT_TRUST}`);
  }
}

export class InvalidFileName extends MedSealError {
  readonly code = 'INVALID_FILE_NAME';
  readonly category = 'invalid-input' as const;
  constructor(position: number, reason: string) {
    super(`The name of file ${position} cannot be used: ${reason}. Rename the file and try again.`);
  }
}

export class InvalidPackageRequest extends MedSealError {
  readonly code = 'INVALID_PACKAGE_REQUEST';
  readonly category = 'usage' as const;
}

export class SourceChanged extends MedSealError {
  readonly code = 'SOURCE_CHANGED';
  readonly category = 'io' as const;
  constructor(position: number) {
    super(
      `File ${position} changed while it was being sealed. Nothing was saved; try again once the file is complete.`,
    );
  }
}

/** A receipt that cannot be read or is not for this sender. */
export class InvalidReceipt extends MedSealError {
  readonly code = 'RECEIPT_INVALID';
  readonly category = 'damaged-package' as const;
  constructor(readonly problem: string) {
    super(`This receipt was not accepted: ${problem}. Nothing was recorded.`);
  }
}

/** A readable receipt that does not belong: another package, someone who was not a recipient, a forged signature, a replay. */
export class ReceiptRefused extends MedSealError {
  readonly code = 'RECEIPT_REFUSED';
  readonly category = 'untrusted-party' as const;
  constructor(readonly reason: 'unknown-package' | 'not-a-recipient' | 'forged' | 'replayed') {
    super(`This receipt was not accepted: ${RECEIPT_REFUSALS[reason]}. Nothing was recorded.`);
  }
}

const RECEIPT_REFUSALS = {
  'unknown-package': 'it is about a package you did not send',
  'not-a-recipient': 'it comes from someone who was not a recipient of that package',
  forged: 'its signature is not that of the recipient it names (it may be forged)',
  replayed: 'the same receipt was already taken in',
} as const;
