/**
 * The delivery queue's rows (migration 0006): a sent package waiting per
 * recipient and exchange for an exchange that was down, with its attempts
 * and next try. What to retry and when is decided by the service
 * (services/delivery/delivery-queue.ts); here it is only kept.
 */
import type { Db } from './database.js';
import { storeErrorFrom } from './errors.js';

export interface QueuedEntry {
  readonly packageHash: string;
  readonly fingerprint: string;
  readonly exchange: string;
  /** Attempts so far, the first delivery included. */
  readonly attempts: number;
  readonly queuedAt: string;
  readonly nextTryAt: string;
  /** The error code of the last attempt (TRANSPORT_UNREACHABLE, HOST_KEY_CHANGED…). */
  readonly lastError: string;
}

/** A recipient's place in the queue as Activity and `packages list` show it. */
export interface QueuedStatus {
  readonly nextTryAt: string;
  readonly lastError: string;
}

interface Row {
  package_hash: string;
  fingerprint: string;
  exchange: string;
  attempts: number;
  queued_at: string;
  next_try_at: string;
  last_error: string;
}

const SELECT = `SELECT p.package_hash, q.fingerprint, q.exchange, q.attempts, q.queued_at, q.next_try_at, q.last_error
  FROM delivery_queue q JOIN packages p ON p.id = q.package_id`;

export class DeliveryQueueStore {
  constructor(private readonly db: Db) {}

  /**
   * Queues a sent package (by its hash) for `fingerprint` on `exchange`, as attempt 1; one already
   * queued there keeps its place. False when no such sent package is in the history.
   */
  add(
    packageHash: string,
    fingerprint: string,
    exchange: string,
    at: string,
    nextTryAt: string,
    error: string,
  ): boolean {
    return this.run(() => {
      const row = this.db
        .prepare("SELECT id FROM packages WHERE package_hash = ? AND direction = 'sent'")
        .get(packageHash) as { id: number } | undefined;
      if (!row) return false;
      this.db
        .prepare(
          `INSERT INTO delivery_queue (package_id, fingerprint, exchange, attempts, queued_at, next_try_at, last_error)
           VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(row.id, fingerprint, exchange, at, nextTryAt, error);
      return true;
    });
  }

  /** Every entry, oldest first. */
  list(): QueuedEntry[] {
    return this.run(() => {
      const rows = this.db.prepare(`${SELECT} ORDER BY q.queued_at, q.package_id`).all() as Row[];
      return rows.map((row) => ({
        packageHash: row.package_hash,
        fingerprint: row.fingerprint,
        exchange: row.exchange,
        attempts: row.attempts,
        queuedAt: row.queued_at,
        nextTryAt: row.next_try_at,
        lastError: row.last_error,
      }));
    });
  }

  /** One more attempt failed: when to try next, and why it failed. */
  reschedule(entry: QueuedEntry, nextTryAt: string, error: string): void {
    this.run(() =>
      this.db
        .prepare(
          `UPDATE delivery_queue SET attempts = attempts + 1, next_try_at = ?, last_error = ?
           WHERE package_id = (SELECT id FROM packages WHERE package_hash = ? AND direction = 'sent')
             AND fingerprint = ? AND exchange = ?`,
        )
        .run(nextTryAt, error, entry.packageHash, entry.fingerprint, entry.exchange),
    );
  }

  /** Takes a recipient's entry on `exchange` out of the queue, or on every exchange when none is named. */
  remove(packageHash: string, fingerprint: string, exchange?: string): void {
    this.run(() =>
      this.db
        .prepare(
          `DELETE FROM delivery_queue
           WHERE package_id = (SELECT id FROM packages WHERE package_hash = ? AND direction = 'sent')
             AND fingerprint = ? AND (? IS NULL OR exchange = ?)`,
        )
        .run(packageHash, fingerprint, exchange ?? null, exchange ?? null),
    );
  }

  /** Whether anything of this package still waits in the queue. */
  holds(packageHash: string): boolean {
    return this.run(
      () =>
        this.db.prepare(`${SELECT} WHERE p.package_hash = ? AND p.direction = 'sent' LIMIT 1`).get(packageHash) !==
        undefined,
    );
  }

  /** Per package id, each queued recipient's earliest next try. */
  statusesOf(packageIds: readonly number[]): Map<number, Map<string, QueuedStatus>> {
    const result = new Map<number, Map<string, QueuedStatus>>();
    if (packageIds.length === 0) return result;
    return this.run(() => {
      const rows = this.db
        .prepare(
          `SELECT package_id, fingerprint, next_try_at, last_error FROM delivery_queue
           WHERE package_id IN (${packageIds.map(() => '?').join(',')}) ORDER BY next_try_at`,
        )
        .all(...packageIds) as { package_id: number; fingerprint: string; next_try_at: string; last_error: string }[];
      for (const row of rows) {
        const statuses = result.get(row.package_id) ?? new Map<string, QueuedStatus>();
        if (!statuses.has(row.fingerprint))
          statuses.set(row.fingerprint, { nextTryAt: row.next_try_at, lastError: row.last_error });
        result.set(row.package_id, statuses);
      }
      return result;
    });
  }

  private run<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
