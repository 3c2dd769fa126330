/**
 * The recovery code: 24 words of the BIP39 English list (256 bits and a
 * checksum, via the audited @scure/bip39), written on paper by a clinician
 * and typed back months later. Reading is forgiving where it is safe to be
 * (any case, numbering, punctuation, line breaks, the first four letters of
 * each word, which are unique in the list) and strict about everything else:
 * an unknown word is named by position, a wrong or missing word fails the
 * checksum.
 */
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { randomBytes } from 'node:crypto';
import { RecoveryCodeInvalid } from './errors.js';

export const RECOVERY_CODE_WORDS = 24;
const ENTROPY_BYTES = 32;
const byPrefix = new Map(wordlist.map((word) => [word.slice(0, 4), word]));

/** A new recovery code: its words and the 32 bytes of entropy they carry. */
export function newRecoveryCode(): { words: string[]; entropy: Uint8Array } {
  const entropy = new Uint8Array(randomBytes(ENTROPY_BYTES));
  return { words: entropyToMnemonic(entropy, wordlist).split(' '), entropy };
}

/** The 32 bytes of entropy of a typed recovery code; RecoveryCodeInvalid says what is wrong. */
export function parseRecoveryCode(text: string): Uint8Array {
  const tokens = text
    .toLowerCase()
    .replace(/[^a-z\s]+/g, ' ')
    .split(/\s+/)
    .filter((token) => token.length > 0);
  if (tokens.length !== RECOVERY_CODE_WORDS)
    throw new RecoveryCodeInvalid(`it has ${tokens.length} words instead of ${RECOVERY_CODE_WORDS}`);
  const words = tokens.map((token, index) => {
    // Words are unique by their first four letters; a few have only three (act, add, …).
    const word = byPrefix.get(token.slice(0, 4));
    if (!word || !word.startsWith(token) || (token.length < 4 && token !== word))
      throw new RecoveryCodeInvalid(`word ${index + 1} is not one of the recovery words`);
    return word;
  });
  try {
    return mnemonicToEntropy(words.join(' '), wordlist);
  } catch {
    throw new RecoveryCodeInvalid('the words do not fit together (one is wrong, missing or out of order)');
  }
}

/** The code as it is printed: numbered, four words per line. */
export function formatRecoveryCode(words: readonly string[]): string[] {
  const lines: string[] = [];
  for (let start = 0; start < words.length; start += 4) {
    lines.push(
      words
        .slice(start, start + 4)
        .map((word, offset) => `${String(start + offset + 1).padStart(2, ' ')}. ${word}`)
        .join('   '),
    );
  }
  return lines;
}
