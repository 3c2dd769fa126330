/**
 * Opens a profile's SQLite database (better-sqlite3): private file mode, WAL,
 * foreign keys, a busy timeout, full fsync, and the schema migrations. A
 * database written by a newer MedSeal is refused before anything touches it.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { DatabaseTooNew, storeErrorFrom } from './errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

export type Db = Database.Database;

function schemaVersionOf(path: string): number {
  const reader = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return reader.pragma('user_version', { simple: true }) as number;
  } finally {
    reader.close();
  }
}

export function applyMigrations(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new DatabaseTooNew(current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return Math.max(current, latest);
}

export function openDatabase(path: string): Db {
  try {
    if (existsSync(path)) {
      const found = schemaVersionOf(path);
      if (found > LATEST_SCHEMA_VERSION) throw new DatabaseTooNew(found, LATEST_SCHEMA_VERSION);
    } else {
      closeSync(openSync(path, 'a', 0o600)); // SQLite gives -wal and -shm the database file's mode
    }
    if (process.platform !== 'win32') chmodSync(path, 0o600);
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.pragma('secure_delete = ON');
      applyMigrations(db);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    throw storeErrorFrom(error);
  }
}
