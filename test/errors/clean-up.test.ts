/**
 * cleanUp (main/errors/clean-up.ts): a cleanup's failure of an expected
 * kind (a failed system call, an exchange's typed error) is not told again,
 * since the work's own failure is the one told; a bug is thrown.
 */
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cleanUp } from '../../main/errors/clean-up.js';
import { TransportUnreachable } from '../../main/exchange/errors.js';

describe('cleanUp', () => {
  it('takes a failed system call and an exchange that is already gone, and nothing at all', async () => {
    await expect(cleanUp(rm('/no/such/folder/medseal-temp'))).resolves.toBeUndefined(); // ENOENT, with its syscall
    await expect(
      cleanUp(Promise.reject(new TransportUnreachable('sftp.example', 'connection-lost'))),
    ).resolves.toBeUndefined();
    await expect(cleanUp(undefined)).resolves.toBeUndefined();
  });

  it('throws what it did not expect: a bug, or an error without a system call', async () => {
    await expect(cleanUp(Promise.reject(new TypeError('handle.close is not a function')))).rejects.toThrow(TypeError);
    await expect(cleanUp(Promise.reject(Object.assign(new Error('odd'), { code: 'EODD' })))).rejects.toThrow('odd');
  });
});
