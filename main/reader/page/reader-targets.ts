/**
 * Where MedSeal Reader saves an opened file. Where the browser has the File
 * System Access API (Chrome, Edge), the file streams to the place the person
 * chose: the browser writes into a hidden swap file and puts the content in
 * place only on `close`, so a package that turns out damaged half-way never
 * puts unverified plaintext there. (A browser may create the chosen file,
 * empty, when its save dialog closes; the page cannot remove a file it did
 * not create, so a failed single save may leave that empty file. "Save all"
 * removes the files it created.) Elsewhere files are kept in memory until
 * every chunk has verified and then handed to the browser as downloads; that
 * is what limits the size (MEMORY_LIMIT_BYTES, for all the files of one save
 * together), and the page says so.
 */
import type { SaveTarget } from '../reader-package.js';

/** The largest file kept in memory for a download (browsers without the File System Access API). */
export const MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

interface WritableFile {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

interface FileHandle {
  createWritable(): Promise<WritableFile>;
}

interface FolderHandle {
  getFileHandle(name: string, options?: { create?: boolean }): Promise<FileHandle>;
  removeEntry(name: string): Promise<void>;
}

/** The parts of the File System Access API the Reader uses (not yet in TypeScript's DOM types). */
interface FileSystemAccess {
  showSaveFilePicker(options: { suggestedName: string }): Promise<FileHandle>;
  showDirectoryPicker(options: { mode: 'readwrite' }): Promise<FolderHandle>;
}

function fileSystemAccess(): FileSystemAccess | null {
  const page = window as unknown as Partial<FileSystemAccess>;
  return typeof page.showSaveFilePicker === 'function' && typeof page.showDirectoryPicker === 'function'
    ? (page as FileSystemAccess)
    : null;
}

/** Whether files stream to disk here; without it, the page states MEMORY_LIMIT_BYTES. */
export function streamsToDisk(): boolean {
  return fileSystemAccess() !== null;
}

/** The person closed the save dialog: nothing to save, and not an error. */
export class SaveDeclined extends Error {
  constructor() {
    super('The save dialog was closed');
    this.name = 'SaveDeclined';
  }
}

/** A file of that name is already in the folder chosen for "Save all": never replaced. */
export class NameTakenInFolder extends Error {
  constructor() {
    super('A file of that name is already in the folder');
    this.name = 'NameTakenInFolder';
  }
}

/** A file larger than MEMORY_LIMIT_BYTES where it cannot stream to disk. */
export class TooLargeForThisBrowser extends Error {
  constructor(readonly size: number) {
    super('The file is larger than this browser can save');
    this.name = 'TooLargeForThisBrowser';
  }
}

async function declinedAsSuch<T>(dialog: Promise<T>): Promise<T> {
  try {
    return await dialog;
  } catch (error) {
    // Closing the picker rejects with an AbortError: the person chose not to save.
    if (error instanceof DOMException && error.name === 'AbortError') throw new SaveDeclined();
    throw error;
  }
}

/** `undo` runs after an abort: a file that "Save all" created empty is taken away again. */
function streamTo(writable: WritableFile, undo?: () => Promise<void>): SaveTarget {
  return {
    write: (bytes) => writable.write(bytes),
    close: () => writable.close(),
    abort: async () => {
      await writable.abort();
      await undo?.();
    },
  };
}

/** Kept in memory; handed to the browser as a download once closed (after every chunk verified). */
function downloadOnClose(name: string, size: number): SaveTarget {
  if (size > MEMORY_LIMIT_BYTES) throw new TooLargeForThisBrowser(size);
  let parts: Uint8Array[] = [];
  return {
    write: async (bytes) => {
      parts.push(bytes.slice()); // the caller wipes its buffer after the write
    },
    close: async () => {
      const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: 'application/octet-stream' }));
      parts = [];
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      // The download has its own copy once started; the URL is let go a little later.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    abort: async () => {
      for (const part of parts) part.fill(0);
      parts = [];
    },
  };
}

/** A target for one file: the save dialog, or a download. */
export async function targetForFile(name: string, size: number): Promise<SaveTarget> {
  const access = fileSystemAccess();
  if (!access) return downloadOnClose(name, size);
  const handle = await declinedAsSuch(access.showSaveFilePicker({ suggestedName: name }));
  return streamTo(await handle.createWritable());
}

/** Targets for several files: one folder chosen once (no name in it replaced), or downloads. */
export async function targetsForFiles(
  files: readonly { readonly name: string; readonly size: number }[],
): Promise<SaveTarget[]> {
  const access = fileSystemAccess();
  if (!access) {
    // Every file of "Save all" is held in memory at once until the last chunk verified.
    const total = files.reduce((sum, file) => sum + file.size, 0);
    if (total > MEMORY_LIMIT_BYTES) throw new TooLargeForThisBrowser(total);
    return files.map((file) => downloadOnClose(file.name, file.size));
  }
  const folder = await declinedAsSuch(access.showDirectoryPicker({ mode: 'readwrite' }));
  for (const file of files) {
    try {
      await folder.getFileHandle(file.name);
    } catch (error) {
      // NotFoundError: the name is free, which is what we need.
      if (error instanceof DOMException && error.name === 'NotFoundError') continue;
      throw error;
    }
    throw new NameTakenInFolder();
  }
  const targets: SaveTarget[] = [];
  try {
    for (const file of files) {
      const handle = await folder.getFileHandle(file.name, { create: true });
      const remove = () => folder.removeEntry(file.name);
      // The file exists (empty) from here: it goes again if its writable cannot be had.
      const writable = await handle.createWritable().catch(async (error: unknown) => {
        await remove();
        throw error;
      });
      targets.push(streamTo(writable, remove));
    }
  } catch (error) {
    // The files created before it are taken away again: "Save all" leaves nothing behind.
    await Promise.all(targets.map((target) => target.abort()));
    throw error;
  }
  return targets;
}
