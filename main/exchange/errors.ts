/** Errors of exchanges (shared folders and SFTP servers). */
import { MedSealError } from '../errors/medseal-error.js';

/** An inbox or archive that is a symbolic link (or not a folder): someone could redirect packages through it. */
export class ExchangeFolderUnsafe extends MedSealError {
  readonly code = 'EXCHANGE_FOLDER_UNSAFE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super({});
  }
}

/** An SFTP address or host key written wrongly (CLI argument, policy, settings). */
export class InvalidSftpAddress extends MedSealError {
  readonly code = 'INVALID_SFTP_ADDRESS';
  readonly category = 'usage' as const;
  constructor(readonly problem: string) {
    super({ problem });
  }
}

/**
 * The server presented another key than the one pinned at setup: it was reinstalled, or someone is
 * in between. Never accepted silently; IT must confirm the new key. `against`: the key expected was
 * the one the person just typed (`typed`) or the policy's (`managed`), not one pinned earlier.
 */
export class HostKeyChanged extends MedSealError {
  readonly code = 'HOST_KEY_CHANGED';
  readonly category = 'untrusted-party' as const;
  constructor(
    readonly server: string,
    readonly expected: string,
    readonly presented: string,
    options: { against?: 'typed' | 'managed' } = {},
  ) {
    super({ server, presented, expected }, options.against ? { variant: options.against } : {});
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
    super({ server, reason }, options);
  }
}

/** The server refused to store a file (full disk or quota, permissions). */
export class TransportWriteRefused extends MedSealError {
  readonly code = 'TRANSPORT_WRITE_REFUSED';
  readonly category = 'io' as const;
  constructor(
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super({ server }, options);
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
    super({ exchange });
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
    super({ exchange });
  }
}
