/**
 * "Keep both": when a folder already has a file of the name being saved, the new one is saved
 * as "name (2).ext", "name (3).ext", … as file managers do, and the existing file is never
 * touched. The names here are only candidates: the caller publishes without replacing and moves
 * on to the next candidate if another process took the name meanwhile.
 */
import { lstat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** How many numbered names are tried before giving up (the folder is then full of copies). */
export const KEEP_BOTH_LIMIT = 999;

/** `letter.pdf`, 2 → `letter (2).pdf`; `.profile`, 2 → `.profile (2)`; 1 is the name itself. */
export function numberedName(name: string, number: number): string {
  if (number <= 1) return name;
  const extension = extname(name);
  const stem = extension === '' || extension === name ? name : name.slice(0, -extension.length);
  return `${stem} (${number})${stem === name ? '' : extension}`;
}

/** The names to try for `name`, in order: itself, then numbered copies. */
export function* keepBothCandidates(name: string): Generator<string> {
  for (let number = 1; number <= KEEP_BOTH_LIMIT; number++) yield numberedName(name, number);
}

async function taken(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Positions of the `names` already present in `folder` (as a file, a folder or a link). */
export async function takenNames(folder: string, names: readonly string[]): Promise<number[]> {
  const present = await Promise.all(names.map((name) => taken(join(folder, name))));
  return present.flatMap((isTaken, index) => (isTaken ? [index] : []));
}

/** The first candidate for `name` that is free in `folder` now and not in `alsoTaken`. */
export async function firstFreeName(folder: string, name: string, alsoTaken: ReadonlySet<string> = new Set()): Promise<string | null> {
  for (const candidate of keepBothCandidates(name)) if (!alsoTaken.has(candidate) && !(await taken(join(folder, candidate)))) return candidate;
  return null;
}
