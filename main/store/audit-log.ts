/**
 * The tamper-evident audit log (docs/SECURITY.md, "Audit"): append-only,
 * hash-chained, every entry signed by the identity, plus a signed "head"
 * (last sequence number and hash) so that deleting the newest entries is
 * detected too. Events that happen while locked (a failed unlock) wait in
 * audit_pending and are signed into the chain at the next unlock.
 */
import { ed25519Sign, ed25519Verify } from '../crypto/primitives.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import type { Db } from './database.js';
import { StoreTampered, storeErrorFrom } from './errors.js';
import {
  assertLoggable,
  entryHash,
  GENESIS_HASH,
  headMessage,
  signatureMessage,
  type AuditAction,
  type AuditEntry,
  type AuditEventInput,
  type AuditVerification,
} from '../audit/audit-entry.js';
import { verifyEntries, type AuditHead } from '../audit/audit-chain.js';

interface EntryRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  counterparts: string;
  file_count: number | null;
  total_bytes: number | null;
  detail: string | null;
  prev_hash: Buffer;
  hash: Buffer;
  signature: Buffer;
}

function toEntry(row: EntryRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    counterparts: JSON.parse(row.counterparts) as string[],
    fileCount: row.file_count,
    totalBytes: row.total_bytes,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
    signature: row.signature,
  };
}

/** The only event that can happen without a key, and so wait unsigned in audit_pending. */
const PENDING_ACTION = 'identity.unlock-failed';

/** A queued event's time, if it is an ISO time between the newest signed entry and now; else null. */
function pendingTime(at: string, newest: string | undefined, now: Date): Date | null {
  const time = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || Number.isNaN(time.getTime())) return null;
  if (time.getTime() > now.getTime() + 60_000) return null;
  if (newest && time.getTime() < new Date(newest).getTime()) return null;
  return time;
}

/** Records a failed unlock while no key is available; it is signed into the chain at the next unlock. */
/** The reasons a failed unlock may carry: a wrong passphrase or a wrong recovery code. */
const PENDING_DETAILS = new Set(['WRONG_PASSPHRASE', 'RECOVERY_CODE_WRONG']);

