/**
 * The two optional members of a package's metadata that make a referral and
 * its replies one thread (docs/FORMAT.md §2.4): `replyTo`, the header hash of
 * the package this one answers, and `subject`, a short line of text. One rule
 * for the sealer (before writing) and the opener (after decrypting), as for
 * file names: a subject a person could misread (line breaks, control or
 * invisible formatting characters, padding) is never written nor accepted.
 */
import { MAX_SUBJECT_CHARACTERS } from './format.js';

/** Why a subject is refused, as a code (the words are in texts/errors/en.ts). */
export type SubjectProblem = 'empty' | 'too-long' | 'control' | 'padded';

const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const HEADER_HASH = /^[0-9a-f]{64}$/;

export function subjectProblem(subject: string): SubjectProblem | null {
  if (subject.length === 0) return 'empty';
  if (UNSAFE.test(subject)) return 'control'; // also every line break: a subject is one line
  if ([...subject].length > MAX_SUBJECT_CHARACTERS) return 'too-long';
  if (subject.trim() !== subject) return 'padded';
  return null;
}

/** A header hash as docs/FORMAT.md §2.5 writes it: 64 lowercase hex digits. */
export function isHeaderHash(value: string): boolean {
  return HEADER_HASH.test(value);
}
