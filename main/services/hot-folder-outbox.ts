/**
 * The hot folder's outbox layout (services/hot-folder.ts): which of its
 * folders are MedSeal's own (work, sent, failed), where a dropped file goes
 * (`OUTBOX/<contact>/<file>`, or the outbox itself, which is refused), how
 * the outbox and its folders are pinned, and a free name in a folder.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isNodeError } from '../errors/node-error.js';
import { FolderPins, PinnedFolder } from '../fs/pinned-folder.js';

export const WORK_FOLDER = '.medseal-work';
export const SENT_FOLDER = 'sent';
export const FAILED_FOLDER = 'failed';

/** The folders of the outbox that are not recipients. */
export function isReservedFolder(name: string): boolean {
  return name === WORK_FOLDER || name === SENT_FOLDER || name === FAILED_FOLDER || name.startsWith('.');
}

/** The recipient folder and file name of a path dropped into the outbox, or null when it is not one. */
export function dropOf(outbox: string, path: string): { readonly to: string; readonly name: string } | null {
  const parts = relative(outbox, path).split(sep);
  if (parts.length !== 2 || isReservedFolder(parts[0]!) || parts[1]!.startsWith('.')) return null;
  return { to: parts[0]!, name: parts[1]! };
}

/** The name of a file dropped into the outbox itself (not into a contact's folder), or null when it is not one. */
export function rootDropOf(outbox: string, path: string): string | null {
  const parts = relative(outbox, path).split(sep);
  return parts.length === 1 && parts[0] !== '' && !isReservedFolder(parts[0]!) ? parts[0]! : null;
}

/**
 * Pins the outbox (fs/pinned-folder.ts): it and every folder in it must be this account's alone
 * (owned by it, no group or other write, no symbolic links), below folders no other account can
 * change. Another account that could change any of them could swap the outbox or a contact
 * folder between two polls and have the clinician's identity seal its own file ("please stop
 * warfarin", as from a verified Dr Alice), or receive the records sealed from it. Windows: the
 * folder's ACL is IT's (not checked here). Throws FolderNotSafe.
 */
export async function pinOutbox(outbox: string, pins: FolderPins = new FolderPins()): Promise<PinnedFolder> {
  const pinned = await pins.checked(outbox, { what: 'the outbox folder', sharing: 'private' });
  for (const entry of await readdir(outbox, { withFileTypes: true })) {
    if (entry.isDirectory() || entry.isSymbolicLink()) await pinIn(pins, pinned, entry.name);
  }
  return pinned;
}

export function pinIn(pins: FolderPins, outbox: PinnedFolder, name: string): Promise<PinnedFolder> {
  return pins.checked(outbox.child(name), {
    what: `the outbox's folder ${JSON.stringify(name)}`,
    sharing: 'private',
    within: outbox,
  });
}

/** `name`, or `name (2)`, … : a free name in `folder`. */
export async function freeName(folder: string, name: string): Promise<string> {
  for (let index = 1; ; index++) {
    const candidate = join(folder, index === 1 ? name : `${name} (${index})`);
    if (!(await stat(candidate).then(() => true, absent))) return candidate;
  }
}

/** A probe's answer where nothing is there (ENOENT): false. Any other failure is thrown. */
export function absent(error: unknown): false {
  if (isNodeError(error, 'ENOENT')) return false;
  throw error;
}
