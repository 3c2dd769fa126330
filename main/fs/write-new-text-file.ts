/** Writes a small new text file (card, audit export) and never over an existing file. */
import { lstat, rm } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';
import { tempPathBeside, writeNewFileSynced } from './atomic-write.js';
import { publishWithoutReplacing, TargetExists } from './publish-file.js';
import { DestinationExists } from './errors.js';

export async function writeNewTextFile(path: string, text: string, subject: string): Promise<void> {
  if (await lstat(path).then(() => true, () => false)) throw new DestinationExists(`The file for ${subject}`);
  const temp = tempPathBeside(path);
  try {
    await writeNewFileSynced(temp, text, 0o644);
    await publishWithoutReplacing(temp, path);
  } catch (error) {
    if (error instanceof TargetExists) throw new DestinationExists(`The file for ${subject}`);
    throw toIoError(subject, error);
  } finally {
    await rm(temp, { force: true });
  }
}
