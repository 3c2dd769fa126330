/**
 * Where the opened payload stream is among the package's files. The payload
 * is the files' bytes one after another (docs/FORMAT.md), so a chunk's data
 * may end one file and begin the next, or span several small ones.
 */
export class PayloadCursor {
  private file = 0;
  private writtenInFile = 0;

  constructor(private readonly sizes: readonly number[]) {}

  /** Splits the next bytes of the payload into runs of pieces per file, in order. */
  split(parts: readonly Buffer[]): [file: number, pieces: Buffer[]][] {
    const runs: [number, Buffer[]][] = [];
    for (const part of parts) {
      let offset = 0;
      while (offset < part.length) {
        while (this.writtenInFile === this.sizes[this.file]) {
          this.file++;
          this.writtenInFile = 0;
        }
        const room = this.sizes[this.file];
        if (room === undefined) throw new RangeError('more payload than the files hold'); // open.ts checks the length first
        const length = Math.min(part.length - offset, room - this.writtenInFile);
        const piece = part.subarray(offset, offset + length);
        const last = runs.at(-1);
        if (last?.[0] === this.file) last[1].push(piece);
        else runs.push([this.file, [piece]]);
        offset += length;
        this.writtenInFile += length;
      }
    }
    return runs;
  }
}

/** Where `length` payload bytes from `start` land: per file touched, its index, the position in it, and the offset in the range. */
export function fileRanges(sizes: readonly number[], start: number, length: number): { file: number; position: number; offset: number; length: number }[] {
  const ranges = [];
  let fileStart = 0;
  for (const [file, size] of sizes.entries()) {
    const from = Math.max(start, fileStart);
    const to = Math.min(start + length, fileStart + size);
    if (from < to) ranges.push({ file, position: from - fileStart, offset: from - start, length: to - from });
    fileStart += size;
  }
  return ranges;
}
