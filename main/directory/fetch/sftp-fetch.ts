/**
 * A partner's directory file on an SFTP server, over the project's one SFTP
 * session (exchange/sftp/sftp-session.ts): the server's host key pinned and
 * checked before the login, so a server that changed or an impostor is
 * HostKeyChanged, never a file. Read-only: it looks, opens for reading and
 * reads; it never creates, renames or removes anything there. Only a
 * regular file is read (a link at the name is refused), and never more
 * than the size limit, however large the file is or grows while read.
 */
import { HostKeyChanged, TransportUnreachable } from '../../exchange/errors.js';
import type { SftpAddress } from '../../exchange/sftp/sftp-address.js';
import { SFTP_STATUS, SftpSession, statusOf } from '../../exchange/sftp/sftp-session.js';
import type { Deadline } from './deadline.js';
import { DirectorySourceUnreachable, type DirectoryFetchFailure } from './errors.js';

/** How to log in: the host key confirmed at setup (SHA256:…) and the login's OpenSSH private key. */
export interface SftpLogin {
  readonly hostKey: string;
  readonly privateKey: Buffer;
}

type Failed = (reason: DirectoryFetchFailure, cause?: unknown) => DirectorySourceUnreachable;

const BLOCK = 128 * 1024;

export async function fetchOverSftp(
  address: SftpAddress,
  login: SftpLogin,
  maxBytes: number,
  deadline: Deadline,
): Promise<Buffer> {
  const server = `${address.host}${address.port === 22 ? '' : `:${address.port}`}`;
  const failed: Failed = (reason, cause) => new DirectorySourceUnreachable('sftp', server, reason, { maxBytes, cause });
  const connecting = SftpSession.connect({ address, hostKey: login.hostKey, privateKey: login.privateKey });
  let session: SftpSession;
  try {
    session = await deadline.race(connecting);
  } catch (error) {
    // Timed out or cancelled while connecting: the session that may still come is closed at once.
    void connecting.then(
      (late) => late.close(),
      () => undefined, // its failure is the one reported below, or came after the deadline's
    );
    throw connectFailure(error, failed);
  }
  try {
    return await deadline.race(readWhole(session, address.path, maxBytes, failed));
  } catch (error) {
    throw refusal(error, failed);
  } finally {
    session.close(); // also ends reads still waiting after a timeout
  }
}

async function readWhole(session: SftpSession, path: string, maxBytes: number, failed: Failed): Promise<Buffer> {
  const entry = await session.lstat(path);
  if (entry === null) throw failed('not-found');
  if (!entry.isFile) throw failed('not-a-file'); // lstat: a link is not a file here
  if (entry.size > maxBytes) throw failed('too-large');
  const handle = await session.open(path, 'r');
  try {
    const opened = await session.fstat(handle);
    if (!opened.isFile) throw failed('not-a-file');
    if (opened.size > maxBytes) throw failed('too-large');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const block = Buffer.allocUnsafe(Math.min(BLOCK, maxBytes + 1 - total));
      const read = await session.read(handle, block, total);
      if (read === 0) break;
      chunks.push(block.subarray(0, read));
      total += read;
      if (total > maxBytes) throw failed('too-large'); // it grew while being read
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (session.isOpen) await closeReadHandle(session, handle);
  }
}

/**
 * Closes the read handle. The connection lost meanwhile (TransportUnreachable) is expected: the
 * session's own close ends the handle with it. Any other failure (a server refusing to close a
 * handle it opened) is passed on.
 */
async function closeReadHandle(session: SftpSession, handle: Buffer): Promise<void> {
  try {
    await session.closeFile(handle);
  } catch (error) {
    if (!(error instanceof TransportUnreachable)) throw error;
  }
}

function connectFailure(error: unknown, failed: Failed): unknown {
  if (!(error instanceof TransportUnreachable)) return error; // HostKeyChanged, a timeout, a cancel: as they are
  if (error.reason === 'login-refused') return failed('login-refused', error);
  if (error.reason === 'timed-out') return failed('timeout', error);
  if (error.reason === 'unreachable') {
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ECONNREFUSED') return failed('refused', error);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return failed('dns', error);
    return failed('unreachable', error);
  }
  return failed('connection-lost', error);
}

/** A server's refusal (no such file, permission denied) or a lost connection in the words of a fetch. */
function refusal(error: unknown, failed: Failed): unknown {
  if (error instanceof HostKeyChanged) return error;
  if (error instanceof TransportUnreachable) return failed('connection-lost', error);
  const status = statusOf(error);
  if (status === SFTP_STATUS.noSuchFile) return failed('not-found', error);
  if (status === SFTP_STATUS.permissionDenied) return failed('no-access', error);
  return error;
}
