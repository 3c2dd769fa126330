/** Errors reach people and logs without patient information, paths or stacks. */
import { describe, expect, it } from 'vitest';
import { Output } from '../../main/cli/output.js';
import { EXIT } from '../../main/cli/exit-codes.js';
import { toIoError, IoError } from '../../main/errors/io-error.js';
import { WrongPassphrase } from '../../main/identity/errors.js';
import { RecipientUnverified } from '../../main/contacts/errors.js';

function capture(json: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const output = new Output(json, {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
  });
  return { output, out, err };
}

const systemError = Object.assign(
  new Error("ENOENT: no such file or directory, open '/home/dr/Zebulon_Quibble_MRN4417723.pdf'"),
  { code: 'ENOENT' },
);

describe('error output', () => {
  it('file-system errors become IoError without the path', () => {
    const error = toIoError('input file 2', systemError);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).userMessage).toBe(
      'Could not access input file 2: it does not exist. Nothing was changed.',
    );
    const { output, err } = capture(false);
    expect(output.error(error)).toBe(EXIT.io);
    expect(err.join('')).not.toMatch(/Zebulon|4417723|\/home/);
  });

  it('an unexpected error prints a generic message and no system text or stack', () => {
    const { output, err } = capture(false);
    expect(output.error(systemError)).toBe(EXIT.internal);
    expect(err.join('')).toBe(
      'medseal: error: An unexpected internal error occurred. Set MEDSEAL_DEBUG=1 to see details.\n',
    );
  });

  it('--json errors are one JSON line with the typed code', () => {
    const { output, err, out } = capture(true);
    expect(output.error(new WrongPassphrase())).toBe(EXIT.wrongPassphrase);
    expect(JSON.parse(err.join(''))).toEqual({
      error: { code: 'WRONG_PASSPHRASE', message: 'The passphrase is not correct. Nothing was changed.' },
    });
    expect(out).toEqual([]);
  });

  it('an error naming a contact shows their name, but never lets their card write to the terminal', () => {
    const { output, err } = capture(false);
    expect(output.error(new RecipientUnverified('Dr Bob\u001b[2K\rVerified Brown (Partner Lab)'))).toBe(
      EXIT.untrustedParty,
    );
    expect(err.join('')).toBe(
      'medseal: error: Dr Bob<U+001B>[2K<U+000D>Verified Brown (Partner Lab) is not verified. Compare safety numbers with them first.\n',
    );
  });
});
