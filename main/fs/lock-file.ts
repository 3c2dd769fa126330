/**
 * One writer at a time across processes (the app, the CLI, another
 * workstation on a share): an exclusive lock file holding a random token.
 * A lock older than `staleAfterMs` is taken as left by a crash: it is
 * renamed away (one taker wins the rename) and a new one made. Release
 * removes the lock only while it still holds our token. Locks on shared
 * folders are advisory: writers that must not lose data also check what
 * they wrote (org-recovery/emergency-log.ts reads its record back).
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { isNodeError } from '../errors/node-error.js';

export type LockResult =
  | { readonly ok: true; readonly release: () => Promise<void> }
  | { readonly ok: false; readonly held: boolean; readonly error?: unknown };

export async function takeLockFile(path: string, staleAfterMs = 10 * 60_000): Promise<LockResult> {
  const token = randomBytes(16).toString('hex');
  const take = async () => {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(token);
    } finally {
      await handle.close();
    }
  };
  const release = async () => {
    const holder = await readFile(path, 'utf8').catch((error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return null; // already moved away as stale by another process
      throw error;
    });
    if (holder === token) await rm(path, { force: true });
  };
  /** Another process got there first (its lock is there, or it moved the stale one away): held. Anything else: failed. */
  const heldOr = (expected: string) => (error: unknown) => {
    if (isNodeError(error, expected)) return { ok: false as const, held: true };
    return { ok: false as const, held: false, error };
  };
  try {
    await take();
    return { ok: true, release };
  } catch (error) {
    if (!isNodeError(error, 'EEXIST')) return { ok: false, held: false, error };
  }
  let held: Stats | null;
  try {
    held = await stat(path);
  } catch (error) {
    if (!isNodeError(error, 'ENOENT')) return { ok: false, held: false, error };
    held = null; // released meanwhile: take it
  }
  if (held && Date.now() - held.mtimeMs < staleAfterMs) return { ok: false, held: true };
  // Renaming is atomic: of several processes finding the same stale lock, one moves it away.
  const aside = `${path}.stale-${token}`;
  if (held) {
    const lost = await rename(path, aside).then(() => null, heldOr('ENOENT'));
    if (lost) return lost;
  }
  await rm(aside, { force: true });
  return take().then(() => ({ ok: true as const, release }), heldOr('EEXIST'));
}
