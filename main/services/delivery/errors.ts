/** Errors of delivery and the inbox. */
import { MedSealError } from '../../errors/medseal-error.js';

export class UnknownInboxItem extends MedSealError {
  readonly code = 'UNKNOWN_INBOX_ITEM';
  readonly category = 'usage' as const;
  constructor() {
    super(
      'Nothing with that id waits in your inbox (it may have been opened already). `medseal inbox` lists what waits.',
    );
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
      `The package is sealed and saved, but it was not delivered to ${names.join(', ')}: no exchange reaches them${reasons.length ? ` (${reasons.join('; ')})` : ''}. Send the saved package another way, or ask them to add the same exchange.`,
    );
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
    super(
      `The server ${server} presents the host key ${presented}. Compare it with the key IT gave you (on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); only if they are identical, confirm it (--host-key ${presented}).`,
    );
  }
}

export class UnknownExchange extends MedSealError {
  readonly code = 'UNKNOWN_EXCHANGE';
  readonly category = 'usage' as const;
  constructor() {
    super('There is no exchange of that name. `medseal exchange list` shows them.');
  }
}

/** `open --receipt-out` for a sender who may not get one (unknown, or keys that do not match the contact). */
export class ReceiptNotAllowed extends MedSealError {
  readonly code = 'RECEIPT_NOT_ALLOWED';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super(
      'No receipt can be written for this sender: receipts go only to contacts whose keys signed the package, never to an unknown sender or a possible impersonator. Nothing was saved.',
    );
  }
}

/** A shared exchange folder whose id file (`.medseal-exchange`) is damaged or is something else: no inbox can be announced there. */
export class ExchangeIdMissing extends MedSealError {
  readonly code = 'EXCHANGE_ID_UNREADABLE';
  readonly category = 'invalid-input' as const;
  constructor(readonly exchange: string) {
    super(
      `The exchange ${exchange} has a damaged ".medseal-exchange" file, so MedSeal cannot announce your inbox there. Ask IT to check that file (it holds the exchange's id).`,
    );
  }
}
