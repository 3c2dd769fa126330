/**
 * `--workers N` for seal and open: how many worker threads the chunk
 * encryption may use for this package (package/payload/chunk-cipher.ts),
 * 0 for none; never more than the policy's `maxChunkWorkers`. Checked while
 * the command line is parsed (commander calls workersOption), so that a typo
 * is a usage error naming the option before anything is asked, unlocked or
 * written, not a silent default.
 */
import { UsageError } from '../errors/usage-error.js';
import { MAX_CHUNK_THREADS } from '../package/payload/chunk-cipher.js';

export const WORKERS_FLAGS = '--workers <n>';
export const WORKERS_HELP = `worker threads for the encryption of a large package, 0 to ${MAX_CHUNK_THREADS} (default: one per core but one, at least two, at most eight; the policy may cap it)`;

/** The number given with --workers (commander's parser for the option). */
export function workersOption(text: string): number {
  const count = /^\d{1,2}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(count >= 0 && count <= MAX_CHUNK_THREADS))
    throw new UsageError({ variant: 'workers', params: { given: text.slice(0, 20), max: MAX_CHUNK_THREADS } });
  return count;
}