export function recordPendingAuditEvent(
  db: Db,
  action: typeof PENDING_ACTION,
  detail: string | null = null,
  at = new Date(),
): void {
  assertLoggable({ action, detail });
  try {
    db.prepare('INSERT INTO audit_pending (at, action, detail) VALUES (?, ?, ?)').run(at.toISOString(), action, detail);
  } catch (error) {
    throw storeErrorFrom(error);
  }
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly identity: UnlockedIdentity,
  ) {}

  private get actor(): string {
    return fingerprintHex(this.identity.card.fingerprint);
  }

  /** Appends one event (in its own transaction, or inside the caller's). */
  append(event: AuditEventInput): AuditEntry {
    assertLoggable(event);
    try {
      return this.db.transaction(() => this.appendInTransaction(event))();
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /**
   * Signs waiting events into the chain, oldest first, and empties the queue. The queue is written
   * without a key, so anyone who can write the database can add to it: only a failed unlock, with a
   * well-formed time no later than now and no earlier than the newest signed entry, is accepted;
   * anything else is dropped and counted in the `audit.pending-rejected` entry that says so.
   */
  flushPending(now = new Date()): number {
    try {
      return this.db.transaction(() => {
        const pending = this.db.prepare('SELECT id, at, action, detail FROM audit_pending ORDER BY id').all() as {
          id: number;
          at: string;
          action: string;
          detail: string | null;
        }[];
        const newest = (
          this.db.prepare('SELECT at FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { at: string } | undefined
        )?.at;
        let accepted = 0;
        for (const event of pending) {
          const at = pendingTime(event.at, newest, now);
          if (
            event.action !== PENDING_ACTION ||
            at === null ||
            (event.detail !== null && !PENDING_DETAILS.has(event.detail))
          )
            continue;
          this.appendInTransaction({ action: PENDING_ACTION, at, detail: event.detail });
          accepted++;
        }
        if (accepted < pending.length)
          this.appendInTransaction({
            action: 'audit.pending-rejected',
            detail: `rejected:${pending.length - accepted}`,
          });
        this.db.prepare('DELETE FROM audit_pending').run();
        return accepted;
      })();
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  entries(): AuditEntry[] {
    return (this.db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as EntryRow[]).map(toEntry);
  }

  /** At most `limit` entries after `seq`, in order (what a SIEM has not received yet). */
  entriesAfter(seq: number, limit: number): AuditEntry[] {
    return (
      this.db.prepare('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as EntryRow[]
    ).map(toEntry);
  }

  /** Checks the whole chain against this identity's signing key; reports the first bad entry. */
  verify(): AuditVerification {
    return verifyAuditChain(this.db, this.identity.card.signingKey);
  }

  /** The signed head (the newest entry's number and hash, signed), for exports. */
  head(): AuditHead | null {
    return readHead(this.db);
  }

  /** Whether any entry of the chain has this action. */
  has(action: AuditAction): boolean {
    return this.db.prepare('SELECT 1 FROM audit_events WHERE action = ? LIMIT 1').get(action) !== undefined;
  }

  /**
   * Appends only after the stored head, signed by this identity, names the last entry present:
   * a log whose newest entries were deleted (or rolled back) is never extended as if whole.
   */
  private appendInTransaction(event: AuditEventInput): AuditEntry {
    const last = assertAuditHeadIntact(this.db, this.identity.card.signingKey);
    const fields = {
      seq: (last?.seq ?? 0) + 1,
      at: (event.at ?? new Date()).toISOString(),
      actor: this.actor,
      action: event.action,
      counterparts: [...(event.counterparts ?? [])],
      fileCount: event.fileCount ?? null,
      totalBytes: event.totalBytes ?? null,
      detail: event.detail ?? null,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = entryHash(prevHash, fields);
    const signature = Buffer.from(ed25519Sign(this.identity.signingSecretKey, signatureMessage(hash)));
    this.db
      .prepare(
        `INSERT INTO audit_events (seq, at, actor, action, counterparts, file_count, total_bytes, detail, prev_hash, hash, signature)
         VALUES (@seq, @at, @actor, @action, @counterparts, @fileCount, @totalBytes, @detail, @prevHash, @hash, @signature)`,
      )
      .run({ ...fields, counterparts: JSON.stringify(fields.counterparts), prevHash, hash, signature });
    const headSignature = Buffer.from(ed25519Sign(this.identity.signingSecretKey, headMessage(fields.seq, hash)));
    this.db
      .prepare(
        'INSERT INTO audit_head (id, seq, hash, signature) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, signature = excluded.signature',
      )
      .run(fields.seq, hash, headSignature);
    return { ...fields, prevHash, hash, signature };
  }
}

/**
 * Throws StoreTampered unless the signed head names the newest entry present (or there are
 * neither): the cheap check that the log's tail was not cut off or rolled back, made before
 * every append and before trusting anything bound to the log (the contact set). Returns the
 * newest entry's number and hash (undefined for an empty log), which the head vouches for.
 */
export function assertAuditHeadIntact(db: Db, signingKey: Uint8Array): { seq: number; hash: Buffer } | undefined {
  const last = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: Buffer } | undefined;
  const head = readHead(db);
  const intact = last
    ? head !== null &&
      head.seq === last.seq &&
      head.hash.equals(last.hash) &&
      ed25519Verify(signingKey, headMessage(head.seq, head.hash), head.signature)
    : head === null;
  if (!intact) throw new StoreTampered('the audit log');
  return last;
}

/** Verifies the chain with only the public signing key: the profile need not be unlocked. */
export function verifyAuditChain(db: Db, signingKey: Uint8Array): AuditVerification {
  const entries = (db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as EntryRow[]).map(toEntry);
  return verifyEntries(entries, readHead(db), signingKey);
}

/** The signed head as stored (for exports that carry it). */
export function readHead(db: Db): AuditHead | null {
  const row = db.prepare('SELECT seq, hash, signature FROM audit_head WHERE id = 1').get() as
    { seq: number; hash: Buffer; signature: Buffer } | undefined;
  return row ?? null;
}
