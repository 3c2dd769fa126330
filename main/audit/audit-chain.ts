/**
 * Verifying a chain of audit entries and its signed head with the
 * identity's public signing key alone: the same rules for the database
 * (store/audit-log.ts) and for an exported copy checked offline
 * (audit-export.ts, `medseal audit verify-export`).
 */
import { ed25519Verify } from '../crypto/primitives.js';
import {
  entryHash,
  GENESIS_HASH,
  headMessage,
  signatureMessage,
  type AuditEntry,
  type AuditProblem,
  type AuditVerification,
} from './audit-entry.js';

/** The signed record of the newest entry: its number, its hash, and the identity's signature over both. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: Buffer;
  readonly signature: Buffer;
}

export function verifyEntries(
  entries: readonly AuditEntry[],
  head: AuditHead | null,
  signingKey: Uint8Array,
): AuditVerification {
  let previous: Buffer = GENESIS_HASH;
  let expectedSeq = 1;
  const fail = (firstBadSeq: number, problem: AuditProblem): AuditVerification => ({
    ok: false,
    entries: entries.length,
    firstBadSeq,
    problem,
  });
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) return fail(expectedSeq, 'deleted');
    if (!entry.prevHash.equals(previous)) return fail(entry.seq, 'out-of-order');
    if (!entryHash(previous, entry).equals(entry.hash)) return fail(entry.seq, 'edited');
    if (!ed25519Verify(signingKey, signatureMessage(entry.hash), entry.signature))
      return fail(entry.seq, 'forged-signature');
    previous = entry.hash;
    expectedSeq++;
  }
  const last = expectedSeq - 1;
  if (!head) return entries.length === 0 ? { ok: true, entries: 0 } : fail(1, 'head-missing');
  if (!ed25519Verify(signingKey, headMessage(head.seq, head.hash), head.signature))
    return fail(Math.min(head.seq, last + 1), 'forged-signature');
  if (head.seq > last) return fail(last + 1, 'truncated');
  if (head.seq < last) return fail(head.seq + 1, 'inserted');
  if (!head.hash.equals(previous)) return fail(last, 'edited');
  return { ok: true, entries: entries.length };
}

/** What checking a filtered export found: the entries it holds, and how many of the log's it left out. */
export type FilteredVerification =
  | { readonly ok: true; readonly entries: number; readonly leftOut: number }
  | (AuditVerification & { readonly ok: false });

/**
 * Checks a filtered export (audit-filter.ts): every entry it holds still gives its own hash
 * from its fields and recorded link, carries the identity's signature, and links to the entry
 * before it wherever that one is present too; the signed head must be genuine and name the
 * last entry or a later one. What lies in the gaps cannot be checked from such a copy.
 */
export function verifyFilteredEntries(
  entries: readonly AuditEntry[],
  head: AuditHead | null,
  signingKey: Uint8Array,
): FilteredVerification {
  const fail = (firstBadSeq: number, problem: AuditProblem) => ({
    ok: false as const,
    entries: entries.length,
    firstBadSeq,
    problem,
  });
  let before: AuditEntry | null = null;
  for (const entry of entries) {
    if (!Number.isSafeInteger(entry.seq) || entry.seq <= (before?.seq ?? 0)) return fail(entry.seq, 'out-of-order');
    if (before && entry.seq === before.seq + 1 && !entry.prevHash.equals(before.hash))
      return fail(entry.seq, 'out-of-order');
    if (entry.seq === 1 && !entry.prevHash.equals(GENESIS_HASH)) return fail(1, 'out-of-order');
    if (!entryHash(entry.prevHash, entry).equals(entry.hash)) return fail(entry.seq, 'edited');
    if (!ed25519Verify(signingKey, signatureMessage(entry.hash), entry.signature))
      return fail(entry.seq, 'forged-signature');
    before = entry;
  }
  if (!head) return fail(before?.seq ?? 1, 'head-missing');
  const last = before?.seq ?? 0;
  if (!ed25519Verify(signingKey, headMessage(head.seq, head.hash), head.signature))
    return fail(Math.max(head.seq, 1), 'forged-signature');
  if (head.seq < last) return fail(head.seq + 1, 'inserted');
  if (before && head.seq === last && !head.hash.equals(before.hash)) return fail(last, 'edited');
  return { ok: true, entries: entries.length, leftOut: head.seq - entries.length };
}
