/**
 * Choosing part of the audit log to export (`audit export --action --since`), so that a
 * reviewer reads the events they asked about instead of every unlock. A filtered export
 * keeps each entry's hash and signature: each entry it holds can still be checked on its
 * own (audit-chain.ts, verifyFilteredEntries), but what the filter left out cannot; a full
 * export proves the whole chain.
 */
import { sha256 } from '../crypto/primitives.js';
import { UsageError } from '../errors/usage-error.js';
import { AUDIT_ACTIONS, seqBytes, type AuditAction, type AuditEntry } from './audit-entry.js';
import type { AuditHead } from './audit-chain.js';

export interface AuditFilter {
  /** Exact actions; empty or absent means every action. */
  readonly actions?: readonly AuditAction[];
  /** Entries at or after this time only. */
  readonly since?: Date;
}

/** The action groups (`package`, `contact`, …): the part of an action name before its dot. */
export const AUDIT_ACTION_GROUPS = [...new Set(AUDIT_ACTIONS.map((action) => action.split('.')[0]!))];

/**
 * Reads `--action` values: an action (`package.opened`) or a group (`package`, also written
 * `package.*`), each possibly a comma-separated list. Anything else is refused by name.
 */
export function actionsNamed(values: readonly string[]): AuditAction[] {
  const chosen = new Set<AuditAction>();
  for (const value of values.flatMap((item) => item.split(',')).map((item) => item.trim())) {
    const group = value.endsWith('.*') ? value.slice(0, -2) : value;
    const exact = AUDIT_ACTIONS.find((action) => action === value);
    const inGroup = AUDIT_ACTIONS.filter((action) => action.startsWith(`${group}.`));
    if (exact) chosen.add(exact);
    else if (inGroup.length > 0) for (const action of inGroup) chosen.add(action);
    else {
      throw new UsageError(
        `"${value}" is not an audit action. Give an action such as package.opened, or a group: ${AUDIT_ACTION_GROUPS.join(', ')} (every action is listed in docs/AUDIT.md).`,
      );
    }
  }
  return AUDIT_ACTIONS.filter((action) => chosen.has(action));
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const AGO_PATTERN = /^(\d{1,5})([hdw])$/;
const HOURS = { h: 1, d: 24, w: 24 * 7 } as const;

/**
 * Reads `--since`: a day (`2026-11-01`, from local midnight), a time with its zone
 * (`2026-11-01T08:00:00Z`, `2026-11-01T09:00+01:00`), or a span back from `now`
 * (`12h`, `7d`, `2w`).
 */
export function sinceTime(value: string, now = new Date()): Date {
  const ago = AGO_PATTERN.exec(value);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * HOURS[ago[2] as keyof typeof HOURS] * 3_600_000);
  const day = DAY_PATTERN.exec(value);
  const time = day
    ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]))
    : /T.*(Z|[+-]\d{2}:?\d{2})$/.test(value)
      ? new Date(value)
      : null;
  const valid =
    time !== null &&
    !Number.isNaN(time.getTime()) &&
    (!day || (time.getMonth() === Number(day[2]) - 1 && time.getDate() === Number(day[3])));
  if (!valid)
    throw new UsageError(
      `"${value}" is not a time MedSeal can read. Give a day (2026-11-01), a time with its zone (2026-11-01T08:00Z) or a span back from now (12h, 7d, 2w).`,
    );
  return time;
}

export function isFiltered(filter: AuditFilter): boolean {
  return (filter.actions?.length ?? 0) > 0 || filter.since !== undefined;
}

export function matchesFilter(entry: Pick<AuditEntry, 'action' | 'at'>, filter: AuditFilter): boolean {
  if (filter.actions && filter.actions.length > 0 && !filter.actions.includes(entry.action)) return false;
  return filter.since === undefined || new Date(entry.at).getTime() >= filter.since.getTime();
}

export const FILTER_CONTEXT = Buffer.from('MEDSEAL-v1-audit-filter', 'ascii');

/** A filtered export's own description of itself, as its first line states it. */
export interface FilterDescription {
  readonly actions: readonly AuditAction[];
  readonly since: string | null;
  /** How many entries the log held when it was exported (the head's number). */
  readonly of: number;
}

/**
 * What the exporting identity signs about a filtered export (docs/AUDIT.md, "Filtered exports"):
 * the filter, the signed head it was cut from, and exactly which entries it holds (a hash of
 * their hashes, in order). Entries removed, added or taken from another copy of the log no longer
 * match it, and neither does an edited filter line.
 */
export function filterStatement(
  filter: FilterDescription,
  head: Pick<AuditHead, 'seq' | 'hash'>,
  entries: readonly Pick<AuditEntry, 'hash'>[],
): Buffer {
  const selection = sha256(FILTER_CONTEXT, ...entries.map((entry) => entry.hash));
  const described = Buffer.from(JSON.stringify([filter.actions, filter.since, filter.of]), 'utf8');
  return Buffer.concat([FILTER_CONTEXT, seqBytes(head.seq), head.hash, selection, described]);
}
