/**
 * Schema version 6 (store/migrations/0006-withdrawn.ts): a profile from
 * version 5 keeps every delivery row, and `withdrawn` becomes a status the
 * table accepts (nothing else new does); the package's rows still go with it.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';

const FP = 'f'.repeat(64);

describe('schema version 6: withdrawn', () => {
  it('keeps the rows of version 5 and accepts withdrawn, and only that', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    applyMigrations(
      db,
      MIGRATIONS.filter((migration) => migration.version <= 5),
    );
    db.prepare(
      `INSERT INTO packages (id, package_hash, direction, counterpart, file_count, total_bytes, sealed_at, recorded_at, state, note_sealed)
       VALUES (1, ?, 'sent', ?, 1, 10, 't', 't', 'sealed', x'00')`,
    ).run('a'.repeat(64), FP);
    const insert = (status: string) =>
      db
        .prepare('INSERT INTO deliveries (package_id, fingerprint, status, detail, at) VALUES (1, ?, ?, ?, ?)')
        .run(FP, status, 'share', `at-${status}`);
    insert('delivered');
    insert('opened');
    expect(() => insert('withdrawn')).toThrow(/CHECK/); // version 5 does not know it

    expect(applyMigrations(db)).toBeGreaterThanOrEqual(6); // and any later version
    expect(db.prepare('SELECT status, detail, at FROM deliveries ORDER BY status').all()).toEqual([
      { status: 'delivered', detail: 'share', at: 'at-delivered' },
      { status: 'opened', detail: 'share', at: 'at-opened' },
    ]);
    insert('withdrawn');
    expect(() => insert('lost')).toThrow(/CHECK/);
    expect(() => insert('withdrawn')).toThrow(/UNIQUE|PRIMARY/); // one row per step, as before
    db.prepare('DELETE FROM packages WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM deliveries').get()).toEqual({ n: 0 }); // still cascades
    db.close();
  });
});
