/**
 * Durable record of the temp files beside destinations (their paths are
 * encrypted: a folder name can name a patient), and the clean-up after a
 * crash: at the next start every recorded temp file is removed.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { TEMP_PREFIX } from '../fs/atomic-write.js';
import type { TempFileRegistry } from '../fs/temp-file-registry.js';
import type { Db } from './database.js';
import { storeErrorFrom, StoreTampered } from './errors.js';
import type { FieldCipher } from './field-cipher.js';

export class SqliteTempFileRegistry implements TempFileRegistry {
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  async register(path: string): Promise<void> {
    const token = randomBytes(16).toString('hex');
    try {
      this.db
        .prepare('INSERT INTO temp_files (token, path_sealed, created_at) VALUES (?, ?, ?)')
        .run(token, this.cipher.seal(path, 'temp_files', 'path', token), new Date().toISOString());
    } catch (error) {
      throw storeErrorFrom(error);
    }
    this.tokens.set(path, token);
  }

  async release(path: string): Promise<void> {
    const token = this.tokens.get(path);
    if (!token) return;
    this.db.prepare('DELETE FROM temp_files WHERE token = ?').run(token);
    this.tokens.delete(path);
  }

  /** Removes every temp file a previous (crashed) run left; returns how many records were cleared. */
  async recover(): Promise<number> {
    const rows = this.db.prepare('SELECT token, path_sealed FROM temp_files').all() as {
      token: string;
      path_sealed: Buffer;
    }[];
    for (const row of rows) {
      let path: string | null = null;
      try {
        path = this.cipher.open(row.path_sealed, 'temp_files', 'path', row.token);
      } catch (error) {
        if (!(error instanceof StoreTampered)) throw error;
      }
      // Only ever delete files that carry our temp prefix, whatever the database says.
      if (path && basename(path).startsWith(TEMP_PREFIX)) await rm(path, { force: true });
      this.db.prepare('DELETE FROM temp_files WHERE token = ?').run(row.token);
    }
    return rows.length;
  }
}
