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
import { open, readFile, rename, rm, stat } from 'node:fs/promises';

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
    if ((await readFile(path, 'utf8').catch(() => null)) === token) await rm(path, { force: true });
  };
  try {
    await take();
    return { ok: true, release };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { ok: false, held: false, error };
  }
  const held = await stat(path).catch(() => null);
  if (held && Date.now() - held.mtimeMs < staleAfterMs) return { ok: false, held: true };
  // Renaming is atomic: of several processes finding the same stale lock, one moves it away.
  const aside = `${path}.stale-${token}`;
  if (
    held &&
    !(await rename(path, aside).then(
      () => true,
      () => false,
    ))
  )
    return { ok: false, held: true };
  await rm(aside, { force: true });
  return take().then(
    () => ({ ok: true as const, release }),
    () => ({ ok: false as const, held: true }),
  );
}
