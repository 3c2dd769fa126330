/**
 * Audit export for compliance reviews (CSV) and SIEM tools (JSON lines).
 * Columns are documented in docs/AUDIT.md. Every field should be a number,
 * a timestamp, a fingerprint, an action name or a short code; still, a CSV
 * cell that starts with = + - @ (or a tab or carriage return) is prefixed
 * with an apostrophe, so that a spreadsheet never runs it as a formula
 * whatever the database held.
 */
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from './audit-entry.js';
import type { AuditHead } from './audit-chain.js';

export type AuditExportFormat = 'csv' | 'jsonl';

export const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'action', 'counterparts', 'file_count', 'total_bytes', 'detail', 'prev_hash', 'hash', 'signature'] as const;

/** One entry's fields as exported (and forwarded to a SIEM): the columns of AUDIT_COLUMNS. */
export function auditRecord(entry: AuditEntry) {
  return {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    counterparts: entry.counterparts,
    file_count: entry.fileCount,
    total_bytes: entry.totalBytes,
    detail: entry.detail,
    prev_hash: entry.prevHash.toString('hex'),
    hash: entry.hash.toString('hex'),
    signature: entry.signature.toString('hex'),
  };
}

function csvCell(value: unknown): string {
  const raw = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The action name of the last CSV row, which carries the signed head instead of an entry. */
const HEAD_ROW = 'signed-head';

/**
 * The export ends with the signed head (JSON lines: a last `{"head": …}` line; CSV: a last row
 * whose action is `signed-head`, with the head's seq, hash and signature), so that a copy can be
 * checked offline and a truncated copy is detected (`medseal audit verify-export`).
 */
export function exportAudit(entries: readonly AuditEntry[], format: AuditExportFormat, head: AuditHead | null): string {
  const headRecord = head ? { seq: head.seq, hash: head.hash.toString('hex'), signature: head.signature.toString('hex') } : null;
  if (format === 'jsonl') return [...entries.map((entry) => JSON.stringify(auditRecord(entry))), ...(headRecord ? [JSON.stringify({ head: headRecord })] : [])].map((line) => `${line}\n`).join('');
  const lines = [AUDIT_COLUMNS.join(',')];
  for (const entry of entries) {
    const row = auditRecord(entry);
    lines.push(AUDIT_COLUMNS.map((column) => csvCell(row[column])).join(','));
  }
  if (headRecord) lines.push([headRecord.seq, '', '', HEAD_ROW, '', '', '', '', '', headRecord.hash, headRecord.signature].join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** An export read back: its entries and the signed head it ends with (null when it has none). */
export interface ParsedAuditExport {
  readonly entries: AuditEntry[];
  readonly head: AuditHead | null;
}

const hex = (value: unknown, bytes: number): Buffer => {
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(value)) throw new Error('not a hash or signature');
  return Buffer.from(value, 'hex');
};
const count = (value: unknown): number | null => (value === null || value === '' ? null : Number(value));

function entryFrom(row: Record<string, unknown>): AuditEntry {
  const action = String(row.action);
  if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) throw new Error('unknown action');
  const counterparts = Array.isArray(row.counterparts)
    ? row.counterparts.map(String)
    : String(row.counterparts ?? '')
        .split(' ')
        .filter(Boolean);
  return {
    seq: Number(row.seq),
    at: String(row.at),
    actor: String(row.actor),
    action: action as AuditAction,
    counterparts,
    fileCount: count(row.file_count),
    totalBytes: count(row.total_bytes),
    detail: row.detail === null || row.detail === '' || row.detail === undefined ? null : String(row.detail),
    prevHash: hex(row.prev_hash, 32),
    hash: hex(row.hash, 32),
    signature: hex(row.signature, 64),
  };
}

/** Splits one CSV line into cells (quoted cells may hold commas and doubled quotes). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  const pattern = /(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g;
  for (const match of line.matchAll(pattern)) cells.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] ?? ''));
  return cells;
}

/** Reads an export (JSON lines or CSV, as written above); throws on anything that is not one. */
export function parseAuditExport(text: string): ParsedAuditExport {
  const lines = text.split(/\r?\n/).filter((line) => line !== '');
  const entries: AuditEntry[] = [];
  let head: AuditHead | null = null;
  const takeHead = (seq: unknown, hash: unknown, signature: unknown) => {
    if (head) throw new Error('two heads');
    head = { seq: Number(seq), hash: hex(hash, 32), signature: hex(signature, 64) };
  };
  if (lines[0] === AUDIT_COLUMNS.join(',')) {
    for (const line of lines.slice(1)) {
      if (head) throw new Error('rows after the head');
      const cells = csvCells(line);
      const row = Object.fromEntries(AUDIT_COLUMNS.map((column, index) => [column, cells[index] ?? '']));
      if (row.action === HEAD_ROW) takeHead(row.seq, row.hash, row.signature);
      else entries.push(entryFrom(row));
    }
  } else {
    for (const line of lines) {
      if (head) throw new Error('lines after the head');
      const value = JSON.parse(line) as Record<string, unknown>;
      if (value.head && typeof value.head === 'object') {
        const record = value.head as Record<string, unknown>;
        takeHead(record.seq, record.hash, record.signature);
      } else entries.push(entryFrom(value));
    }
  }
  return { entries, head };
}
