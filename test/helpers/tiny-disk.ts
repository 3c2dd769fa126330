/**
 * A real full disk for the tests: a tmpfs of a few hundred KiB mounted on a
 * folder (root only, as in CI), so that ENOSPC comes from the kernel and not
 * from a stub. Elsewhere `tinyDiskUnavailable()` says why the test is skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function mount(args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout}${result.stderr}`.trim() };
}

/** Why a small file system cannot be mounted here, or null when it can. */
export function tinyDiskUnavailable(): string | null {
  if (process.platform !== 'linux') return 'a tiny disk needs Linux tmpfs';
  if (process.getuid?.() !== 0) return 'mounting a tiny disk needs root (CI runs as root)';
  const probe = mkdtempSync(join(tmpdir(), 'medseal-probe-'));
  try {
    const mounted = mount(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    if (!mounted.ok) return `mount -t tmpfs failed: ${mounted.out}`;
    mount(['umount', probe]);
    return null;
  } finally {
    rmdirSync(probe);
  }
}

/** Mounts a `kib`-KiB tmpfs on `folder` (created, mode 0700); returns the unmount. */
export function mountTinyDisk(folder: string, kib: number): () => void {
  mkdirSync(folder, { recursive: true });
  const mounted = mount(['mount', '-t', 'tmpfs', '-o', `size=${kib}k,mode=0700`, 'tmpfs', folder]);
  if (!mounted.ok) throw new Error(`mount failed: ${mounted.out}`);
  return () => {
    mount(['umount', '--lazy', folder]);
  };
}
