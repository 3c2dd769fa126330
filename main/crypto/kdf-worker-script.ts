/**
 * Where the KDF worker's bundled entry file is: kdf-worker.cjs beside the
 * running bundle (the build writes it next to each). Code running from
 * source names a built one with useKdfWorkerScript, or derives on its own
 * thread (null).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Set by the build (esbuild `define`) in every bundle. */
declare const MEDSEAL_BUNDLED: boolean | undefined;

export const KDF_WORKER_FILE = 'kdf-worker.cjs';

let configured: string | undefined;

export function useKdfWorkerScript(path: string): void {
  configured = path;
}

export function kdfWorkerScript(): string | null {
  if (configured) return configured;
  if (typeof MEDSEAL_BUNDLED === 'boolean' && MEDSEAL_BUNDLED) {
    const beside = join(__dirname, KDF_WORKER_FILE);
    return existsSync(beside) ? beside : null;
  }
  return null;
}
