/** Reading a recovery code as people type it back, and refusing what is wrong with a reason. */
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { formatRecoveryCode, newRecoveryCode, parseRecoveryCode } from '../../main/recovery/recovery-code.js';
import { RecoveryCodeInvalid } from '../../main/recovery/errors.js';

const code = newRecoveryCode();

function problem(text: string): string {
  try {
    parseRecoveryCode(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RecoveryCodeInvalid);
    return (error as RecoveryCodeInvalid).userMessage;
  }
  throw new Error('accepted');
}

describe('recovery code', () => {
  it('is 24 words carrying 32 random bytes; two codes differ', () => {
    expect(code.words).toHaveLength(24);
    expect(code.entropy).toHaveLength(32);
    expect(newRecoveryCode().words).not.toEqual(code.words);
  });

  it('reads back as printed, in capitals, by four-letter prefixes, numbered or on several lines', () => {
    const expected = Buffer.from(code.entropy);
    expect(Buffer.from(parseRecoveryCode(code.words.join(' ')))).toEqual(expected);
    expect(Buffer.from(parseRecoveryCode(formatRecoveryCode(code.words).join('\n')))).toEqual(expected);
    expect(Buffer.from(parseRecoveryCode(code.words.map((word) => word.toUpperCase()).join(', ')))).toEqual(expected);
    expect(Buffer.from(parseRecoveryCode(code.words.map((word) => word.slice(0, 4)).join(' ')))).toEqual(expected);
  });

  it('names a word that is not a recovery word, and a missing one', () => {
    const typo = [...code.words];
    typo[6] = 'zzzz';
    expect(problem(typo.join(' '))).toMatch(/word 7 is not one of the recovery words/);
    const badTail = [...code.words];
    badTail[2] = `${badTail[2]!.slice(0, 4)}xq`; // the prefix is a word, the rest is not
    expect(problem(badTail.join(' '))).toMatch(/word 3 is not one of the recovery words/);
    expect(problem(code.words.slice(1).join(' '))).toMatch(/it has 23 words instead of 24/);
  });

  it('catches two swapped words and one wrong valid word by the checksum', () => {
    const swapped = [...code.words];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    if (swapped[3] !== swapped[4]) expect(problem(swapped.join(' '))).toMatch(/do not fit together/);
    // A fixed code, so the outcome is the same every run: the 8-bit checksum refuses most valid words in place of the last.
    const fixed = entropyToMnemonic(new Uint8Array(32).fill(7), wordlist).split(' ');
    const accepted = wordlist.slice(0, 64).filter((word) => {
      const changed = [...fixed.slice(0, 23), word];
      try {
        parseRecoveryCode(changed.join(' '));
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted.length).toBeLessThan(4); // without the checksum all 64 would pass
  });
});
