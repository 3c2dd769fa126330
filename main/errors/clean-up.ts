/**
 * Cleaning up after the work is done or has failed: closing a handle,
 * removing a temp file or a partial upload. When the work failed, that
 * failure is the one the person is told, so a cleanup's own failure of an
 * expected kind is not told again: the system refusing (ENOENT, EBADF,
 * EIO…) or an exchange's typed error (the connection already lost).
 * Anything else, a bug such as a TypeError, is thrown: a cleanup swallows
 * nothing it did not expect.
 */
import { isMedSealError } from './medseal-error.js';
import { isSystemError } from './node-error.js';

export async function cleanUp(work: Promise<unknown> | undefined): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isSystemError(error) && !isMedSealError(error)) throw error;
  }
}
