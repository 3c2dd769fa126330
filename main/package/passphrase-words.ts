/**
 * The passphrase of a passphrase package (docs/FORMAT.md §2.13): six words of
 * the BIP39 English list (2,048 words, 11 bits each: 66 bits), drawn by
 * MedSeal and never chosen by the sender, so that no sender can pick a weak
 * one. It is read aloud on the phone or sent by text message, so reading it
 * back is forgiving where that is safe (any case, any punctuation or line
 * breaks between words, each word's first four letters, which are unique in
 * the list) and strict about everything else. What the key derivation gets
 * is always the canonical form: the six whole words, lower case, one space
 * between them. The words never go into an error, a log or the audit log.
 */
import { randomInt } from 'node:crypto';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { PackagePassphraseInvalid } from './errors.js';

export const PACKAGE_PASSPHRASE_WORDS = 6;
/** log2(2048) × 6: the passphrase's strength in bits. */
export const PACKAGE_PASSPHRASE_BITS = 66;

const byPrefix = new Map(wordlist.map((word) => [word.slice(0, 4), word]));

/** A new passphrase, in canonical form: six words drawn uniformly from the list (CSPRNG). */
export function newPackagePassphrase(): string {
  return Array.from({ length: PACKAGE_PASSPHRASE_WORDS }, () => wordlist[randomInt(wordlist.length)]!).join(' ');
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z\s]+/g, ' ')
    .split(/\s+/)
    .filter((token) => token.length > 0);
}

function wordFor(token: string): string | null {
  // Words are unique by their first four letters; a few have only three (act, add, …).
  const word = byPrefix.get(token.slice(0, 4));
  if (!word || !word.startsWith(token) || (token.length < 4 && token !== word)) return null;
  return word;
}

/** The canonical passphrase for what was typed; PackagePassphraseInvalid names the count or the word's position. */
export function parsePackagePassphrase(text: string): string {
  const tokens = wordsOf(text);
  if (tokens.length !== PACKAGE_PASSPHRASE_WORDS) throw new PackagePassphraseInvalid({ count: tokens.length });
  return tokens
    .map((token, index) => {
      const word = wordFor(token);
      if (!word) throw new PackagePassphraseInvalid({ position: index + 1 });
      return word;
    })
    .join(' ');
}

/** Whether `text` reads as a package passphrase (six words of the list), as opposed to some other secret. */
export function isPackagePassphrase(text: string): boolean {
  const tokens = wordsOf(text);
  return tokens.length === PACKAGE_PASSPHRASE_WORDS && tokens.every((token) => wordFor(token) !== null);
}
