/** Node.js errors told apart by code: the expected case is named, anything else is not mistaken for it. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoError } from '../../main/errors/io-error.js';
import { isNodeError, isSystemError } from '../../main/errors/node-error.js';
import { tempFolder } from '../helpers/temp-folder.js';

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.unreachable('it should have failed'),
    (error: unknown) => error,
  );
}

describe('isNodeError and isSystemError', () => {
  it('name a file-system failure by its code, and only by one of the codes asked for', async () => {
    const missing = await failureOf(readFile(join(await tempFolder(), 'none')));
    expect(isNodeError(missing, 'ENOENT')).toBe(true);
    expect(isNodeError(missing, 'EACCES', 'ENOENT')).toBe(true);
    expect(isNodeError(missing, 'EEXIST')).toBe(false);
    expect(isSystemError(missing)).toBe(true);
  });

  it('do not take a MedSeal error, a bug or a plain value for a system failure', () => {
    const typed = new IoError('the profile folder', 'ENOENT');
    expect(isNodeError(typed, 'ENOENT')).toBe(false);
    expect(isSystemError(typed)).toBe(false);
    expect(isSystemError(new TypeError('not a function'))).toBe(false);
    expect(isNodeError('ENOENT', 'ENOENT')).toBe(false);
    expect(isNodeError(null, 'ENOENT')).toBe(false);
  });
});
