/**
 * The profile folder: where one identity's keystore, contacts and (later)
 * database live. Several profiles can coexist on a machine (--home or
 * MEDSEAL_HOME). The folder is private to the user: 0700, files 0600.
 */
import { chmod, lstat, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { isTempName } from '../fs/atomic-write.js';
import { PinnedFolder } from '../fs/pinned-folder.js';

export const PRODUCT_FOLDER_NAME = 'MedSeal';

/** The same folder Electron's app.getPath('userData') gives for productName "MedSeal". */
export function defaultProfileFolder(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_FOLDER_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_FOLDER_NAME);
}

export function resolveProfileFolder(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.MEDSEAL_HOME ?? defaultProfileFolder(env);
}

export class ProfileFolder {
  constructor(readonly path: string) {}

  get keystorePath(): string {
    return join(this.path, 'identity.keystore.json');
  }

  get databasePath(): string {
    return join(this.path, 'medseal.db');
  }

  /**
   * Creates the folder if needed and makes sure only this user can enter it, below folders no
   * other account can change (fs/pinned-folder.ts: another account that could rename a folder
   * above could put its own profile, logs or backups in its place). Throws FolderNotSafe.
   */
  async ensure(): Promise<void> {
    try {
      await mkdir(this.path, { recursive: true, mode: 0o700 });
      if (process.platform !== 'win32') {
        const info = await lstat(this.path);
        if (!info.isSymbolicLink() && (info.mode & 0o777) !== 0o700) await chmod(this.path, 0o700);
      }
    } catch (error) {
      throw toIoError('the profile folder', error);
    }
    await PinnedFolder.pin(this.path, { what: 'the profile folder', sharing: 'private' });
  }

  /**
   * Removes temp files that an interrupted write left behind; returns how many.
   * Only files older than `minAgeMs` go, so a write in progress in another
   * process (a temp file lives for milliseconds) is never disturbed.
   */
  async removeStrayTempFiles(minAgeMs = 60_000, now = Date.now()): Promise<number> {
    const absent = (error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return null; // no profile yet, or a temp file its writer just renamed
      throw toIoError('the profile folder', error);
    };
    const names = ((await readdir(this.path).catch(absent)) ?? []).filter(isTempName);
    let removed = 0;
    for (const name of names) {
      const path = join(this.path, name);
      const info = await stat(path).catch(absent);
      if (!info || now - info.mtimeMs < minAgeMs) continue;
      await rm(path, { force: true });
      removed++;
    }
    return removed;
  }
}
