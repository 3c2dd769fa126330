/**
 * Writes a small new file (a card, an audit export, a receipt), or copies one (a sealed package for
 * an e-mail), and never over an existing file: through a
 * temp file created exclusively and published by descriptor (fs/publish-file.ts). `mode` is
 * 0600 unless the content is public (a contact card may be 0644).
 */
import { cleanUp } from '../errors/clean-up.js';
import { lstat, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMedSealError } from '../errors/medseal-error.js';
import { openRegularFile } from './open-regular-file.js';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { tempPathBeside } from './atomic-write.js';
import {
  assertNoOtherWriters,
  copyContent,
  createExclusive,
  publishWithoutReplacing,
  TargetExists,
} from './publish-file.js';
import { DestinationExists } from './errors.js';

export async function writeNewFile(
  path: string,
  content: string | Uint8Array,
  subject: string,
  mode = 0o600,
): Promise<void> {
  if (
    await lstat(path).then(
      () => true,
      (error: unknown) => {
        if (isNodeError(error, 'ENOENT')) return false;
        throw toIoError(subject, error);
      },
    )
  )
    throw new DestinationExists(`The file for ${subject}`);
  await publishNewFile(dirname(path), [basename(path)], subject, mode, (handle) => handle.writeFile(content));
}

/**
 * Copies `source` (a plain file, opened without following a link) into `folder` under the first free
 * name of `names`, with the same rules as writeNewFile: a copy a person will attach to an e-mail
 * is never one another account renamed over it. Returns the copy's path.
 */
export async function copyToNewFile(
  source: string,
  folder: string,
  names: Iterable<string>,
  subject: string,
  mode = 0o644,
): Promise<string> {
  const input = await openRegularFile(source).catch((error: unknown) => {
    throw toIoError(subject, error);
  });
  try {
    return await publishNewFile(folder, names, subject, mode, (output) => copyContent(input, output));
  } finally {
    await input.close();
  }
}

/**
 * The one way a new file is published: in a folder others cannot rename files in, a temp file of
 * ours is filled through its descriptor, synced and linked under the first free name of `names`,
 * never replacing a file. DestinationExists when every name is taken.
 */
async function publishNewFile(
  folder: string,
  names: Iterable<string>,
  subject: string,
  mode: number,
  fill: (handle: FileHandle) => Promise<void>,
): Promise<string> {
  await assertNoOtherWriters(folder, `The folder for ${subject}`);
  const temp = tempPathBeside(join(folder, 'new'));
  let handle: FileHandle | undefined;
  try {
    handle = await createExclusive(temp, mode);
    await handle.chmod(mode); // through the descriptor: the umask does not decide who may read it
    await fill(handle);
    await handle.sync();
    for (const name of names) {
      try {
        await publishWithoutReplacing(handle, temp, join(folder, name));
        return join(folder, name);
      } catch (error) {
        if (!(error instanceof TargetExists)) throw error;
      }
    }
    throw new DestinationExists(`The file for ${subject}`);
  } catch (error) {
    if (isMedSealError(error)) throw error; // DestinationExists, TempFileReplaced: said as they are
    throw toIoError(subject, error);
  } finally {
    await cleanUp(handle?.close()); // closing after a failure: that failure is the one told
    await cleanUp(rm(temp, { force: true })); // gone already once published; else best effort
  }
}
