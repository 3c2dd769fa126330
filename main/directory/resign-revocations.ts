/**
 * What IT's tools sign again (`org revoke`, `org refresh-revocations`): the
 * list on the share, but never one older than the list this organisation key
 * last signed (someone who can write the share put an old one back, so that
 * a refresh would bring revoked partners back on every workstation), and an
 * expired list or one without an expiry only when IT says so after checking
 * it. The key's own record (`<key file>.revocations-signed`, beside it, in
 * IT's hands) holds the time of the last list it signed.
 */
import { readFile } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';
import { UsageError } from '../errors/usage-error.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readRevocations } from './revocation-list.js';

export interface ListToSign {
  readonly revoked: readonly string[];
  /** When the list on the share was signed; null for a new list. */
  readonly updatedAt: string | null;
}

function recordOf(keyFile: string): string {
  return `${keyFile}.revocations-signed`;
}

async function lastSigned(keyFile: string): Promise<string | null> {
  const text = await readFile(recordOf(keyFile), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null; // this key never signed a list here (or before this record existed)
    throw toIoError('the record of the last signed revocation list', error);
  });
  const match = text === null ? null : /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\n?$/.exec(text);
  return match?.[1] ?? null;
}

/**
 * The list IT may sign again; UsageError when it is missing (unless `newList`), unreadable, older
 * than the one this key signed last (rolled back), or expired / without expiry (unless `acceptOld`).
 */
export async function listToSign(
  dir: string,
  publicKey: Uint8Array,
  keyFile: string,
  options: { newList: boolean; acceptOld: boolean },
  now = new Date(),
): Promise<ListToSign> {
  const current = await readRevocations(dir, publicKey, { forResigning: true });
  if (!current.ok) {
    // A list that cannot be read is never replaced: earlier revocations would be lost with it.
    if (current.missing && options.newList) return { revoked: [], updatedAt: null };
    throw new UsageError(
      current.missing
        ? 'There is no revocation list in this directory (it may have been deleted). If the directory never had one, run again with --new-list.'
        : `The existing revocation list is not valid (${current.problem}); restore it from a backup first.`,
    );
  }
  const last = await lastSigned(keyFile);
  if (last !== null && current.updatedAt < last) {
    throw new UsageError(
      `The revocation list on the share was signed at ${current.updatedAt}, before the one this key signed last (${last}): it was put back from an older copy. Restore the newest list from your backup; nothing was signed.`,
    );
  }
  const stale = current.validUntil === null || now.getTime() >= Date.parse(current.validUntil);
  if (stale && !options.acceptOld) {
    throw new UsageError(
      `The revocation list on the share (signed ${current.updatedAt}, ${current.revoked.size} revoked) has ${current.validUntil === null ? 'no expiry (an older MedSeal signed it)' : 'expired'}. Check that it names every partner you revoked, then run again with --accept-old-list.`,
    );
  }
  return { revoked: [...current.revoked], updatedAt: current.updatedAt };
}

/** Records that this key just signed a list dated `updatedAt`. */
export async function rememberSigned(keyFile: string, updatedAt: Date): Promise<void> {
  await writeFileAtomic(recordOf(keyFile), `${updatedAt.toISOString()}\n`, 0o600);
}
