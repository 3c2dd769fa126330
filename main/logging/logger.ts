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
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export type { Logger };

const SENSITIVE_KEYS = [
  'path',
  'paths',
  'name',
  'names',
  'note',
  'file',
  'files',
  'passphrase',
  'password',
  '*.password',
  'text',
  'armored',
  'folder',
  '*.path',
  '*.name',
  '*.note',
];

/** The file stream behind each logger made here, ended by closeLogger. */
const streams = new WeakMap<Logger, RotatingFileStream>();

export function createLogger(profileFolder: string, level: pino.Level = 'info'): Logger {
  const folder = join(profileFolder, 'logs');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stream = createStream('medseal.log', { path: folder, size: '5M', maxFiles: 5, mode: 0o600 });
  const logger = pino(
    {
      level,
      base: { app: 'medseal' },
      redact: { paths: SENSITIVE_KEYS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
  streams.set(logger, stream);
  return logger;
}

/** Writes out what is buffered and closes the log file (when the app quits); later lines go nowhere. */
export async function closeLogger(logger: Logger): Promise<void> {
  const stream = streams.get(logger);
  if (!stream) return;
  streams.delete(logger);
  await new Promise<void>((done) => stream.end(done));
}

/** For tests and tools that need no log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
