/**
 * Audit export for compliance reviews (CSV) and SIEM tools (JSON lines).
 * Columns are documented in docs/AUDIT.md. Every field should be a number,
 * a timestamp, a fingerprint, an action name or a short code; still, a CSV
 * cell that starts with = + - @ (or a tab or carriage return) is prefixed
 * with an apostrophe, so that a spreadsheet never runs it as a formula
 * whatever the database held. The names column holds what partners chose
 * (their cards' names and organisations): it is always quoted, and each
 * part a `;`-splitting spreadsheet would make a cell of (each name, and
 * whatever follows a `;` inside one) is neutralised the same way, so no
 * such cell starts with a partner's text.
 * A filtered export (audit-filter.ts) starts with a line saying so; the
 * counterparts' names are the exporter's contact book's, beside the
 * fingerprints, for the reader only: not signed, and not checked.
 */
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from './audit-entry.js';
import type { AuditHead } from './audit-chain.js';
import type { AuditFilter } from './audit-filter.js';

export type AuditExportFormat = 'csv' | 'jsonl';

export const AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'counterparts',
  'counterpart_names',
  'file_count',
  'total_bytes',
  'detail',
  'prev_hash',
  'hash',
  'signature',
] as const;
/** Exports written before counterpart_names lack it; they are read all the same. */
const OPTIONAL_COLUMNS: readonly string[] = ['counterpart_names'];

/** What a filtered export says about itself in its first line. */
export interface ExportedFilter {
  readonly actions: readonly AuditAction[];
  readonly since: string | null;
  /** How many entries the export holds, and how many the log held. */
  readonly entries: number;
  readonly of: number;
  /** Hex Ed25519 signature of the exporting identity over filterStatement (audit-filter.ts). */
  readonly signature: string;
}

export interface AuditExportOptions {
  readonly head: AuditHead | null;
  /** Set when the entries are a filtered selection of the `total` in the log, with the signed statement about them. */
  readonly filter?: { readonly applied: AuditFilter; readonly total: number; readonly signature: Uint8Array };
  /** A counterpart's name as the exporter's contacts know it, or null. */
  readonly nameOf?: (fingerprint: string) => string | null;
}

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

const FORMULA_START = /^[=+\-@\t\r]/;

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function csvCell(value: unknown): string {
  const raw = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  const text = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",;\r\n]/.test(text) ? quoted(text) : text;
}

/**
 * A cell of partner-chosen names: always quoted; an apostrophe before each name and before whatever
 * follows a `;` in one when it starts (after spaces) like a formula, or with a quote that a
 * `;`-splitting reader would take as the start of a quoted cell.
 */
