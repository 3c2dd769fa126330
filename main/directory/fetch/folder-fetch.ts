/**
 * A partner's directory file in a local or shared folder. Others can write
 * there, so only a regular file is read, without following a link at the
 * file's name and without blocking on a FIFO or device planted under it
 * (fs/open-regular-file.ts), and never more than the size limit.
 */
import { toIoError } from '../../errors/io-error.js';
import { isNodeError } from '../../errors/node-error.js';
import { NotARegularFileThere, readRegularFile } from '../../fs/open-regular-file.js';
import type { Deadline } from './deadline.js';
import { DirectorySourceUnreachable } from './errors.js';

export async function fetchFromFolder(path: string, maxBytes: number, deadline: Deadline): Promise<Buffer> {
  const failed = (reason: 'not-found' | 'not-a-file' | 'no-access' | 'too-large', cause?: unknown) =>
    new DirectorySourceUnreachable('folder', '', reason, { maxBytes, cause });
  let content: Buffer;
  try {
    // A share that stopped answering can hang a read in the file system: the deadline still ends the fetch.
    content = await deadline.race(readRegularFile(path, maxBytes));
  } catch (error) {
    if (error instanceof NotARegularFileThere) throw failed('not-a-file', error);
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) throw failed('not-found', error);
    if (isNodeError(error, 'EACCES', 'EPERM')) throw failed('no-access', error);
    if (isNodeError(error, 'EISDIR')) throw failed('not-a-file', error);
    throw toIoError('the directory file', error);
  }
  if (content.length > maxBytes) throw failed('too-large');
  return content;
}
