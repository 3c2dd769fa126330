/**
 * An organisation's directory as an append-only, hash-chained log
 * (docs/FORMAT.md §11, `.medseal-directory`): every change (a card added, a
 * card replaced by the same person's new one, a card revoked) is an entry
 * whose hash the next entry names, and the published file carries a head
 * (sequence number, last hash, issue time, validUntil) signed by the
 * organisation's directory key. A reader that keeps the newest head it
 * accepted can tell an older file (rollback) from one that does not extend
 * what it holds (a fork: two histories signed by the same key), and a head
 * carried in a package (gossip) can be checked against its chain.
 *
 * This module writes: entries, their hashes, the signed head, the file.
 * directory-verify.ts reads and checks.
 */
import { ed25519Sign, sha256 } from '../crypto/primitives.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';

export const DIRECTORY_FILE_EXTENSION = '.medseal-directory';
/** A directory of 5,000 clinicians is about 20 MiB of JSON at most (cards ~4 KiB in base64). */
export const DIRECTORY_MAX_BYTES = 64 * 1024 * 1024;
export const DIRECTORY_MAX_ENTRIES = 200_000;
export const ZERO_HASH = '0'.repeat(64);
const ENTRY_CONTEXT = 'MEDSEAL-v1-directory-entry';
const HEAD_CONTEXT = 'MEDSEAL-v1-directory-head';

export type DirectoryEntry =
  | { readonly seq: number; readonly prev: string; readonly at: string; readonly op: 'add'; readonly card: string }
  | {
      readonly seq: number;
      readonly prev: string;
      readonly at: string;
      readonly op: 'replace';
      /** The card replaced (its fingerprint); `card` is the same person's new one. */
      readonly fingerprint: string;
      readonly card: string;
    }
  | {
      readonly seq: number;
      readonly prev: string;
      readonly at: string;
      readonly op: 'revoke';
      readonly fingerprint: string;
    };

/** Where a reader stands in an organisation's log: what a package carries as gossip (FORMAT.md §2.4). */
export interface DirectoryHead {
  readonly seq: number;
  /** The hash of entry `seq` (hex), ZERO_HASH for an empty log. */
  readonly hash: string;
}

export interface SignedHead extends DirectoryHead {
  readonly issuedAt: string;
  readonly validUntil: string;
  readonly signature: string;
}

export interface DirectoryFile {
  readonly format: 'medseal-directory';
  readonly v: 1;
  /** The organisation's own name for itself, under its signature. */
  readonly organisation: string;
  /** The directory key (Ed25519 public key, base64) that signs the head. */
  readonly key: string;
  readonly entries: readonly DirectoryEntry[];
  readonly head: SignedHead;
}

/** The one byte string an entry has: its members in this order, no spaces (JSON.stringify of a fresh object). */
export function canonicalEntry(entry: DirectoryEntry): string {
  const base = { seq: entry.seq, prev: entry.prev, at: entry.at, op: entry.op };
  switch (entry.op) {
    case 'add':
      return JSON.stringify({ ...base, card: entry.card });
    case 'replace':
      return JSON.stringify({ ...base, fingerprint: entry.fingerprint, card: entry.card });
    case 'revoke':
      return JSON.stringify({ ...base, fingerprint: entry.fingerprint });
  }
}

/** SHA-256("MEDSEAL-v1-directory-entry" || canonical entry), hex. */
export function entryHash(entry: DirectoryEntry): string {
  return sha256(Buffer.from(ENTRY_CONTEXT, 'ascii'), Buffer.from(canonicalEntry(entry), 'utf8')).toString('hex');
}

/** What the directory key signs: the context, then the JSON of [organisation, seq, hash, issuedAt, validUntil]. */
export function headMessage(organisation: string, head: Omit<SignedHead, 'signature'>): Buffer {
  return Buffer.concat([
    Buffer.from(HEAD_CONTEXT, 'ascii'),
    Buffer.from(JSON.stringify([organisation, head.seq, head.hash, head.issuedAt, head.validUntil]), 'utf8'),
  ]);
}

/** A change to append, before it has a place in the log. */
export type DirectoryChange =
  | { readonly op: 'add'; readonly card: ContactCard }
  | { readonly op: 'replace'; readonly replaces: string; readonly card: ContactCard }
  | { readonly op: 'revoke'; readonly fingerprint: string };

/** The entries with `changes` appended, each naming the hash of the one before. */
export function appendEntries(
  entries: readonly DirectoryEntry[],
  changes: readonly DirectoryChange[],
  at: Date,
): DirectoryEntry[] {
  const out = [...entries];
  for (const change of changes) {
    const last = out.at(-1);
    const base = { seq: out.length + 1, prev: last ? entryHash(last) : ZERO_HASH, at: at.toISOString() };
    const card = (value: ContactCard) => Buffer.from(value.bytes).toString('base64');
    out.push(
      change.op === 'add'
        ? { ...base, op: 'add', card: card(change.card) }
        : change.op === 'replace'
          ? { ...base, op: 'replace', fingerprint: change.replaces, card: card(change.card) }
          : { ...base, op: 'revoke', fingerprint: change.fingerprint },
    );
  }
  return out;
}

/** The head of `entries`: the last one's place and hash. */
export function headOf(entries: readonly DirectoryEntry[]): DirectoryHead {
  const last = entries.at(-1);
  return { seq: entries.length, hash: last ? entryHash(last) : ZERO_HASH };
}

/** The published file: the log with a head signed for `validDays` from `issuedAt`. */
export function signDirectory(options: {
  organisation: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  entries: readonly DirectoryEntry[];
  issuedAt: Date;
  validDays: number;
}): DirectoryFile {
  const head = {
    ...headOf(options.entries),
    issuedAt: options.issuedAt.toISOString(),
    validUntil: new Date(options.issuedAt.getTime() + options.validDays * 86_400_000).toISOString(),
  };
  const signature = Buffer.from(ed25519Sign(options.secretKey, headMessage(options.organisation, head))).toString(
    'hex',
  );
  return {
    format: 'medseal-directory',
    v: 1,
    organisation: options.organisation,
    key: Buffer.from(options.publicKey).toString('base64'),
    entries: options.entries,
    head: { ...head, signature },
  };
}

/** The file's bytes: one JSON object, entries one per line so that a diff of two versions reads well. */
export function encodeDirectory(file: DirectoryFile): Buffer {
  const { entries, ...rest } = file;
  const lines = entries.map((entry) => `    ${canonicalEntry(entry)}`);
  const json = JSON.stringify({ ...rest, entries: [] }, null, 2);
  const withEntries = json.replace('"entries": []', `"entries": [\n${lines.join(',\n')}\n  ]`);
  return Buffer.from(`${withEntries}\n`, 'utf8');
}

/** A card's fingerprint as the log names it. */
export function fingerprintOf(card: ContactCard): string {
  return fingerprintHex(card.fingerprint);
}
