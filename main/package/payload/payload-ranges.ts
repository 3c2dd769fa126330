/**
 * Where opened payload bytes go. The payload is the files' bytes one after
 * another (docs/FORMAT.md), so a chunk's data may end one file and begin the
 * next, or span several small ones. The same ranges serve the calling thread
 * and chunk workers, which both write slices of a chunk's parts.
 */

export interface FileRange {
  readonly file: number;
  /** Where in the file. */
  readonly position: number;
  /** Where in the given payload range. */
  readonly offset: number;
  readonly length: number;
}

/** Where `length` payload bytes from `start` land: one range per file touched, in order, empty files skipped. */
export function fileRanges(sizes: readonly number[], start: number, length: number): FileRange[] {
  const ranges: FileRange[] = [];
  let covered = 0;
  let fileStart = 0;
  for (const [file, size] of sizes.entries()) {
    if (fileStart >= start + length) break;
    const from = Math.max(start, fileStart);
    const to = Math.min(start + length, fileStart + size);
    if (from < to) {
      ranges.push({ file, position: from - fileStart, offset: from - start, length: to - from });
      covered += to - from;
    }
    fileStart += size;
  }
  if (covered < length) throw new RangeError('more payload than the files hold'); // open.ts checks the length first
  return ranges;
}

/**
 * `length` bytes from `offset` of the bytes `parts` hold one after another, as views (no copies).
 * Also shipped to chunk workers as source text, so it must stay self-contained.
 */
export function partsRange(parts: readonly Buffer[], offset: number, length: number): Buffer[] {
  const pieces: Buffer[] = [];
  let skip = offset;
  let left = length;
  for (const part of parts) {
    if (left === 0) break;
    if (skip >= part.length) {
      skip -= part.length;
      continue;
    }
    const piece = part.subarray(skip, Math.min(part.length, skip + left));
    pieces.push(piece);
    left -= piece.length;
    skip = 0;
  }
  return pieces;
}
