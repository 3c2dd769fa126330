/**
 * Who may change the policy file on Linux and macOS, through the file or
 * through any folder on the way to it. A root-owned 0644 policy.json is only
 * as safe as /etc/medseal/ and /etc/: whoever may write one of them can
 * rename the folder away and put their own (looser) policy in its place. So
 * the file and every folder from its own up to / (on both the path as named
 * and the path its symbolic links lead to) must be owned by root and not
 * writable by group or others; a folder writable by others only counts as
 * safe with the sticky bit (then nobody but root renames root's entries).
 * Any doubt fails closed with the reason and the folder to fix.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isSystemError } from '../errors/node-error.js';

export interface PosixPlaceOptions {
  /** Accounts that may own the file and its folders: root only, unless a test adds its own. */
  readonly trustedUids?: readonly number[];
}

const STICKY = 0o1000;
const GROUP_OR_OTHER_WRITE = 0o022;

/** Every folder from the path's own up to the root, nearest first. */
export function foldersAbove(path: string): string[] {
  const folders: string[] = [];
  for (let folder = dirname(resolve(path)); ; folder = dirname(folder)) {
    folders.push(folder);
    if (dirname(folder) === folder) return folders;
  }
}

/** The problem with one folder on the way, or null when only a trusted account can change what it holds. */
function folderProblem(
  folder: string,
  info: { uid: number; mode: number; isSymbolicLink(): boolean },
  trusted: readonly number[],
): string | null {
  if (!trusted.includes(info.uid))
    return `the folder ${folder} must be owned by root (its owner, uid ${info.uid}, could put another policy in its place)`;
  if (info.isSymbolicLink()) return null; // a link's own mode means nothing; where it leads is checked on the resolved path
  if ((info.mode & GROUP_OR_OTHER_WRITE) !== 0 && (info.mode & STICKY) === 0) {
    return `the folder ${folder} must not be writable by group or others (chmod go-w "${folder}"), or others could put another policy in its place`;
  }
  return null;
}

/** Why someone other than root could change or replace the file; null when nobody can. Fails closed. */
export async function posixPolicyPlaceProblem(file: string, options: PosixPlaceOptions = {}): Promise<string | null> {
  const trusted = options.trustedUids ?? [0];
  const info = await stat(file);
  if (!trusted.includes(info.uid)) return 'it must be owned by root (any user could change it otherwise)';
  if ((info.mode & GROUP_OR_OTHER_WRITE) !== 0) return 'it must not be writable by group or others (chmod 644)';
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    if (!isSystemError(error)) throw error;
    return `the folders above it cannot be checked (${error.code})`;
  }
  const folders = [...new Set([...foldersAbove(file), ...foldersAbove(real)])];
  for (const folder of folders) {
    const entry = await lstat(folder).catch((error: NodeJS.ErrnoException) => error);
    if (entry instanceof Error)
      return `the folder ${folder} above it cannot be checked (${entry.code ?? 'unknown error'})`;
    const problem = folderProblem(folder, entry, trusted);
    if (problem) return problem;
  }
  return null;
}
