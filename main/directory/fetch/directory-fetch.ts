/**
 * Fetching a partner organisation's published directory file from wherever
 * it publishes it: an HTTPS URL, a local or shared folder, or an SFTP
 * server. The bytes are opaque here (the directory's format and signature
 * are checked by its reader); what this part promises is the transport's
 * own rules: where the bytes may come from, at most how many, in how long,
 * and a typed error in plain words for each way it can fail.
 */
import { startDeadline } from './deadline.js';
import { DirectorySourceUnreachable } from './errors.js';
import { fetchFromFolder } from './folder-fetch.js';
import { fetchOverHttps } from './https-fetch.js';
import { fetchOverSftp, type SftpLogin } from './sftp-fetch.js';
import { serverOf, type DirectorySourceAddress } from './source-address.js';

export type { DirectorySourceAddress } from './source-address.js';
export type { SftpLogin } from './sftp-fetch.js';

/** How long a whole fetch may take unless the caller says otherwise (connecting, redirects, the body). */
export const DEFAULT_FETCH_TIMEOUT_MS = 120_000;

export interface DirectoryFetchOptions {
  /** The largest file accepted; a larger one is refused as 'too-large' without being read whole. */
  readonly maxBytes: number;
  /** HTTPS: the CA (PEM) the server's certificate must chain to instead of the system's (an organisation CA). */
  readonly caPem?: string | null;
  /** Cancels the fetch (OperationCancelled). */
  readonly signal?: AbortSignal;
  /** The whole fetch's time limit (DEFAULT_FETCH_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** SFTP: the pinned host key and the login key (required for an sftp source). */
  readonly sftpLogin?: SftpLogin;
}

/**
 * The directory file's bytes (at most `maxBytes`). Fails with DirectorySourceUnreachable (its
 * `reason` says how), HostKeyChanged (SFTP: another server key than the pinned one),
 * OperationCancelled (the signal), or IoError (a folder's disk failed).
 */
export async function fetchDirectoryFile(
  source: DirectorySourceAddress,
  options: DirectoryFetchOptions,
): Promise<Buffer> {
  if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1)
    throw new RangeError('maxBytes must be a positive whole number');
  const deadline = startDeadline(
    options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
    options.signal,
    () => new DirectorySourceUnreachable(source.kind, serverOf(source), 'timeout'),
  );
  try {
    switch (source.kind) {
      case 'https':
        return await fetchOverHttps(source.url, { maxBytes: options.maxBytes, caPem: options.caPem ?? null, deadline });
      case 'folder':
        return await fetchFromFolder(source.path, options.maxBytes, deadline);
      case 'sftp':
        if (!options.sftpLogin) throw new DirectorySourceUnreachable('sftp', serverOf(source), 'no-login');
        return await fetchOverSftp(source.address, options.sftpLogin, options.maxBytes, deadline);
    }
  } finally {
    deadline.dispose();
  }
}
