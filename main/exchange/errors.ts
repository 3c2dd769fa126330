/** Errors of exchanges (shared folders and SFTP servers). */
import { MedSealError } from '../errors/medseal-error.js';

/** An inbox or archive that is a symbolic link (or not a folder): someone could redirect packages through it. */
export class ExchangeFolderUnsafe extends MedSealError {
  readonly code = 'EXCHANGE_FOLDER_UNSAFE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super(
      'An inbox in the exchange folder is a link to somewhere else, so MedSeal did not use it. Ask IT to check the exchange folder.',
    );
  }
}

/** An SFTP address or host key written wrongly (CLI argument, policy, settings). */
export class InvalidSftpAddress extends MedSealError {
  readonly code = 'INVALID_SFTP_ADDRESS';
  readonly category = 'usage' as const;
  constructor(readonly problem: string) {
    super(`That SFTP exchange is not written correctly: ${problem}.`);
  }
}

/**
 * The server presented another key than the one pinned at setup: it was reinstalled, or someone is
 * in between. Never accepted silently; IT must confirm the new key.
 */
export class HostKeyChanged extends MedSealError {
  readonly code = 'HOST_KEY_CHANGED';
  readonly category = 'untrusted-party' as const;
  constructor(
    readonly server: string,
    readonly expected: string,
    readonly presented: string,
  ) {
    super(
      `The server ${server} presented a different host key (${presented}) from the one confirmed when it was set up (${expected}). Nothing was sent or fetched. Ask IT whether the server was changed before confirming the new key.`,
    );
  }
}

/** The server could not be reached, refused the login, or stopped answering. */
export class TransportUnreachable extends MedSealError {
  readonly code = 'TRANSPORT_UNREACHABLE';
  readonly category = 'io' as const;
  constructor(
    readonly server: string,
    readonly reason: 'unreachable' | 'login-refused' | 'timed-out' | 'connection-lost',
    options?: { cause?: unknown },
  ) {
    super(`${REASONS[reason]} (${server}). What was not finished will be tried again; nothing is lost.`, options);
  }
}

const REASONS = {
  unreachable: 'The exchange server could not be reached',
  'login-refused': 'The exchange server refused the login key',
  'timed-out': 'The exchange server stopped answering',
  'connection-lost': 'The connection to the exchange server was lost',
} as const;

/** The server refused to store a file (full disk or quota, permissions). */
export class TransportWriteRefused extends MedSealError {
  readonly code = 'TRANSPORT_WRITE_REFUSED';
  readonly category = 'io' as const;
  constructor(
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The exchange server ${server} refused to store the package (its disk may be full, or the inbox is not writable). The unfinished upload stays on the server and will be resumed; nothing was delivered.`,
      options,
    );
  }
}

/**
 * This identity's inbox on an exchange exists but belongs to another account there (someone made
 * it first, in this identity's name, to take its deliveries): MedSeal announces nothing into it.
 */
export class InboxTakenByOtherAccount extends MedSealError {
  readonly code = 'INBOX_TAKEN';
  readonly category = 'untrusted-party' as const;
  constructor(readonly exchange: string) {
    super(
      `Your inbox on the exchange ${exchange} was made by another account there, so MedSeal will not use it: whoever owns it could take the packages sent to you. Ask IT to remove the folder named after your fingerprint under "inboxes" on that exchange, then add the exchange again.`,
    );
  }
}

/**
 * The exchange's `inboxes` folder (or its id file) was made by an account other than the one that
 * owns the exchange (or root), or lets others rename inboxes (no sticky bit): whoever made it could
 * rename anyone's inbox away and swallow deliveries. IT prepares the exchange.
 */
export class ExchangeNotPrepared extends MedSealError {
  readonly code = 'EXCHANGE_NOT_PREPARED';
  readonly category = 'invalid-input' as const;
  constructor(readonly exchange: string) {
    super(
      `The exchange ${exchange} is not set up safely: its "inboxes" folder must belong to the owner of the exchange folder (or root) and have the sticky bit, so that nobody can move another person's inbox away. Ask IT to prepare it (docs/DEPLOYMENT.md, "Exchanges"); nothing was delivered or announced there.`,
    );
  }
}
