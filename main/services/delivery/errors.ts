/** Errors of delivery and the inbox. */
import { MedSealError } from '../../errors/medseal-error.js';

export class UnknownInboxItem extends MedSealError {
  readonly code = 'UNKNOWN_INBOX_ITEM';
  readonly category = 'usage' as const;
  constructor() {
    super({});
  }
}

/** Sealed and saved, but no exchange reached these recipients: the package must reach them another way. */
export class RecipientsNotReached extends MedSealError {
  readonly code = 'NOT_DELIVERED';
  readonly category = 'io' as const;
  constructor(
    readonly names: readonly string[],
    readonly reasons: readonly string[],
  ) {
    super(
      { names: names.join(', '), reasons: reasons.join('; ') },
      reasons.length > 0 ? { variant: 'with-reasons' } : {},
    );
  }
}

/**
 * `exchange retry` found the exchange still down: these deliveries stay queued and will be tried
 * again (`when`: the next try, formatted by the caller). Never "send it another way".
 */
export class DeliveryStillQueued extends MedSealError {
  readonly code = 'DELIVERY_QUEUED';
  readonly category = 'io' as const;
  constructor(count: number, when: string) {
    super({ count, when });
  }
}

/** Adding an SFTP server needs its host key confirmed: this one was presented, and must be compared with IT's. */
export class HostKeyConfirmationNeeded extends MedSealError {
  readonly code = 'HOST_KEY_UNCONFIRMED';
  readonly category = 'usage' as const;
  constructor(
    readonly server: string,
    readonly presented: string,
  ) {
    super({ server, presented });
  }
}

export class UnknownExchange extends MedSealError {
  readonly code = 'UNKNOWN_EXCHANGE';
  readonly category = 'usage' as const;
  constructor() {
    super();
  }
}

/** `open --receipt-out` for a sender who may not get one (unknown, or keys that do not match the contact). */
export class ReceiptNotAllowed extends MedSealError {
  readonly code = 'RECEIPT_NOT_ALLOWED';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super({});
  }
}

/** A shared exchange folder whose id file (`.medseal-exchange`) is damaged or is something else: no inbox can be announced there. */
export class ExchangeIdMissing extends MedSealError {
  readonly code = 'EXCHANGE_ID_UNREADABLE';
  readonly category = 'invalid-input' as const;
  constructor(readonly exchange: string) {
    super({ exchange });
  }
}

/** `packages withdraw ID` / Activity → Withdraw: no package sent from this profile has that history id. */
export class UnknownSentPackage extends MedSealError {
  readonly code = 'UNKNOWN_SENT_PACKAGE';
  readonly category = 'usage' as const;
  constructor() {
    super({});
  }
}

/** Nothing could be withdrawn: every recipient already picked the package up (it cannot be taken back). */
export class AlreadyPickedUp extends MedSealError {
  readonly code = 'ALREADY_PICKED_UP';
  readonly category = 'conflict' as const;
  constructor() {
    super({});
  }
}

/**
 * A withdrawal that may have left the package somewhere: exchanges that could not be reached
 * (`unreachable`, named), or a file under its name that is not provably ours (`left`, the
 * recipients named).
 */
export class WithdrawIncomplete extends MedSealError {
  readonly code = 'WITHDRAW_INCOMPLETE';
  readonly category = 'io' as const;
  constructor(
    readonly why: 'unreachable' | 'left' | 'busy' | 'mailed',
    readonly names: readonly string[],
  ) {
    super({ names: names.join(', ') }, why === 'unreachable' ? {} : { variant: why });
  }
}

/** This identity has no inbox on an exchange (`medseal doctor`, "Test connection"): partners cannot deliver to it there. */
export class InboxMissing extends MedSealError {
  readonly code = 'INBOX_MISSING';
  readonly category = 'io' as const;
  constructor(readonly exchange: string) {
    super({ exchange });
  }
}

/** This identity's inbox on an exchange has no valid announcement of its own, so senders do not deliver there. */
export class InboxNotAnnounced extends MedSealError {
  readonly code = 'INBOX_NOT_ANNOUNCED';
  readonly category = 'io' as const;
  constructor(
    readonly exchange: string,
    readonly problem: 'missing' | 'other-exchange' | 'owner' | 'expired',
  ) {
    super({ exchange, problem });
  }
}

/** A fresh announcement written into this identity's own inbox did not read back as written. */
export class InboxNotWritable extends MedSealError {
  readonly code = 'INBOX_NOT_WRITABLE';
  readonly category = 'io' as const;
  constructor(readonly exchange: string) {
    super({ exchange });
  }
}

/** An SFTP exchange of the organisation's for which this person has not added a login key yet. */
export class LoginKeyMissing extends MedSealError {
  readonly code = 'LOGIN_KEY_MISSING';
  readonly category = 'usage' as const;
  constructor(readonly exchange: string) {
    super({ exchange });
  }
}

/** The health check's test message to the person's own address did not arrive in time. */
export class TestMessageLate extends MedSealError {
  readonly code = 'TEST_MESSAGE_LATE';
  readonly category = 'io' as const;
  constructor(readonly seconds: number) {
    super({ seconds });
  }
}

/** Something that needs e-mail (an invitation, cards by e-mail) without a mailbox set up (or one the policy no longer allows). */
export class MailboxMissing extends MedSealError {
  readonly code = 'MAILBOX_MISSING';
  readonly category = 'usage' as const;
  constructor() {
    super({});
  }
}

/** No card that came by e-mail has that id. */
export class UnknownCardOffer extends MedSealError {
  readonly code = 'UNKNOWN_CARD_OFFER';
  readonly category = 'usage' as const;
  constructor(options: { variant?: 'ambiguous' } = {}) {
    super({}, options);
  }
}
