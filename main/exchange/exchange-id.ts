/**
 * The id of a shared exchange folder (docs/FORMAT.md §5.4): a random value
 * in `<root>/.medseal-exchange`, written by IT or by the first MedSeal that
 * announces an inbox there. Announcements name it, so one copied from this
 * exchange into another folder reaches nobody there. The file is created
 * exclusively and read without following a link; it is never replaced.
 *
 *   "MEDSEAL-EXCHANGE1\n" || 32 lower-case hex digits || "\n"
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { createExclusive } from '../fs/publish-file.js';

export const EXCHANGE_ID_FILE = '.medseal-exchange';
const PATTERN = /^MEDSEAL-EXCHANGE1\n([0-9a-f]{32})\n$/;
const MAX_BYTES = 64;

/** The exchange folder's id, or null when it has none (or something else is in its place). */
export async function readExchangeId(root: string): Promise<string | null> {
  const handle = await open(join(root, EXCHANGE_ID_FILE), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ELOOP') return null;
    throw toIoError('the exchange folder', error);
  });
  if (!handle) return null;
  try {
    if (!(await handle.stat()).isFile()) return null;
    const bytes = Buffer.alloc(MAX_BYTES + 1);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return PATTERN.exec(bytes.subarray(0, bytesRead).toString('latin1'))?.[1] ?? null;
  } finally {
    await handle.close();
  }
}

/** The exchange folder's id, made now (exclusively, readable by all) when it has none. */
export async function ensureExchangeId(root: string): Promise<string | null> {
  const existing = await readExchangeId(root);
  if (existing !== null) return existing;
  const id = randomBytes(16).toString('hex');
  const handle = await createExclusive(join(root, EXCHANGE_ID_FILE), 0o644).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return null; // made meanwhile by another MedSeal, or something else is there
    throw toIoError('the exchange folder', error);
  });
  if (!handle) return readExchangeId(root);
  try {
    await handle.chmod(0o644);
    await handle.writeFile(`MEDSEAL-EXCHANGE1\n${id}\n`, 'latin1');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return id;
}
