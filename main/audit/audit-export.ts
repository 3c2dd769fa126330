/**
 * Audit export for compliance reviews (CSV) and SIEM tools (JSON lines).
 * Columns are documented in docs/AUDIT.md. Every field should be a number,
 * a timestamp, a fingerprint, an action name or a short code; still, a CSV
 * cell that starts with = + - @ (or a tab or carriage return) is prefixed
 * with an apostrophe, so that a spreadsheet never runs it as a formula
 * whatever the database held.
 */
import type { AuditEntry } from './audit-entry.js';

export type AuditExportFormat = 'csv' | 'jsonl';

export const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'action', 'counterparts', 'file_count', 'total_bytes', 'detail', 'prev_hash', 'hash', 'signature'] as const;

function record(entry: AuditEntry) {
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

export function exportAudit(entries: readonly AuditEntry[], format: AuditExportFormat): string {
  if (format === 'jsonl') return entries.map((entry) => `${JSON.stringify(record(entry))}\n`).join('');
  const lines = [AUDIT_COLUMNS.join(',')];
  for (const entry of entries) {
    const row = record(entry);
    lines.push(AUDIT_COLUMNS.map((column) => csvCell(row[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
