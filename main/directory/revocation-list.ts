/**
 * The organisation's signed revocation list, `<dir>/revoked.json` (FORMAT.md §10):
 *
 *   {"revoked": [fingerprints], "updatedAt", "validUntil", "signature"}
 *
 * It exists so that a card IT removed from the directory stays removed on
 * every workstation, including one that never saw the list that removed it.
 * The signature covers the sorted fingerprints and both times, and a list is
 * accepted only until its `validUntil`, which IT renews (`medseal org
 * refresh-revocations`, every `org revoke`): an old signed list put back on
 * the share stops working when it expires, even on a new profile or one
 * restored from an old backup that has no memory of a newer list.
 *
 * Lists signed before `validUntil` existed have none; workstations refuse
 * them (they could be any old list), and only IT's tools read them, to sign
 * the same fingerprints again with an expiry.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ed25519Verify } from '../crypto/primitives.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { RevocationListExpired, RevocationListRefused } from './errors.js';
import { NotARegularFileThere, readRegularFile } from '../fs/open-regular-file.js';

/** A list of a million fingerprints is about 67 MB; anything larger is not one. */
const REVOCATIONS_MAX_BYTES = 80 * 1024 * 1024;

function isErrno(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** Lists without validUntil (before this version): read by IT's tools only. */
const LEGACY_CONTEXT = Buffer.from('MEDSEAL-v1-org-revocations', 'ascii');
const CONTEXT = Buffer.from('MEDSEAL-v2-org-revocations', 'ascii');
export const REVOCATIONS_FILE = 'revoked.json';
/** How long what IT signs stays valid unless told otherwise, and the longest it may (`--valid-days`). */
export const DEFAULT_VALID_DAYS = 30;
export const MAX_VALID_DAYS = 366;
const DAY_MS = 86_400_000;
const RevocationSchema = z.strictObject({
  revoked: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(100_000),
  updatedAt: z.iso.datetime({ offset: false }),
  validUntil: z.iso.datetime({ offset: false }).optional(),
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});

/** What the list's signature covers (readRevocations; test/helpers/earlier-directory.ts writes lists with it). */
export function signedMessage(revoked: readonly string[], updatedAt: string, validUntil: string | undefined): Buffer {
  const sorted = [...revoked].sort();
  if (validUntil === undefined)
    return Buffer.concat([LEGACY_CONTEXT, Buffer.from(JSON.stringify([updatedAt, sorted]), 'utf8')]);
  return Buffer.concat([CONTEXT, Buffer.from(JSON.stringify([updatedAt, validUntil, sorted]), 'utf8')]);
}

export type RevocationList =
  | { ok: true; revoked: Set<string>; updatedAt: string; validUntil: string | null }
  | { ok: false; problem: string; missing: boolean; error: RevocationListRefused | RevocationListExpired };

export interface ReadRevocationsOptions {
  /** The newest list's updatedAt this workstation accepted: an older one is refused (rolled back). */
  readonly notBefore?: string | null;
  readonly now?: Date;
  /** IT re-signing the list: an expired list, or one without an expiry, is read (its signature still checked). */
  readonly forResigning?: boolean;
}

function refused(error: RevocationListRefused | RevocationListExpired): RevocationList {
  return {
    ok: false,
    problem: error.userMessage,
    missing: error instanceof RevocationListRefused && error.reason === 'missing',
    error,
  };
}

/**
 * The signed revocation list. Fails closed: a list that is missing, unreadable, not signed by the
 * organisation, older than `notBefore`, without an expiry, or expired is not ok, and then no
 * directory card is trusted.
 */
export async function readRevocations(
  directory: string,
  orgPublicKey: Uint8Array,
  options: ReadRevocationsOptions = {},
): Promise<RevocationList> {
  const { notBefore = null, now = new Date(), forResigning = false } = options;
  const bytes = await readRegularFile(join(directory, REVOCATIONS_FILE), REVOCATIONS_MAX_BYTES).catch(
    (error: unknown) => {
      if (error instanceof NotARegularFileThere || isErrno(error)) return null; // missing, unreadable, a link, a FIFO: trusted as nothing
      throw error;
    },
  );
  if (bytes === null || bytes.length > REVOCATIONS_MAX_BYTES) return refused(new RevocationListRefused('missing'));
  const text = bytes.toString('utf8');
  const parsed = parseStrictJson(text, RevocationSchema);
  if (!parsed.ok) return refused(new RevocationListRefused('malformed', { problem: parsed.problem }));
  const { revoked, updatedAt, validUntil, signature } = parsed.value;
  if (!ed25519Verify(orgPublicKey, signedMessage(revoked, updatedAt, validUntil), Buffer.from(signature, 'hex'))) {
    return refused(new RevocationListRefused('not-signed'));
  }
  if (notBefore !== null && updatedAt < notBefore) {
    return refused(new RevocationListRefused('rolled-back'));
  }
  if (validUntil !== undefined) {
    const span = Date.parse(validUntil) - Date.parse(updatedAt);
    if (span <= 0 || span > MAX_VALID_DAYS * DAY_MS)
      return refused(
        new RevocationListRefused('malformed', {
          problem: `its validity must end 1 to ${MAX_VALID_DAYS} days after it was signed`,
        }),
      );
  }
  if (!forResigning) {
    if (validUntil === undefined) {
      return refused(new RevocationListRefused('no-expiry'));
    }
    if (now.getTime() >= Date.parse(validUntil)) return refused(new RevocationListExpired(validUntil));
  }
  return { ok: true, revoked: new Set(revoked), updatedAt, validUntil: validUntil ?? null };
}

/** Whether the directory has a list file at all (the first signed card starts one). */
export async function hasRevocationList(directory: string): Promise<boolean> {
  const found = await lstat(join(directory, REVOCATIONS_FILE)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return found !== null;
}
