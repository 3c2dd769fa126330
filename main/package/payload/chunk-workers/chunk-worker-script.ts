/**
 * Where the chunk worker's bundled entry file is: chunk-worker.cjs beside
 * the bundle that is running (the app's main and package worker, the CLI,
 * the benchmarks), which the build writes next to each of them. Code that
 * runs from source (the tests) names the built file once with
 * useChunkWorkerScript, since there is no bundle to stand beside.
 */
import { join } from 'node:path';

/** Set by the build (esbuild `define`) in every bundle. */
declare const MEDSEAL_BUNDLED: boolean | undefined;

export const CHUNK_WORKER_FILE = 'chunk-worker.cjs';

let configured: string | undefined;

/** Uses this built chunk-worker.cjs (for code running from source). */
export function useChunkWorkerScript(path: string): void {
  configured = path;
}

export function chunkWorkerScript(): string {
  if (configured) return configured;
  if (typeof MEDSEAL_BUNDLED === 'boolean' && MEDSEAL_BUNDLED) return join(__dirname, CHUNK_WORKER_FILE);
  throw new Error('chunk worker script unknown: running from source, call useChunkWorkerScript first');
}
