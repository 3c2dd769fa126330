/** Errors of exchanges (shared folders and SFTP servers). */
import { MedSealError } from '../errors/medseal-error.js';
import { formatBytes } from '../texts/sizes.js';

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

/**
 * A mail server that cannot be used now (`service`: the submission or the IMAP server): not
 * reachable, stopped answering, dropped the connection, or answered "try later" (a 4xx reply).
 * It passes by itself: a package waiting for it is queued and sent when it answers again.
 */
export class MailServerUnavailable extends MedSealError {
  readonly code = 'MAIL_SERVER_UNAVAILABLE';
  readonly category = 'io' as const;
  constructor(
    readonly server: string,
    readonly service: 'smtp' | 'imap',
    readonly reason: 'unreachable' | 'timed-out' | 'connection-lost' | 'try-later',
    options?: { cause?: unknown },
  ) {
    super({ server, service, reason }, options);
  }
}

/** The mail server refused the login (wrong password, expired token, account locked). */
export class MailLoginRefused extends MedSealError {
  readonly code = 'MAIL_LOGIN_REFUSED';
  readonly category = 'invalid-input' as const;
  constructor(
    readonly server: string,
    readonly service: 'smtp' | 'imap',
    options?: { cause?: unknown },
  ) {
    super({ server, service }, options);
  }
}

/**
 * The mail server's TLS could not be trusted: its certificate is not signed by the CA in use, is for
 * another name or expired (`certificate`), or the server does not offer TLS at all (`no-tls`). Nothing
 * was sent, not even the login: someone may be in between.
 */
export class MailTlsRefused extends MedSealError {
  readonly code = 'MAIL_TLS_REFUSED';
  readonly category = 'untrusted-party' as const;
  constructor(
    readonly server: string,
    reason: 'certificate' | 'no-tls',
    options?: { cause?: unknown },
  ) {
    super({ server }, { ...options, variant: reason });
  }
}

/** The message would be larger than the mail server accepts (its announced SIZE limit). */
export class MailTooLarge extends MedSealError {
  readonly code = 'MAIL_TOO_LARGE';
  readonly category = 'invalid-input' as const;
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super({ size: formatBytes(size), limit: formatBytes(limit) });
  }
}

/**
 * The mail server refused a recipient address or the message itself (a 5xx reply: it will not pass by
 * itself); `reply` null: the address on the card is not one a message can be sent to at all, so it was
 * refused before anything was sent.
 */
export class MailRefused extends MedSealError {
  readonly code = 'MAIL_REFUSED';
  readonly category = 'invalid-input' as const;
  constructor(
    readonly server: string,
    readonly reply: number | null,
    options?: { cause?: unknown },
  ) {
    super({ server, reply: reply ?? '' }, reply === null ? { ...options, variant: 'address' } : options);
  }
}

/** A mail server written wrongly (`smtps://HOST:PORT`…) in a setting, a policy or a command. */
export class InvalidMailServer extends MedSealError {
  readonly code = 'INVALID_MAIL_SERVER';
  readonly category = 'usage' as const;
  constructor(
    readonly service: 'smtp' | 'imap',
    readonly problem: 'form' | 'scheme' | 'host' | 'port',
  ) {
    super({ service, problem });
  }
}
