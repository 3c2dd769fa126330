import Database from 'better-sqlite3';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../../main/store/database.js';
import { DatabaseTooNew } from '../../main/store/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../main/store/migrations/index.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('the profile database', () => {
  it('is created private (0600, also -wal and -shm), in WAL mode, with foreign keys and a busy timeout, at the latest schema', async () => {
    const path = join(await tempFolder(), 'medseal.db');
    const db = openDatabase(path);
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    if (process.platform !== 'win32') {
      for (const file of [path, `${path}-wal`, `${path}-shm`])
        expect((await stat(file)).mode & 0o777, file).toBe(0o600);
    }
    db.close();
  });

  it('re-opening applies nothing twice', async () => {
    const path = join(await tempFolder(), 'medseal.db');
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('a database from a newer version is refused and left byte-for-byte unchanged', async () => {
    const folder = await tempFolder();
    const path = join(folder, 'medseal.db');
    const future = new Database(path);
    future.exec('CREATE TABLE from_the_future (x INTEGER)');
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    future.close();
    const before = await readFile(path);
    expect(() => openDatabase(path)).toThrow(DatabaseTooNew);
    expect(await readFile(path)).toEqual(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('a migration that fails is rolled back whole: no table, version unchanged', async () => {
    const db = new Database(':memory:');
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'broken',
        sql: 'CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;',
      },
    ];
    expect(() => applyMigrations(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('each migration has the next version number (8 belongs to a change merged on its own)', () => {
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(versions[0]).toBe(1);
    versions.slice(1).forEach((version, index) => {
      const step = version - versions[index]!;
      expect(step === 1 || (step === 2 && version === 9), `version ${version} after ${versions[index]}`).toBe(true);
    });
  });
});
