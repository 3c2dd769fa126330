/**
 * Verifying a chain of audit entries and its signed head with the
 * identity's public signing key alone: the same rules for the database
 * (store/audit-log.ts) and for an exported copy checked offline
 * (audit-export.ts, `medseal audit verify-export`).
 */
import { ed25519Verify } from '../crypto/primitives.js';
import { entryHash, GENESIS_HASH, headMessage, signatureMessage, type AuditEntry, type AuditProblem, type AuditVerification } from './audit-entry.js';

/** The signed record of the newest entry: its number, its hash, and the identity's signature over both. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: Buffer;
  readonly signature: Buffer;
}

export function verifyEntries(entries: readonly AuditEntry[], head: AuditHead | null, signingKey: Uint8Array): AuditVerification {
  let previous: Buffer = GENESIS_HASH;
  let expectedSeq = 1;
  const fail = (firstBadSeq: number, problem: AuditProblem): AuditVerification => ({ ok: false, entries: entries.length, firstBadSeq, problem });
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) return fail(expectedSeq, 'deleted');
    if (!entry.prevHash.equals(previous)) return fail(entry.seq, 'out-of-order');
    if (!entryHash(previous, entry).equals(entry.hash)) return fail(entry.seq, 'edited');
    if (!ed25519Verify(signingKey, signatureMessage(entry.hash), entry.signature)) return fail(entry.seq, 'forged-signature');
    previous = entry.hash;
    expectedSeq++;
  }
  const last = expectedSeq - 1;
  if (!head) return entries.length === 0 ? { ok: true, entries: 0 } : fail(1, 'head-missing');
  if (!ed25519Verify(signingKey, headMessage(head.seq, head.hash), head.signature)) return fail(Math.min(head.seq, last + 1), 'forged-signature');
  if (head.seq > last) return fail(last + 1, 'truncated');
  if (head.seq < last) return fail(head.seq + 1, 'inserted');
  if (!head.hash.equals(previous)) return fail(last, 'edited');
  return { ok: true, entries: entries.length };
}
