/**
 * Everything that can be wrong with a package, each with its own class so
 * that the CLI, the app and the tests can tell them apart. Messages are for
 * clinicians: what happened, whether to trust it, what to do.
 */
import { MedSealError } from '../errors/medseal-error.js';

export { DestinationExists } from '../fs/errors.js';

export class NotAMedSealPackage extends MedSealError {
  readonly code = 'NOT_A_PACKAGE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super();
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
    super({ version }, flags === undefined ? {} : { variant: 'feature' });
  }
}

export class PackageMalformed extends MedSealError {
  readonly code = 'PACKAGE_MALFORMED';
  readonly category = 'damaged-package' as const;
  constructor(readonly reason: string) {
    super({ reason });
  }
}

export class NotARecipient extends MedSealError {
  readonly code = 'NOT_A_RECIPIENT';
  readonly category = 'not-a-recipient' as const;
  /** `passphrase`: a passphrase was given for a package that has no passphrase stanza (docs/FORMAT.md §2.13). */
  constructor(variant?: 'passphrase') {
    super({}, variant === undefined ? {} : { variant });
  }
}

/**
 * The passphrase does not open the package's passphrase stanza: mistyped, another package's, or a
 * stanza changed or taken from another package (the reader cannot tell these apart).
 */
export class PackagePassphraseWrong extends MedSealError {
  readonly code = 'PACKAGE_PASSPHRASE_WRONG';
  readonly category = 'wrong-passphrase' as const;
  constructor() {
    super({});
  }
}

/** What was typed is not a package passphrase (six words of the list): how many words, or which one. */
export class PackagePassphraseInvalid extends MedSealError {
  readonly code = 'PACKAGE_PASSPHRASE_INVALID';
  readonly category = 'invalid-input' as const;
  constructor(problem: { count: number } | { position: number }) {
    super(problem, { variant: 'count' in problem ? 'count' : 'word' });
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
    super();
  }
}

export class PackageTruncated extends MedSealError {
  readonly code = 'PACKAGE_TRUNCATED';
  readonly category = 'damaged-package' as const;
  constructor() {
    super({});
  }
}

export class SignatureInvalid extends MedSealError {
  readonly code = 'SIGNATURE_INVALID';
  readonly category = 'damaged-package' as const;
  constructor(
    readonly region: 'sender-card' | 'recovery-card' | 'metadata' | 'chunk',
    readonly chunkIndex?: number,
  ) {
    super();
  }
}

export class InvalidFileName extends MedSealError {
  readonly code = 'INVALID_FILE_NAME';
  readonly category = 'invalid-input' as const;
  constructor(position: number, reason: string) {
    super({ position, reason });
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
    super({ position });
  }
}

/** A receipt that cannot be read or is not for this sender. */
export class InvalidReceipt extends MedSealError {
  readonly code = 'RECEIPT_INVALID';
  readonly category = 'damaged-package' as const;
  constructor(readonly problem: string) {
    super({ problem });
  }
}

/** A readable receipt that does not belong: another package, someone who was not a recipient, a forged signature. */
export class ReceiptRefused extends MedSealError {
  readonly code = 'RECEIPT_REFUSED';
  readonly category = 'untrusted-party' as const;
  constructor(readonly reason: 'unknown-package' | 'not-a-recipient' | 'forged' | 'wrong-key') {
    super({ reason });
  }
}

/**
 * A withdrawal notice that is not believed: not readable (damaged, cut short, not addressed to this
 * reader), from a sender not in the contacts, or not signed by the sender it names.
 */
export class WithdrawalNoticeRefused extends MedSealError {
  readonly code = 'WITHDRAWAL_NOTICE_REFUSED';
  readonly category = 'untrusted-party' as const;
  constructor(readonly reason: 'unreadable' | 'unknown-sender' | 'forged') {
    super({ reason });
  }
}
