/**
 * The files being sealed, read as one continuous stream in fixed-size
 * pieces. Sizes are taken when the files are opened (they go into the
 * metadata); a file that grows or shrinks while it is read is an error,
 * never a silently different package.
 */
import { cleanUp } from '../errors/clean-up.js';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { SourceChanged } from './errors.js';
import type { PackageFileEntry } from './metadata.js';

export interface SealInputFile {
  readonly path: string;
  /** Name recorded in the package; defaults to the file's own name. */
  readonly name?: string;
}

export class InputFiles {
  private current = 0;
  private offsetInCurrent = 0;

  private constructor(
    private readonly handles: FileHandle[],
    readonly entries: PackageFileEntry[],
  ) {}

  static async open(files: readonly SealInputFile[]): Promise<InputFiles> {
    const handles: FileHandle[] = [];
    const entries: PackageFileEntry[] = [];
    try {
      for (const [index, file] of files.entries()) {
        const subject = `input file ${index + 1}`;
        let handle: FileHandle;
        try {
          handle = await open(file.path, 'r');
        } catch (error) {
          throw toIoError(subject, error);
        }
        handles.push(handle);
        const stats = await handle.stat().catch((error: unknown) => {
          throw toIoError(subject, error);
        });
        if (!stats.isFile()) throw toIoError(subject, Object.assign(new Error('not a file'), { code: 'EISDIR' }));
        entries.push({ name: (file.name ?? basename(file.path)).normalize('NFC'), size: stats.size });
      }
      return new InputFiles(handles, entries);
    } catch (error) {
      await Promise.all(handles.map((handle) => cleanUp(handle.close())));
      throw error;
    }
  }

  /** Fills `target` completely from the remaining bytes of all files. */
  async readInto(target: Buffer): Promise<void> {
    let filled = 0;
    while (filled < target.length) {
      const entry = this.entries[this.current];
      const handle = this.handles[this.current];
      if (!entry || !handle) throw new SourceChanged(this.entries.length);
      const wanted = Math.min(target.length - filled, entry.size - this.offsetInCurrent);
      if (wanted === 0) {
        await this.expectEnd(this.current);
        this.current++;
        this.offsetInCurrent = 0;
        continue;
      }
      const { bytesRead } = await handle.read(target, filled, wanted, this.offsetInCurrent).catch((error: unknown) => {
        throw toIoError(`input file ${this.current + 1}`, error);
      });
      if (bytesRead === 0) throw new SourceChanged(this.current + 1);
      filled += bytesRead;
      this.offsetInCurrent += bytesRead;
    }
  }

  /** After the last chunk: every file must end exactly where its recorded size said. */
  async finish(): Promise<void> {
    for (let index = this.current; index < this.handles.length; index++) {
      const entry = this.entries[index];
      const offset = index === this.current ? this.offsetInCurrent : 0;
      if (entry && offset !== entry.size) throw new SourceChanged(index + 1);
      await this.expectEnd(index);
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.handles.map((handle) => cleanUp(handle.close())), // files only read from: nothing of them is lost
    );
  }

  private async expectEnd(index: number): Promise<void> {
    const handle = this.handles[index];
    const entry = this.entries[index];
    if (!handle || !entry) return;
    const probe = Buffer.alloc(1);
    const { bytesRead } = await handle.read(probe, 0, 1, entry.size);
    if (bytesRead !== 0) throw new SourceChanged(index + 1);
  }
}
