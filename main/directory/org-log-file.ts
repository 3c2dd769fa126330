/**
 * Where an organisation's directory log lives in IT's directory folder
 * (`directory.medseal-directory`, docs/FORMAT.md §11), and reading it: only
 * a plain file of at most the format's size, never a link or a FIFO.
 * Workstations read it here (org-directory.ts), IT's tools extend it
 * (org-log.ts), and partner organisations fetch the same file.
 */
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { NotARegularFileThere, openRegularFile } from '../fs/open-regular-file.js';
import { DIRECTORY_FILE_EXTENSION, DIRECTORY_MAX_BYTES } from './directory-log.js';
import { DirectoryRefused } from './errors.js';

export const ORG_LOG_FILE = `directory${DIRECTORY_FILE_EXTENSION}`;

export function orgLogPath(directory: string): string {
  return join(directory, ORG_LOG_FILE);
}

/**
 * The log's bytes, or null when the folder has none (a directory still in the earlier form, or a
 * new one). A link, a FIFO or a file over the format's size is refused (DirectoryRefused).
 */
export async function readOrgLog(directory: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await openRegularFile(orgLogPath(directory));
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return null;
    if (error instanceof NotARegularFileThere) throw new DirectoryRefused('malformed');
    throw toIoError('the directory log', error);
  }
  try {
    if ((await handle.stat()).size > DIRECTORY_MAX_BYTES) throw new DirectoryRefused('too-large');
    return await handle.readFile();
  } catch (error) {
    if (error instanceof DirectoryRefused) throw error;
    throw toIoError('the directory log', error);
  } finally {
    await handle.close();
  }
}
