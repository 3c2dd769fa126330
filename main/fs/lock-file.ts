/**
 * One writer at a time across processes (the app, the CLI, another
 * workstation on a share): an exclusive lock file beside what is written.
 * A lock older than `staleAfterMs` is taken as left by a crash and replaced.
 */
import { open, rm, stat } from 'node:fs/promises';

export type LockResult = { readonly ok: true; readonly release: () => Promise<void> } | { readonly ok: false; readonly held: boolean; readonly error?: unknown };

export async function takeLockFile(path: string, staleAfterMs = 10 * 60_000): Promise<LockResult> {
  const take = () => open(path, 'wx', 0o600).then((handle) => handle.close());
  const release = () => rm(path, { force: true });
  try {
    await take();
    return { ok: true, release };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { ok: false, held: false, error };
  }
  const held = await stat(path).catch(() => null);
  if (held && Date.now() - held.mtimeMs < staleAfterMs) return { ok: false, held: true };
  await rm(path, { force: true });
  return take().then(
    () => ({ ok: true as const, release }),
    () => ({ ok: false as const, held: true }),
  );
}
