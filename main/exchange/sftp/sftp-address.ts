/**
 * Where an SFTP exchange lives and which server key it must present:
 * `sftp://USER@HOST[:PORT]/PATH` and OpenSSH's `SHA256:<base64>` host key
 * fingerprint (what `ssh-keygen -lf` prints on the server), parsed strictly
 * so a typo is an error here, not a connection to the wrong place later.
 */
import { createHash } from 'node:crypto';
import { InvalidSftpAddress } from '../errors.js';

export interface SftpAddress {
  readonly user: string;
  readonly host: string;
  readonly port: number;
  /** The exchange root on the server, absolute. */
  readonly path: string;
}

const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\d{1,3}(?:\.\d{1,3}){3}$/;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;
const HOST_KEY = /^SHA256:[A-Za-z0-9+/]{43}$/;

export function parseSftpAddress(text: string): SftpAddress {
  const match = /^sftp:\/\/([^@/]+)@([^:/]+)(?::(\d{1,5}))?(\/[^\0]*)$/.exec(text.trim());
  if (!match) throw new InvalidSftpAddress('it must look like sftp://USER@HOST[:PORT]/PATH');
  const [, user = '', host = '', portText, path = ''] = match;
  if (!USER.test(user)) throw new InvalidSftpAddress('the user name is not valid');
  if (!HOST.test(host)) throw new InvalidSftpAddress('the server name is not valid');
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidSftpAddress('the port must be between 1 and 65535');
  if (path.split('/').some((part) => part === '..')) throw new InvalidSftpAddress('the path may not contain ".."');
  const cleaned = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return { user, host: host.toLowerCase(), port, path: cleaned };
}

export function formatSftpAddress(address: SftpAddress): string {
  return `sftp://${address.user}@${address.host}${address.port === 22 ? '' : `:${address.port}`}${address.path}`;
}

export function parseHostKeyFingerprint(text: string): string {
  const trimmed = text.trim().replace(/=+$/, '');
  if (!HOST_KEY.test(trimmed))
    throw new InvalidSftpAddress('the host key must be given as SHA256:… (ssh-keygen -lf on the server prints it)');
  return trimmed;
}

/** OpenSSH's fingerprint of a host key in SSH wire form. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
