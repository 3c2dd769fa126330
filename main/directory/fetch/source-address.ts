/**
 * Where a partner organisation publishes its directory file, as IT types it
 * (in `medseal org partner add --source`, or the policy): an HTTPS URL, the
 * absolute path of the file in a local or shared folder, or
 * sftp://USER@HOST[:PORT]/PATH. Parsed strictly here, so a typo or a plain
 * http:// address is refused when it is typed, not fetched from later; and
 * described in plain words without what may be a secret (a URL's query
 * string, such as a signed link's token).
 */
import { isAbsolute } from 'node:path';
import { InvalidSftpAddress } from '../../exchange/errors.js';
import { parseSftpAddress, type SftpAddress } from '../../exchange/sftp/sftp-address.js';
import { InvalidDirectorySource } from './errors.js';

export type DirectorySourceAddress =
  | { readonly kind: 'https'; readonly url: string }
  | { readonly kind: 'folder'; readonly path: string }
  /** The file's path on the server is `address.path`. */
  | { readonly kind: 'sftp'; readonly address: SftpAddress };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

export function parseDirectorySourceAddress(text: string): DirectorySourceAddress {
  const trimmed = text.trim();
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'https') return { kind: 'https', url: parsedHttpsUrl(trimmed).href };
  if (scheme === 'sftp') return { kind: 'sftp', address: parsedSftpFile(trimmed) };
  if (scheme === 'http') throw new InvalidDirectorySource('not-https');
  if (scheme !== undefined) throw new InvalidDirectorySource('not-a-url');
  if (trimmed === '' || !isAbsolute(trimmed)) throw new InvalidDirectorySource('relative-path');
  if (/[/\\]$/.test(trimmed)) throw new InvalidDirectorySource('no-file');
  return { kind: 'folder', path: trimmed };
}

/** The URL, when it is https:// with a host and no user name or password in it. */
export function parsedHttpsUrl(text: string): URL {
  if (!URL.canParse(text)) throw new InvalidDirectorySource('not-a-url');
  const url = new URL(text);
  if (url.protocol !== 'https:') throw new InvalidDirectorySource('not-https');
  if (url.username !== '' || url.password !== '') throw new InvalidDirectorySource('credentials');
  if (url.hostname === '') throw new InvalidDirectorySource('not-a-url');
  return url;
}

function parsedSftpFile(text: string): SftpAddress {
  let address: SftpAddress;
  try {
    address = parseSftpAddress(text);
  } catch (error) {
    if (error instanceof InvalidSftpAddress) throw new InvalidDirectorySource('sftp', { detail: error.problem });
    throw error;
  }
  if (address.path === '/' || text.trim().endsWith('/')) throw new InvalidDirectorySource('no-file');
  return address;
}

/** The server a source names, as errors show it: host[:port], or '' for a folder. */
export function serverOf(source: DirectorySourceAddress): string {
  switch (source.kind) {
    case 'https':
      return URL.canParse(source.url) ? new URL(source.url).host : '';
    case 'sftp':
      return `${source.address.host}${source.address.port === 22 ? '' : `:${source.address.port}`}`;
    case 'folder':
      return '';
  }
}

/**
 * A source in plain words for the CLI and `doctor`: the kind of place and where. A query string
 * is shown as "?…" (it may hold a signed link's token); the parser refuses logins in URLs.
 */
export function describeDirectorySource(source: DirectorySourceAddress): string {
  switch (source.kind) {
    case 'https': {
      if (!URL.canParse(source.url)) return 'a web address that is not valid';
      const url = new URL(source.url);
      return `the web address ${url.protocol}//${url.host}${url.pathname}${url.search === '' ? '' : '?…'} (HTTPS)`;
    }
    case 'folder':
      return `the file ${source.path} (in a folder)`;
    case 'sftp':
      return `the file ${source.address.path} on the SFTP server ${serverOf(source)}, as ${source.address.user}`;
  }
}