function nameCell(names: readonly (string | null)[]): string {
  const neutralised = names.map((name) => (name ?? 'not in contacts').replace(/(^|;)( *)(?=[=+\-@\t\r"])/g, "$1$2'"));
  return quoted(neutralised.join('; '));
}

/** The action name of the last CSV row, which carries the signed head instead of an entry. */
const HEAD_ROW = 'signed-head';
/** The action name of a filtered CSV export's first row, whose detail describes the filter. */
const FILTER_ROW = 'filtered-export';
const FILTER_DETAIL = /^entries=(\d+) of=(\d+) actions=([a-z.,-]*) since=(\S*) signature=(\S*)$/;

/**
 * The export ends with the signed head (JSON lines: a last `{"head": …}` line; CSV: a last row
 * whose action is `signed-head`, with the head's seq, hash and signature), so that a copy can be
 * checked offline and a truncated copy is detected (`medseal audit verify-export`). A filtered
 * export starts with `{"filter": …}` (CSV: a first row whose action is `filtered-export`).
 */
export function exportAudit(
  entries: readonly AuditEntry[],
  format: AuditExportFormat,
  options: AuditExportOptions,
): string {
  const { head, filter, nameOf = () => null } = options;
  const headRecord = head
    ? { seq: head.seq, hash: head.hash.toString('hex'), signature: head.signature.toString('hex') }
    : null;
  const described: ExportedFilter | null = filter
    ? {
        actions: filter.applied.actions ?? [],
        since: filter.applied.since?.toISOString() ?? null,
        entries: entries.length,
        of: filter.total,
        signature: Buffer.from(filter.signature).toString('hex'),
      }
    : null;
  const rows = entries.map((entry) => ({ ...auditRecord(entry), counterpart_names: entry.counterparts.map(nameOf) }));
  if (format === 'jsonl') {
    const lines = [
      ...(described ? [{ filter: described }] : []),
      ...rows,
      ...(headRecord ? [{ head: headRecord }] : []),
    ];
    return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  }
  const lines = [AUDIT_COLUMNS.join(',')];
  if (described) {
    const detail = `entries=${described.entries} of=${described.of} actions=${described.actions.join(',')} since=${described.since ?? ''} signature=${described.signature}`;
    lines.push(
      AUDIT_COLUMNS.map((column) => csvCell(column === 'action' ? FILTER_ROW : column === 'detail' ? detail : '')).join(
        ',',
      ),
    );
  }
  for (const row of rows)
    lines.push(
      AUDIT_COLUMNS.map((column) =>
        column === 'counterpart_names' ? nameCell(row.counterpart_names) : csvCell(row[column]),
      ).join(','),
    );
  if (headRecord) {
    const cells: Record<string, string | number> = {
      seq: headRecord.seq,
      action: HEAD_ROW,
      hash: headRecord.hash,
      signature: headRecord.signature,
    };
    lines.push(AUDIT_COLUMNS.map((column) => cells[column] ?? '').join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** An export read back: its entries and the signed head it ends with (null when it has none). */
export interface ParsedAuditExport {
  readonly entries: AuditEntry[];
  readonly head: AuditHead | null;
  /** Null for a whole export. */
  readonly filter: ExportedFilter | null;
}

const hex = (value: unknown, bytes: number): Buffer => {
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(value))
    throw new Error('not a hash or signature');
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

/** Splits one CSV line into cells (quoted cells may hold commas and doubled quotes; any cell may be empty). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  const cell = /"((?:[^"]|"")*)"|([^,]*)/y;
  for (let at = 0; at <= line.length; at++) {
    cell.lastIndex = at;
    const match = cell.exec(line);
    if (!match) throw new Error('not a CSV cell');
    cells.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] ?? ''));
    at = cell.lastIndex;
    if (at < line.length && line[at] !== ',') throw new Error('text after a quoted cell');
  }
  return cells;
}

function filterFrom(value: Record<string, unknown>): ExportedFilter {
  const actions = Array.isArray(value.actions) ? value.actions.map(String) : [];
  if (actions.some((action) => !(AUDIT_ACTIONS as readonly string[]).includes(action)))
    throw new Error('unknown action in the filter');
  const since = value.since === null || value.since === '' || value.since === undefined ? null : String(value.since);
  if (since !== null && Number.isNaN(new Date(since).getTime())) throw new Error('not a time');
  if (actions.length === 0 && since === null) throw new Error('a filter that chooses nothing is not one');
  const entries = Number(value.entries);
  const of = Number(value.of);
  if (!Number.isSafeInteger(entries) || !Number.isSafeInteger(of) || entries > of) throw new Error('not counts');
  return { actions: actions as AuditAction[], since, entries, of, signature: hex(value.signature, 64).toString('hex') };
}

const FILTER_KEYS = ['actions', 'since', 'entries', 'of', 'signature'];

/** A JSON filter line exactly as the exporter writes it: these keys, counts as numbers. */
function strictFilterLine(value: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(value);
  const exact = keys.length === FILTER_KEYS.length && FILTER_KEYS.every((key) => keys.includes(key));
  if (
    !exact ||
    typeof value.entries !== 'number' ||
    typeof value.of !== 'number' ||
    !Array.isArray(value.actions) ||
    typeof value.signature !== 'string'
  )
    throw new Error('not a filter line');
  if (value.since !== null && typeof value.since !== 'string') throw new Error('not a filter line');
  return value;
}

/** The CSV header's columns, in order: those of AUDIT_COLUMNS, the optional ones possibly absent. */
function csvColumns(header: string | undefined): string[] | null {
  const columns = header?.split(',') ?? [];
  const known = new Set<string>(AUDIT_COLUMNS);
  const complete = AUDIT_COLUMNS.every((column) => OPTIONAL_COLUMNS.includes(column) || columns.includes(column));
  return complete && columns.every((column) => known.has(column)) && new Set(columns).size === columns.length
    ? columns
    : null;
}

/** Reads an export (JSON lines or CSV, as written above); throws on anything that is not one. */
export function parseAuditExport(text: string): ParsedAuditExport {
  const lines = text.split(/\r?\n/).filter((line) => line !== '');
  const entries: AuditEntry[] = [];
  let head: AuditHead | null = null;
  let filter: ExportedFilter | null = null;
  const takeHead = (seq: unknown, hash: unknown, signature: unknown) => {
    if (head) throw new Error('two heads');
    head = { seq: Number(seq), hash: hex(hash, 32), signature: hex(signature, 64) };
  };
  const takeFilter = (value: Record<string, unknown>) => {
    if (filter || entries.length > 0) throw new Error('the filter comes first');
    filter = filterFrom(value);
  };
  const columns = csvColumns(lines[0]);
  if (columns) {
    for (const line of lines.slice(1)) {
      if (head) throw new Error('rows after the head');
      const cells = csvCells(line);
      if (cells.length !== columns.length) throw new Error('a row with another number of cells than the header');
      const row: Record<string, string> = Object.fromEntries(
        columns.map((column, index) => [column, cells[index] ?? '']),
      );
      if (row.action === HEAD_ROW) takeHead(row.seq, row.hash, row.signature);
      else if (row.action === FILTER_ROW) {
        const match = FILTER_DETAIL.exec(row.detail ?? '');
        if (!match) throw new Error('not a filter');
        takeFilter({
          entries: match[1],
          of: match[2],
          actions: match[3] ? match[3].split(',') : [],
          since: match[4],
          signature: match[5],
        });
      } else entries.push(entryFrom(row));
    }
  } else {
    for (const line of lines) {
      if (head) throw new Error('lines after the head');
      const value = JSON.parse(line) as Record<string, unknown>;
      if (value.head && typeof value.head === 'object') {
        const record = value.head as Record<string, unknown>;
        takeHead(record.seq, record.hash, record.signature);
      } else if (value.filter && typeof value.filter === 'object')
        takeFilter(strictFilterLine(value.filter as Record<string, unknown>));
      else entries.push(entryFrom(value));
    }
  }
  return { entries, head, filter };
}
