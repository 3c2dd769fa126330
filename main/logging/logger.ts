/**
 * Structured, rotating log files in the profile's `logs/` folder (pino,
 * written through rotating-file-stream: 5 files of 5 MB at most). Logs are
 * for support: events, counts, codes and durations. They never carry file
 * names, notes, paths, card text or secrets — callers pass only those kinds
 * of values, and the known sensitive keys are redacted as a second guard.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

export type { Logger };

const SENSITIVE_KEYS = ['path', 'paths', 'name', 'names', 'note', 'file', 'files', 'passphrase', 'text', 'armored', 'folder', '*.path', '*.name', '*.note'];

export function createLogger(profileFolder: string, level: pino.Level = 'info'): Logger {
  const folder = join(profileFolder, 'logs');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stream = createStream('medseal.log', { path: folder, size: '5M', maxFiles: 5, mode: 0o600 });
  return pino({ level, base: { app: 'medseal' }, redact: { paths: SENSITIVE_KEYS, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

/** For tests and tools that need no log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
