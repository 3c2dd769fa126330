/**
 * Writes a small new file (a card, an audit export, a receipt) and never over an existing file: through a
 * temp file created exclusively and published by descriptor (fs/publish-file.ts). `mode` is
 * 0600 unless the content is public (a contact card may be 0644).
 */
import { lstat, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { tempPathBeside } from './atomic-write.js';
import { assertNoOtherWriters, createExclusive, publishWithoutReplacing, TargetExists } from './publish-file.js';
import { DestinationExists, TempFileReplaced } from './errors.js';

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
  await assertNoOtherWriters(dirname(path), `The folder for ${subject}`);
  const temp = tempPathBeside(path);
  let handle: FileHandle | undefined;
  try {
    handle = await createExclusive(temp, mode);
    await handle.chmod(mode); // through the descriptor: the umask does not decide who may read it
    await handle.writeFile(content);
    await handle.sync();
    await publishWithoutReplacing(handle, temp, path);
  } catch (error) {
    if (error instanceof TargetExists) throw new DestinationExists(`The file for ${subject}`);
    if (error instanceof TempFileReplaced) throw error;
    throw toIoError(subject, error);
  } finally {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined); // gone already once published
  }
}
