/**
 * The audit log resists tampering done directly on the database file:
 * edited, deleted, inserted, reordered and forged entries are each caught
 * at the right sequence number.
 */
import { describe, expect, it } from 'vitest';
import { AuditLog, recordPendingAuditEvent } from '../../main/store/audit-log.js';
import { exportAudit } from '../../main/audit/audit-export.js';
import { assertLoggable, entryHash, headMessage, signatureMessage } from '../../main/audit/audit-entry.js';
import { ed25519Sign } from '../../main/crypto/primitives.js';
import { StoreTampered } from '../../main/store/errors.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';

const PEER = 'ab'.repeat(32);

async function logWithEntries(count = 6) {
  const { profile, store, identity } = await openTestProfile(); // the first unlock writes entries 1 and 2 (identity.unlocked, store.contact-set-created)
  for (let i = 3; i <= count; i++)
    profile.audit.append({ action: 'package.sealed', counterparts: [PEER], fileCount: i, totalBytes: 1000 * i });
  return { audit: profile.audit, db: store.db, identity };
}

describe('audit log', () => {
  it('an untouched log verifies, entries chain from a zero hash and carry the actor', async () => {
    const { audit, identity } = await logWithEntries();
    expect(audit.verify()).toEqual({ ok: true, entries: 6 });
    const entries = audit.entries();
    expect(entries[0]!.prevHash.equals(Buffer.alloc(32))).toBe(true);
    expect(entries[1]!.prevHash.equals(entries[0]!.hash)).toBe(true);
    expect(entries.every((entry) => entry.actor === fingerprintHex(identity.card.fingerprint))).toBe(true);
  });

  it.each([
    ['a count changed', 'UPDATE audit_events SET file_count = 99 WHERE seq = 3', 3, 'edited'],
    ['a time changed', "UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 4", 4, 'edited'],
    [
      'a counterpart changed',
      `UPDATE audit_events SET counterparts = '["${'cd'.repeat(32)}"]' WHERE seq = 2`,
      2,
      'edited',
    ],
    ['an entry deleted', 'DELETE FROM audit_events WHERE seq = 3', 3, 'deleted'],
    ['the newest entry deleted', 'DELETE FROM audit_events WHERE seq = 6', 6, 'truncated'],
    ['the signed head deleted', 'DELETE FROM audit_head', 1, 'head-missing'],
  ])('%s → caught at the right entry', async (_label, sql, seq, problem) => {
    const { audit, db } = await logWithEntries();
    db.exec(sql);
    expect(audit.verify()).toMatchObject({ ok: false, firstBadSeq: seq, problem });
  });

  it('two entries swapped → caught at the first of them', async () => {
    const { audit, db } = await logWithEntries();
    db.exec(`
      UPDATE audit_events SET seq = -3 WHERE seq = 3;
      UPDATE audit_events SET seq = 3 WHERE seq = 4;
      UPDATE audit_events SET seq = 4 WHERE seq = -3;`);
    expect(audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('an entry inserted in the middle (others renumbered) → caught', async () => {
    const { audit, db } = await logWithEntries();
    db.exec(
      `UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3; UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103;`,
    );
    const copy = db.prepare('SELECT * FROM audit_events WHERE seq = 2').get() as Record<string, unknown>;
    db.prepare(
      'INSERT INTO audit_events (seq, at, actor, action, counterparts, file_count, total_bytes, detail, prev_hash, hash, signature) VALUES (3, @at, @actor, @action, @counterparts, @file_count, @total_bytes, @detail, @prev_hash, @hash, @signature)',
    ).run(copy);
    expect(audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('entries appended with another key, and a head re-signed with it, are forgeries', async () => {
    const { db, identity } = await logWithEntries();
    const mallory = await fastIdentity('Mallory');
    // Mallory appends with her own key by writing the database (correct chaining, wrong signer) and re-signs the head
    const last = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: Buffer;
    };
    const fields = {
      seq: last.seq + 1,
      at: new Date().toISOString(),
      actor: fingerprintHex(identity.card.fingerprint),
      action: 'contact.verified' as const,
      counterparts: [PEER],
      fileCount: null,
      totalBytes: null,
      detail: null,
    };
    const hash = entryHash(last.hash, fields);
    db.prepare(
      'INSERT INTO audit_events (seq, at, actor, action, counterparts, file_count, total_bytes, detail, prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?)',
    ).run(
      fields.seq,
      fields.at,
      fields.actor,
      fields.action,
      JSON.stringify(fields.counterparts),
      last.hash,
      hash,
      Buffer.from(ed25519Sign(mallory.signingSecretKey, signatureMessage(hash))),
    );
    db.prepare('UPDATE audit_head SET seq = ?, hash = ?, signature = ?').run(
      fields.seq,
      hash,
      Buffer.from(ed25519Sign(mallory.signingSecretKey, headMessage(fields.seq, hash))),
    );
    const audit = new AuditLog(db, identity);
    expect(audit.verify()).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'forged-signature' });
    expect(() => audit.append({ action: 'audit.exported', detail: 'csv' })).toThrow(StoreTampered); // never extended as if whole
  });

  it('only codes, fingerprints and counts can be logged: free text is refused', () => {
    expect(() =>
      assertLoggable({ action: 'package.open-refused', detail: 'Zebulon Quibble.pdf was damaged' }),
    ).toThrow();
    expect(() => assertLoggable({ action: 'package.sealed', counterparts: ['Dr Bob'] })).toThrow();
    expect(() => assertLoggable({ action: 'package.sealed', fileCount: -1 })).toThrow();
    expect(() => assertLoggable({ action: 'package.open-refused', detail: 'PACKAGE_TAMPERED' })).not.toThrow();
  });

  it('events without a key wait and are signed into the chain at the next unlock, with their time', async () => {
    const { profile, store } = await openTestProfile();
    const failedAt = new Date(Date.now() + 5); // after the newest signed entry, as a failed unlock is
    recordPendingAuditEvent(store.db, 'identity.unlock-failed', 'WRONG_PASSPHRASE', failedAt);
    expect(profile.audit.flushPending(new Date(failedAt.getTime() + 1000))).toBe(1);
    const last = profile.audit.entries().at(-1)!;
    expect(last).toMatchObject({
      action: 'identity.unlock-failed',
      detail: 'WRONG_PASSPHRASE',
      at: failedAt.toISOString(),
    });
    expect(profile.audit.verify().ok).toBe(true);
    expect(profile.audit.flushPending()).toBe(0);
  });

  it('exports CSV with the documented header and JSON lines with one object per entry', async () => {
    const { audit } = await logWithEntries(3);
    const csv = exportAudit(audit.entries(), 'csv', { head: null }).split('\r\n');
    expect(csv[0]).toBe(
      'seq,at,actor,action,counterparts,counterpart_names,file_count,total_bytes,detail,prev_hash,hash,signature',
    );
    expect(csv[3]).toMatch(
      new RegExp(
        `^3,[^,]+,[0-9a-f]{64},package.sealed,${PEER},"not in contacts",3,3000,,[0-9a-f]{64},[0-9a-f]{64},[0-9a-f]{128}$`,
      ),
    );
    const lines = exportAudit(audit.entries(), 'jsonl', { head: null })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({
      seq: 3,
      action: 'package.sealed',
      counterparts: [PEER],
      file_count: 3,
      total_bytes: 3000,
      detail: null,
    });
  });
});
