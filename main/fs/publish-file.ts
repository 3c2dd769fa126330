/**
 * Moves a finished temp file to its final name without ever replacing an
 * existing file, even one created a moment ago by another program.
 *
 * link() fails with EEXIST when the target exists, which a plain rename()
 * would silently overwrite; where links are unsupported (some network and
 * FAT file systems), an exclusive copy is the fallback.
 */
import { copyFile, constants, link, unlink } from 'node:fs/promises';

export class TargetExists extends Error {
  constructor() {
    super('target exists');
  }
}

export async function publishWithoutReplacing(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TargetExists();
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    try {
      await copyFile(temp, target, constants.COPYFILE_EXCL);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') throw new TargetExists();
      throw copyError;
    }
  }
  await unlink(temp);
}
