/**
 * Opening a file that someone else may have put there (an inbox entry, a
 * package on a share, the directory's cards, an exchange's id file) without
 * following a link and without blocking: a FIFO or a device planted under a
 * listed name would otherwise hang MedSeal (a read of a FIFO waits for a
 * writer for ever) or feed it endless bytes. Only a regular file is read,
 * and at most a stated number of bytes of it.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** The name leads to something other than a regular file (a link, FIFO, device, folder). */
export class NotARegularFileThere extends Error {
  constructor() {
    super('not a regular file');
  }
}

const NO_LINK = constants.O_NOFOLLOW ?? 0;
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for reading when it is a regular file; NotARegularFileThere for a FIFO, device or
 * folder, and for a link unless `followLinks` (a file the person chose in a dialog may be one).
 * Other errors (ENOENT, EACCES…) are thrown as they are.
 */
export async function openRegularFile(path: string, options: { followLinks?: boolean } = {}): Promise<FileHandle> {
  const handle = await open(path, FLAGS | (options.followLinks ? 0 : NO_LINK)).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ELOOP' || error.code === 'ENXIO' ? new NotARegularFileThere() : error;
  });
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new NotARegularFileThere();
  }
  return handle;
}

/** The first `maxBytes + 1` bytes at most of a regular file (one more than allowed, so that "too large" can be told). */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await openRegularFile(path);
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
