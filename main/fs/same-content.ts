/**
 * Whether a file someone else may have written is byte for byte the file
 * MedSeal holds open: a same-size file proves nothing where others write.
 */
import type { FileHandle } from 'node:fs/promises';
import { NotARegularFileThere, openRegularFile } from './open-regular-file.js';

/** Compares the open source with the file at `path` (opened without following a link), block by block. */
export async function sameContent(source: FileHandle, path: string, size: number): Promise<boolean> {
  // Never a link, and never a FIFO planted under the name (opening one to read would wait for ever).
  const other = await openRegularFile(path).catch((error: unknown) => {
    if (error instanceof NotARegularFileThere || (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  if (!other) return false;
  try {
    const a = Buffer.allocUnsafe(1024 * 1024);
    const b = Buffer.allocUnsafe(1024 * 1024);
    for (let position = 0; position < size; position += a.length) {
      const length = Math.min(a.length, size - position);
      const [left, right] = await Promise.all([
        source.read(a, 0, length, position),
        other.read(b, 0, length, position),
      ]);
      if (
        left.bytesRead !== length ||
        right.bytesRead !== length ||
        !a.subarray(0, length).equals(b.subarray(0, length))
      )
        return false;
    }
    return true;
  } finally {
    await other.close();
  }
}
