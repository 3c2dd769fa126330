/**
 * "Keep both": when a folder already has a file of the name being saved, the new one is saved
 * as "name (2).ext", "name (3).ext", … as file managers do, and the existing file is never
 * touched. The names here are only candidates: the caller publishes without replacing and moves
 * on to the next candidate if another process took the name meanwhile.
 */
import { lstat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { fileNameCollisionKey } from './name-key.js';

/** How many numbered names are tried before giving up (the folder is then full of copies). */
export const KEEP_BOTH_LIMIT = 999;

/** The longest file name most file systems take, in bytes of UTF-8. */
const NAME_BYTES = 255;

/**
 * `letter.pdf`, 2 → `letter (2).pdf`; `.profile`, 2 → `.profile (2)`; 1 is the name itself. A
 * stem too long to take the number is shortened (by whole characters) so the name still fits.
 */
export function numberedName(name: string, number: number): string {
  if (number <= 1) return name;
  const extension = extname(name);
  const hasExtension = extension !== '' && extension !== name;
  const stem = [...(hasExtension ? name.slice(0, -extension.length) : name)];
  const ending = [...(hasExtension ? extension : '')];
  const joined = () => `${stem.join('')} (${number})${ending.join('')}`;
  while (stem.length > 1 && Buffer.byteLength(joined()) > NAME_BYTES) stem.pop();
  while (ending.length > 2 && Buffer.byteLength(joined()) > NAME_BYTES) ending.pop(); // a very long extension too
  return joined();
}

/** The set of names a file must not be saved under, compared as the disk compares them. */
export class ReservedNames {
  private readonly keys: Set<string>;
  constructor(names: Iterable<string> = []) {
    this.keys = new Set([...names].map(fileNameCollisionKey));
  }
  has(name: string): boolean {
    return this.keys.has(fileNameCollisionKey(name));
  }
  add(name: string): void {
    this.keys.add(fileNameCollisionKey(name));
  }
}

/**
 * The names to try for `name`, in order: itself, then numbered copies, skipping `reserved`
 * (the package's files' own names, so that no file is saved under another's name, even one
 * differing only in case, which NTFS and APFS treat as the same).
 */
export function* keepBothCandidates(name: string, reserved: ReservedNames = new ReservedNames()): Generator<string> {
  for (let number = 1; number <= KEEP_BOTH_LIMIT; number++) {
    const candidate = numberedName(name, number);
    if (number === 1 || !reserved.has(candidate)) yield candidate;
  }
}

/** Whether something has that name (ENOENT: free); a folder that cannot be looked into throws IoError. */
async function taken(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return false;
      throw toIoError('the destination folder', error);
    },
  );
}

/** Positions of the `names` already present in `folder` (as a file, a folder or a link). */
export async function takenNames(folder: string, names: readonly string[]): Promise<number[]> {
  const present = await Promise.all(names.map((name) => taken(join(folder, name))));
  return present.flatMap((isTaken, index) => (isTaken ? [index] : []));
}

/** The first candidate for `name` that is free in `folder` now and not in `alsoTaken`. */
export async function firstFreeName(
  folder: string,
  name: string,
  alsoTaken: ReservedNames = new ReservedNames(),
): Promise<string | null> {
  for (const candidate of keepBothCandidates(name, alsoTaken))
    if (!alsoTaken.has(candidate) && !(await taken(join(folder, candidate)))) return candidate;
  return null;
}
