/**
 * IT's side of the organisation directory as a log (docs/FORMAT.md §11):
 * `org sign-card`, `org revoke` and `org refresh-revocations` append to
 * `directory.medseal-directory` in the directory folder and sign its head
 * again. What they extend is the log on the share, verified with the
 * organisation key, and never older than, or forked from, the head this key
 * published last (kept beside the key file, in IT's hands): someone who can
 * write the share cannot get an old history re-signed. A directory still in
 * the earlier form (card files and `revoked.json`) becomes the log's first
 * entries at the first change: each vetted, unrevoked card added, in
 * fingerprint order. The earlier files stay for workstations not yet
 * updated; the log wins wherever both are.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { UsageError } from '../errors/usage-error.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { ContactCard } from '../identity/contact-card.js';
import {
  appendEntries,
  encodeDirectory,
  fingerprintOf,
  signDirectory,
  type DirectoryChange,
  type DirectoryEntry,
} from './directory-log.js';
import { verifyDirectory, type HeldHead } from './directory-verify.js';
import { DirectoryExpired } from './errors.js';
import { loadDirectory } from './org-directory.js';
import { orgLogPath, readOrgLog } from './org-log-file.js';
import { hasRevocationList, readRevocations } from './revocation-list.js';

export interface OrgKeys {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** The log IT extends: its entries and organisation name, and whether it was made from the earlier form now. */
export interface OrgLog {
  readonly organisation: string;
  readonly entries: readonly DirectoryEntry[];
  readonly cards: readonly ContactCard[];
  readonly migrated: boolean;
}

const recordOf = (keyFile: string) => `${keyFile}.directory-published`;

async function lastPublished(keyFile: string): Promise<HeldHead | null> {
  const text = await readFile(recordOf(keyFile), 'utf8').catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT')) return null; // this key never published a log here
    throw toIoError('the record of the last published directory', error);
  });
  if (text === null) return null;
  const value = JSON.parse(text) as HeldHead;
  return { seq: value.seq, hash: value.hash, issuedAt: value.issuedAt };
}

/** The cards of a directory in the earlier form, read for the move to the log (an expired list still counts). */
async function earlierCards(dir: string, publicKey: Uint8Array): Promise<ContactCard[]> {
  if (!(await hasRevocationList(dir))) return [];
  const list = await readRevocations(dir, publicKey, { forResigning: true });
  if (!list.ok)
    throw new UsageError(`The directory's revocation list is not valid (${list.problem}); restore it first.`);
  const loaded = await loadDirectory(dir, publicKey, null, new Date(list.updatedAt));
  return [...loaded.cards].sort((a, b) => fingerprintOf(a).localeCompare(fingerprintOf(b)));
}

/**
 * The log to extend: the one on the share (checked: signed by this key, not rolled back or forked
 * from what this key published; an expired one only with `acceptExpired`), else a new one made from
 * the earlier form, named `organisation` (required then).
 */
export async function orgLogToExtend(
  dir: string,
  keys: OrgKeys,
  keyFile: string,
  options: { organisation?: string; acceptExpired: boolean },
  now = new Date(),
): Promise<OrgLog> {
  const bytes = await readOrgLog(dir);
  const held = await lastPublished(keyFile);
  if (bytes === null) {
    if (held !== null)
      throw new UsageError(
        `The directory log is missing from ${dir}, but this key published one (change ${held.seq}): restore it from your backup; nothing was signed.`,
      );
    if (!options.organisation)
      throw new UsageError('This directory has no log yet: name your organisation once with --organisation "NAME".');
    const cards = await earlierCards(dir, keys.publicKey);
    const entries = appendEntries(
      [],
      cards.map((card): DirectoryChange => ({ op: 'add', card })),
      now,
    );
    return { organisation: options.organisation, entries, cards, migrated: cards.length > 0 };
  }
  let verified;
  try {
    verified = verifyDirectory(bytes, keys.publicKey, held, now);
  } catch (error) {
    if (!(error instanceof DirectoryExpired && options.acceptExpired)) throw error;
    verified = verifyDirectory(bytes, keys.publicKey, held, new Date(Date.parse(error.validUntil) - 1));
  }
  const parsed = JSON.parse(bytes.toString('utf8')) as { entries: DirectoryEntry[] };
  return { organisation: verified.organisation, entries: parsed.entries, cards: verified.cards, migrated: false };
}

/** Appends `changes`, signs the head for `validDays`, writes the log and records what this key published. */
export async function publishOrgLog(
  dir: string,
  keys: OrgKeys,
  keyFile: string,
  log: OrgLog,
  changes: readonly DirectoryChange[],
  validDays: number,
  now = new Date(),
): Promise<HeldHead> {
  const file = signDirectory({
    organisation: log.organisation,
    publicKey: keys.publicKey,
    secretKey: keys.secretKey,
    entries: appendEntries(log.entries, changes, now),
    issuedAt: now,
    validDays,
  });
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw toIoError('the directory folder', error);
  });
  await writeFileAtomic(orgLogPath(dir), encodeDirectory(file), 0o644);
  const head: HeldHead = { seq: file.head.seq, hash: file.head.hash, issuedAt: file.head.issuedAt };
  await writeFileAtomic(recordOf(keyFile), `${JSON.stringify(head)}\n`, 0o600);
  return head;
}

/** The change that puts `card` in the directory: added, or replacing the same person's card (same e-mail). */
export function changeFor(log: OrgLog, card: ContactCard): DirectoryChange | null {
  const fingerprint = fingerprintOf(card);
  if (log.cards.some((current) => fingerprintOf(current) === fingerprint)) return null; // already in it
  const same = log.cards.find((current) => current.profile.email === card.profile.email);
  return same ? { op: 'replace', replaces: fingerprintOf(same), card } : { op: 'add', card };
}
