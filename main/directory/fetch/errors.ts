/**
 * Why a partner organisation's directory file could not be fetched, or why its
 * address was not accepted. IT reads these (in `doctor`, the CLI, the app's
 * partner status), so each says in plain words which kind of place failed and
 * how; the server is named by host (and port) only, never by a path, a query
 * string or a login, which may be secrets or someone's name.
 */
import { MedSealError } from '../../errors/medseal-error.js';
import { formatBytes } from '../../texts/sizes.js';

/** An address IT typed that is not an HTTPS URL, an absolute folder path or sftp://USER@HOST[:PORT]/PATH. */
export class InvalidDirectorySource extends MedSealError {
  readonly code = 'INVALID_DIRECTORY_SOURCE';
  readonly category = 'usage' as const;
  constructor(
    readonly problem: 'not-https' | 'credentials' | 'not-a-url' | 'relative-path' | 'sftp' | 'no-file',
    options: { detail?: string } = {},
  ) {
    super({ detail: options.detail ?? '' }, { variant: problem });
  }
}

export type DirectoryFetchFailure =
  /** HTTPS: the host name is not known (or DNS did not answer). */
  | 'dns'
  /** Nothing listens there (connection refused). */
  | 'refused'
  /** No route to the server, or the network dropped the connection attempt. */
  | 'unreachable'
  /** The whole fetch took longer than allowed. */
  | 'timeout'
  /** The connection broke before the file was complete. */
  | 'connection-lost'
  /** The server's certificate is not trusted (unknown authority, other name, expired): possible interception. */
  | 'tls-certificate'
  /** TLS could not be agreed (older than TLS 1.2, no common cipher). */
  | 'tls'
  /** The web server answered with a status other than 2xx (`status`). */
  | 'http-status'
  | 'too-many-redirects'
  /** A redirect to anything but https://. */
  | 'redirect-not-https'
  /** Larger than the limit: refused from its declared length, or cut off as soon as it passed it. */
  | 'too-large'
  /** An https source whose URL is not https:// (refused before any connection). */
  | 'not-https'
  /** Folder or SFTP: no file at that path. */
  | 'not-found'
  /** Folder or SFTP: a link, FIFO, device or folder where the file should be. */
  | 'not-a-file'
  /** Folder or SFTP: permission denied. */
  | 'no-access'
  /** SFTP: the server refused the login key. */
  | 'login-refused'
  /** SFTP: this profile has no exchange on that server with that user, so no login key to use. */
  | 'no-login';

/**
 * The directory file could not be fetched. `kind` and `server` (host[:port], or '' for a folder)
 * say where; `reason` says what went wrong; `status` is the HTTP status for 'http-status'. One
 * category for all (a place that could not be used); 'tls-certificate' and 'redirect-not-https'
 * are possible interception, which a caller that alarms on them can tell by `reason`.
 */
export class DirectorySourceUnreachable extends MedSealError {
  readonly code = 'DIRECTORY_SOURCE_UNREACHABLE';
  readonly category = 'io' as const;
  constructor(
    readonly kind: 'https' | 'folder' | 'sftp',
    readonly server: string,
    readonly reason: DirectoryFetchFailure,
    options: { status?: number; maxBytes?: number; cause?: unknown } = {},
  ) {
    super(
      { server, reason, status: options.status ?? 0, limit: formatBytes(options.maxBytes ?? 0) },
      options.cause === undefined ? { variant: kind } : { variant: kind, cause: options.cause },
    );
  }

  get status(): number | undefined {
    return this.reason === 'http-status' ? Number(this.params.status) : undefined;
  }
}
