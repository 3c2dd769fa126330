/**
 * What became of each sent package per recipient, after "sealed": delivered
 * (through which exchange), withdrawn by the sender before it was picked up,
 * then opened or refused as their signed receipt says. The furthest step is
 * the recipient's status in Activity and `packages list --json`: once a
 * recipient opened a package, nothing that comes later (a refusal of a
 * second copy, a late receipt, a withdrawal) turns it back; and a receipt
 * that arrives after a withdrawal (they had it open already) wins over it.
 */
import type { Db } from './database.js';
import { storeErrorFrom } from './errors.js';

export type DeliveryStatus = 'sealed' | 'delivered' | 'withdrawn' | 'opened' | 'refused';

export interface RecipientStatus {
  readonly fingerprint: string;
  readonly status: DeliveryStatus;
  /** When it reached this status (null for sealed: the package's own time applies). */
  readonly at: string | null;
  /** The exchange it went through, the refusal code, or the exchanges it was withdrawn from. */
  readonly detail: string | null;
}

/** How far a step got: a later step of lower rank never replaces it (opened is final). */
const RANK: Readonly<Record<DeliveryStatus, number>> = { sealed: 0, delivered: 1, withdrawn: 2, refused: 3, opened: 4 };

export class Deliveries {
  constructor(private readonly db: Db) {}

  /** Records a step for a sent package (by its hash); false when no such sent package exists. */
  record(
    packageHash: string,
    fingerprint: string,
    status: Exclude<DeliveryStatus, 'sealed'>,
    detail: string,
    at: string,
  ): boolean {
    try {
      const row = this.db
        .prepare("SELECT id FROM packages WHERE package_hash = ? AND direction = 'sent'")
        .get(packageHash) as { id: number } | undefined;
      if (!row) return false;
      this.db
        .prepare(
          'INSERT OR IGNORE INTO deliveries (package_id, fingerprint, status, detail, at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(row.id, fingerprint, status, detail, at);
      return true;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Whether this step was already recorded (a replayed receipt changes nothing). */
  has(packageHash: string, fingerprint: string, status: Exclude<DeliveryStatus, 'sealed'>): boolean {
    try {
      return (
        this.db
          .prepare(
            "SELECT 1 FROM deliveries d JOIN packages p ON p.id = d.package_id WHERE p.package_hash = ? AND p.direction = 'sent' AND d.fingerprint = ? AND d.status = ?",
          )
          .get(packageHash, fingerprint, status) !== undefined
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** A verified receipt from `fingerprint` came through `exchange`: they use it. */
  recordAnsweredVia(fingerprint: string, exchange: string, at: string): void {
    try {
      this.db
        .prepare('INSERT OR IGNORE INTO receipt_routes (exchange, fingerprint, first_at) VALUES (?, ?, ?)')
        .run(exchange, fingerprint, at);
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Whether `fingerprint` ever answered with a receipt through `exchange`. */
  answeredVia(fingerprint: string, exchange: string): boolean {
    try {
      return (
        this.db
          .prepare('SELECT 1 FROM receipt_routes WHERE exchange = ? AND fingerprint = ?')
          .get(exchange, fingerprint) !== undefined
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Whether `exchange` ever reached `fingerprint`: a package was delivered to them there, or they answered through it. */
  reachedVia(fingerprint: string, exchange: string): boolean {
    try {
      return (
        this.db
          .prepare(
            `SELECT 1 FROM deliveries WHERE fingerprint = ? AND status = 'delivered' AND detail = ?
             UNION ALL SELECT 1 FROM receipt_routes WHERE fingerprint = ? AND exchange = ? LIMIT 1`,
          )
          .get(fingerprint, exchange, fingerprint, exchange) !== undefined
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Each recipient's newest status, for the given package ids. */
  statusesOf(
    packageIds: readonly number[],
    recipientsOf: (id: number) => readonly string[],
  ): Map<number, RecipientStatus[]> {
    const result = new Map<number, RecipientStatus[]>();
    if (packageIds.length === 0) return result;
    try {
      const rows = this.db
        .prepare(
          `SELECT package_id, fingerprint, status, detail, at FROM deliveries WHERE package_id IN (${packageIds.map(() => '?').join(',')})`,
        )
        .all(...packageIds) as {
        package_id: number;
        fingerprint: string;
        status: Exclude<DeliveryStatus, 'sealed'>;
        detail: string;
        at: string;
      }[];
      for (const id of packageIds) {
        const statuses = recipientsOf(id).map((fingerprint): RecipientStatus => {
          const steps = rows
            .filter((row) => row.package_id === id && row.fingerprint === fingerprint)
            .sort((a, b) => RANK[b.status] - RANK[a.status] || b.at.localeCompare(a.at));
          const newest = steps[0];
          return newest
            ? { fingerprint, status: newest.status, at: newest.at, detail: newest.detail }
            : { fingerprint, status: 'sealed', at: null, detail: null };
        });
        result.set(id, statuses);
      }
      return result;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
