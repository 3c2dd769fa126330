/**
 * Security review, low 11 and 12: the unsigned queue of events recorded
 * while locked accepted any action at any time (a back-dated
 * "passphrase-changed" was signed into the chain; one bad time made every
 * unlock fail), and the CSV export neither verified the chain first nor
 * neutralised cells a spreadsheet would run as formulas.
 */
import { describe, expect, it } from 'vitest';
import { exportAudit } from '../../main/audit/audit-export.js';
import type { AuditEntry } from '../../main/audit/audit-entry.js';
import { exportVerifiedAudit, verifyAuditExport } from '../../main/services/audit-export.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';

describe('the queue of events recorded while locked', () => {
  it('signs only failed unlocks with a sane time; anything else is dropped and the drop is recorded', async () => {
    const { profile, store } = await openTestProfile();
    const queue = store.db.prepare('INSERT INTO audit_pending (at, action, detail) VALUES (?, ?, ?)');
    queue.run('2020-01-01T00:00:00.000Z', 'identity.passphrase-changed', null); // back-dated, and not an event that happens while locked
    queue.run('not a date', 'identity.unlock-failed', 'WRONG_PASSPHRASE');
    queue.run('2020-01-01T00:00:00.000Z', 'identity.unlock-failed', 'WRONG_PASSPHRASE'); // before the newest signed entry
    queue.run('2999-01-01T00:00:00.000Z', 'identity.unlock-failed', 'WRONG_PASSPHRASE'); // in the future
    queue.run(new Date().toISOString(), 'identity.unlock-failed', 'WRONG_PASSPHRASE');
    expect(profile.audit.flushPending()).toBe(1);
    const actions = profile.audit.entries().map((entry) => `${entry.action}:${entry.detail ?? ''}`);
    expect(actions).not.toContain('identity.passphrase-changed:');
    expect(actions.slice(-2)).toEqual(['identity.unlock-failed:WRONG_PASSPHRASE', 'audit.pending-rejected:rejected:4']);
    expect(profile.audit.verify().ok).toBe(true);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM audit_pending').get()).toEqual({ n: 0 });
  });
});

describe('the audit export', () => {
  it('is refused when the chain does not verify, and nothing is recorded as exported', async () => {
    const { profile, store } = await openTestProfile();
    profile.audit.append({ action: 'package.sealed', counterparts: ['ab'.repeat(32)], fileCount: 1, totalBytes: 10 });
    store.db.exec('UPDATE audit_events SET file_count = 9 WHERE seq = 3');
    await expect(exportVerifiedAudit(profile, 'csv')).rejects.toMatchObject({
      code: 'AUDIT_LOG_TAMPERED',
      category: 'damaged-package',
    });
    expect(profile.audit.entries().some((entry) => entry.action === 'audit.exported')).toBe(false);
  });

  it('neutralises CSV cells a spreadsheet would run as a formula', () => {
    const entry = {
      seq: 1,
      at: '=HYPERLINK("http://x","y")',
      actor: '+cmd',
      action: 'audit.exported',
      counterparts: ['-2+3'],
      fileCount: null,
      totalBytes: null,
      detail: '@SUM(A1)',
      prevHash: Buffer.alloc(32),
      hash: Buffer.alloc(32),
      signature: Buffer.alloc(64),
    } as unknown as AuditEntry;
    const row = exportAudit([entry], 'csv', { head: null, nameOf: () => '=cmd|calc' }).split('\r\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const cell of ["'+cmd", "'-2+3", "'@SUM(A1)", "'=cmd|calc"]) expect(row).toContain(cell);
    expect(row.split(',').every((cell) => !/^[=+\-@]/.test(cell.replace(/^"/, '')))).toBe(true);
  });

  it.each(['csv', 'jsonl'] as const)(
    'a %s export ends with the signed head: a copy verifies offline, a truncated or edited one does not',
    async (format) => {
      const { profile, identity } = await openTestProfile();
      for (let i = 1; i <= 3; i++)
        profile.audit.append({
          action: 'package.sealed',
          counterparts: ['ab'.repeat(32)],
          fileCount: i,
          totalBytes: 100 * i,
        });
      const { text, entries } = await exportVerifiedAudit(profile, format);
      expect(verifyAuditExport(text, identity.card)).toEqual({ entries, filter: null });

      const lines = text.split(/\r?\n/).filter(Boolean);
      const dropLastEntry = [...lines.slice(0, -2), lines.at(-1)!].join('\n'); // the newest entry removed, the head kept
      expect(() => verifyAuditExport(dropLastEntry, identity.card)).toThrow(
        expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }),
      );
      const noHead = lines.slice(0, -1).join('\n'); // cut before the head
      expect(() => verifyAuditExport(noHead, identity.card)).toThrow(
        expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }),
      );
      const edited = text.replace(
        format === 'csv' ? ',2,200,' : '"file_count":2',
        format === 'csv' ? ',9,200,' : '"file_count":9',
      );
      expect(edited).not.toBe(text);
      expect(() => verifyAuditExport(edited, identity.card)).toThrow(
        expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }),
      );
      const stranger = await fastIdentity('Stranger');
      expect(() => verifyAuditExport(text, stranger.card)).toThrow(
        expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }),
      );
      expect(() => verifyAuditExport('not an export', identity.card)).toThrow(
        expect.objectContaining({ code: 'AUDIT_EXPORT_UNREADABLE' }),
      );
    },
  );
});
