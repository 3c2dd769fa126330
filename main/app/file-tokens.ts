/**
 * Files the renderer may refer to, by opaque token only. A path enters here
 * from main's own dialogs, from a file the OS asked us to open, or from a
 * drop (its path resolved by the preload); it must be an existing regular
 * file outside the profile folder (the renderer can never make main read
 * the keystore or database). Tokens are forgotten when the app locks.
 */
import { randomBytes } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, relative } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isNodeError, isSystemError } from '../errors/node-error.js';
import { FileRefused, UnknownFile } from './errors.js';

export interface FileEntry {
  readonly token: string;
  readonly path: string;
  readonly name: string;
  readonly size: number;
}

export class FileTokens {
  private readonly entries = new Map<string, FileEntry>();
  private parked = new Map<string, FileEntry>();

  constructor(private readonly profileFolder: string) {}

  /**
   * `alsoInside`: one folder of the profile whose files may be used too (the private downloads of
   * SFTP inbox packages); nothing else inside the profile ever is.
   */
  async register(path: string, options: { readonly alsoInside?: string } = {}): Promise<FileEntry> {
    if (!isAbsolute(path)) throw new FileRefused({}, { variant: 'not-chosen' });
    let real: string;
    let size: number;
    try {
      real = await realpath(path);
      const info = await stat(real);
      if (!info.isFile()) throw new FileRefused({}, { variant: 'folder' });
      size = info.size;
    } catch (error) {
      if (error instanceof FileRefused) throw error;
      throw new FileRefused({}, { variant: 'unreadable' });
    }
    const profile = await realpath(this.profileFolder).catch((error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return this.profileFolder; // no profile folder yet: nothing of it to protect
      throw toIoError('the profile folder', error);
    });
    const allowed =
      options.alsoInside &&
      (await realpath(options.alsoInside).catch((error: unknown) => {
        if (isNodeError(error, 'ENOENT')) return null; // no downloads yet: nothing there to allow
        throw toIoError('the downloads folder', error);
      }));
    if (isWithin(profile, real) && !(allowed && isWithin(allowed, real) && real !== allowed))
      throw new FileRefused({}, { variant: 'profile-file' });
    // One token per file: a window that refreshes a list (the inbox, on every change) gets the same tokens, not ever more.
    const known = [...this.entries.values()].find((entry) => entry.path === real && entry.name === basename(path));
    if (known && known.size === size) return known;
    if (known) this.entries.delete(known.token);
    const entry = { token: randomBytes(18).toString('base64url'), path: real, name: basename(path), size };
    this.entries.set(entry.token, entry);
    return entry;
  }

  get(token: string): FileEntry {
    const entry = this.entries.get(token);
    if (!entry) throw new UnknownFile();
    return entry;
  }

  ref(entry: FileEntry) {
    return { token: entry.token, name: entry.name, size: entry.size };
  }

  clear(): void {
    this.entries.clear();
    this.parked.clear();
  }

  /** On an automatic lock: every token stops working until restore(). */
  park(): void {
    for (const [token, entry] of this.entries) this.parked.set(token, entry);
    this.entries.clear();
  }

  /**
   * After the unlock: the parked tokens whose files are still there, unchanged in size, work again.
   * A file that cannot be checked (gone, moved, no longer readable) loses its token: using it says
   * "no longer available, choose it again", and choosing it again says why it cannot be read.
   */
  async restore(): Promise<void> {
    const parked = this.parked;
    this.parked = new Map();
    for (const [token, entry] of parked) {
      const same = await stat(entry.path).then(
        (info) => info.isFile() && info.size === entry.size,
        (error: unknown) => {
          if (isSystemError(error)) return false;
          throw error;
        },
      );
      if (same) this.entries.set(token, entry);
    }
  }
}

/** Whether `path` is `folder` itself or anywhere below it. */
function isWithin(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}
