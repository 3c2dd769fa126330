/**
 * The thread of each history row (migration 0009): the header hash of the
 * package it answers, in clear so that replies are found by an index, and
 * its subject, sealed like the note (FieldCipher, bound to its row). Also
 * how a person names a package: its number (`#12`) or the start of its
 * header hash. The rules of a thread (which links count) are the services'
 * (services/threads.ts); this holds only the rows.
 */
import type { Db } from './database.js';
import type { FieldCipher } from './field-cipher.js';
import { storeErrorFrom } from './errors.js';

export interface ThreadFields {
  readonly replyTo: string | null;
  readonly subject: string | null;
}

const NONE: ThreadFields = { replyTo: null, subject: null };

export class PackageThreads {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  /** Keeps what a newly recorded package answers and its subject (nothing when it has neither). Run inside the recording transaction. */
  record(packageId: number, fields: ThreadFields): void {
    if (fields.replyTo === null && fields.subject === null) return;
    this.db
      .prepare('INSERT INTO package_threads (package_id, reply_to, subject_sealed) VALUES (?, ?, ?)')
      .run(
        packageId,
        fields.replyTo,
        fields.subject === null
          ? null
          : this.cipher.seal(fields.subject, 'package_threads', 'subject', String(packageId)),
      );
  }

  /** The thread fields of these rows (all rows when `ids` is null); rows without any are not in the map. */
  of(ids: readonly number[] | null): Map<number, ThreadFields> {
    const found = new Map<number, ThreadFields>();
    if (ids !== null && ids.length === 0) return found;
    try {
      const rows = (
        ids === null
          ? this.db.prepare('SELECT package_id, reply_to, subject_sealed FROM package_threads').all()
          : this.db
              .prepare(
                `SELECT package_id, reply_to, subject_sealed FROM package_threads WHERE package_id IN (${ids.map(() => '?').join(',')})`,
              )
              .all(...ids)
      ) as { package_id: number; reply_to: string | null; subject_sealed: Buffer | null }[];
      for (const row of rows)
        found.set(row.package_id, {
          replyTo: row.reply_to,
          subject:
            row.subject_sealed === null
              ? null
              : this.cipher.open(row.subject_sealed, 'package_threads', 'subject', String(row.package_id)),
        });
      return found;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  fieldsOf(packageId: number): ThreadFields {
    return this.of([packageId]).get(packageId) ?? NONE;
  }

  /** The rows that answer any of these header hashes. */
  repliesTo(hashes: readonly string[]): number[] {
    if (hashes.length === 0) return [];
    try {
      return (
        this.db
          .prepare(`SELECT package_id FROM package_threads WHERE reply_to IN (${hashes.map(() => '?').join(',')})`)
          .all(...hashes) as { package_id: number }[]
      ).map((row) => row.package_id);
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** The rows of packages with this header hash (one, or two when this profile both sent and received it). */
  rowsWithHash(packageHash: string): number[] {
    try {
      return (
        this.db.prepare('SELECT id FROM packages WHERE package_hash = ? ORDER BY id').all(packageHash) as {
          id: number;
        }[]
      ).map((row) => row.id);
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** The distinct header hashes of the history that start with `prefix` (lowercase hex), at most `limit`. */
  hashesStartingWith(prefix: string, limit: number): string[] {
    try {
      return (
        (
          this.db
            // A range over the (package_hash, direction) index: every hex string starting with `prefix` sorts below prefix + 'g'.
            .prepare('SELECT DISTINCT package_hash FROM packages WHERE package_hash >= ? AND package_hash < ? LIMIT ?')
            .all(prefix, `${prefix}g`, limit) as { package_hash: string }[]
        ).map((row) => row.package_hash)
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** The header hash of the history row with this number, or null. */
  hashOf(packageId: number): string | null {
    try {
      const row = this.db.prepare('SELECT package_hash FROM packages WHERE id = ?').get(packageId) as
        { package_hash: string } | undefined;
      return row?.package_hash ?? null;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
