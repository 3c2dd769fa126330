/**
 * Schema version 9 (store/migrations/0009-threads.ts): a profile from
 * version 7 keeps every package, and gains the thread of each: the header
 * hash it answers (in clear, lowercase hex only) and its sealed subject;
 * a row needs one of them and goes with its package.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';

describe('schema version 9: threads', () => {
  it('keeps the packages of version 7, and holds a hash (checked) and a sealed subject per package', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    applyMigrations(
      db,
      MIGRATIONS.filter((migration) => migration.version <= 7),
    );
    db.prepare(
      `INSERT INTO packages (id, package_hash, direction, counterpart, file_count, total_bytes, sealed_at, recorded_at, state, note_sealed)
       VALUES (1, ?, 'sent', ?, 1, 10, 't', 't', 'sealed', x'00')`,
    ).run('a'.repeat(64), 'f'.repeat(64));
    expect(applyMigrations(db)).toBeGreaterThanOrEqual(9);
    expect(db.prepare('SELECT count(*) AS n FROM packages').get()).toEqual({ n: 1 });

    const insert = (replyTo: string | null, subject: Buffer | null) =>
      db
        .prepare('INSERT INTO package_threads (package_id, reply_to, subject_sealed) VALUES (1, ?, ?)')
        .run(replyTo, subject);
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(63)}g`, `${'a'.repeat(64)}0`])
      expect(() => insert(bad, null), bad).toThrow(/CHECK/);
    expect(() => insert(null, null)).toThrow(/CHECK/); // a row says something
    insert('b'.repeat(64), Buffer.from([2, 1, 2, 3]));
    expect(() => insert('c'.repeat(64), null)).toThrow(/UNIQUE|PRIMARY/); // one per package
    expect(() =>
      db.prepare('INSERT INTO package_threads (package_id, reply_to) VALUES (2, ?)').run('c'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM packages WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM package_threads').get()).toEqual({ n: 0 }); // it goes with its package
    db.close();
  });
});
