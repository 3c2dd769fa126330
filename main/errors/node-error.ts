/**
 * Node.js system errors told apart by their code, so that a catch handles the one case it
 * expects (ENOENT when probing, EEXIST when creating) and passes every other failure on.
 */

/** Whether `error` is a Node.js error with one of `codes` (ENOENT, EEXIST…). */
export function isNodeError(error: unknown, code: string, ...codes: readonly string[]): error is NodeJS.ErrnoException {
  return hasCode(error) && (error.code === code || codes.includes(error.code));
}

/**
 * Whether `error` is a failed system call (a file, a socket, the OS user database): it carries a
 * code and the call's name. A MedSeal error or a bug (a TypeError) is not one.
 */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  return hasCode(error) && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function hasCode(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** A `.catch` for a probe (lstat, stat): nothing there (ENOENT, ENOTDIR) is null; any other failure is thrown on. */
export function nullIfMissing(error: unknown): null {
  if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return null;
  throw error;
}
