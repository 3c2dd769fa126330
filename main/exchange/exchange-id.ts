/**
 * The id of a shared exchange folder (docs/FORMAT.md §5.4): a random value
 * in `<root>/.medseal-exchange`, written by IT or by the first MedSeal that
 * announces an inbox there. Announcements name it, so one copied from this
 * exchange into another folder reaches nobody there. The file is created
 * exclusively and read without following a link (nor blocking on a FIFO);
 * it is never replaced. It counts only when it belongs to root or to the
 * owner of the exchange folder (IT): anyone else could copy another
 * exchange's id into this one. Only such an account creates it.
 *
 *   "MEDSEAL-EXCHANGE1\n" || 32 lower-case hex digits || "\n"
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { createExclusive } from '../fs/publish-file.js';
import { NotARegularFileThere, openRegularFile } from '../fs/open-regular-file.js';

export const EXCHANGE_ID_FILE = '.medseal-exchange';
const PATTERN = /^MEDSEAL-EXCHANGE1\n([0-9a-f]{32})\n$/;
const MAX_BYTES = 64;

/** Who may have made the id file: root and the owner of the exchange folder. */
export type TrustedOwners = ReadonlySet<number>;

/** The exchange folder's id, or null when it has none (or a file someone else made, or not a plain file). */
export async function readExchangeId(root: string, trusted: TrustedOwners): Promise<string | null> {
  const handle = await openRegularFile(join(root, EXCHANGE_ID_FILE)).catch((error: unknown) => {
    if (error instanceof NotARegularFileThere || (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw toIoError('the exchange folder', error);
  });
  if (!handle) return null;
  try {
    const info = await handle.stat();
    if (process.platform !== 'win32' && !trusted.has(info.uid)) return null;
    const bytes = Buffer.alloc(MAX_BYTES + 1);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return PATTERN.exec(bytes.subarray(0, bytesRead).toString('latin1'))?.[1] ?? null;
  } finally {
    await handle.close();
  }
}

/**
 * The exchange folder's id, made now (exclusively, readable by all) when it has none and this
 * account may make it (root, or the owner of the exchange folder); null otherwise.
 */
export async function ensureExchangeId(root: string, trusted: TrustedOwners): Promise<string | null> {
  const existing = await readExchangeId(root, trusted);
  if (existing !== null) return existing;
  const me = process.getuid?.();
  if (me !== undefined && !trusted.has(me)) return null;
  const id = randomBytes(16).toString('hex');
  const handle = await createExclusive(join(root, EXCHANGE_ID_FILE), 0o644).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return null; // made meanwhile by another MedSeal, or something else is there
    throw toIoError('the exchange folder', error);
  });
  if (!handle) return readExchangeId(root, trusted);
  try {
    await handle.chmod(0o644);
    await handle.writeFile(`MEDSEAL-EXCHANGE1\n${id}\n`, 'latin1');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return id;
}
