/**
 * The SFTP exchanges a person added. Address, pinned host key and login key
 * are sealed together (FieldCipher, row = name): the login key is a secret,
 * and a host key or address edited in the database file would otherwise
 * redirect deliveries to an impostor; a changed row fails to open.
 */
import type { Db } from './database.js';
import { StoreTampered, storeErrorFrom } from './errors.js';
import type { FieldCipher } from './field-cipher.js';

export interface StoredSftpExchange {
  readonly name: string;
  /** sftp://user@host[:port]/path */
  readonly address: string;
  /** SHA256:… */
  readonly hostKey: string;
  /** The OpenSSH private key text. */
  readonly privateKey: string;
  readonly addedAt: string;
}

export class SftpExchanges {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  list(): StoredSftpExchange[] {
    try {
      const rows = this.db.prepare('SELECT name, config_sealed, added_at FROM sftp_exchanges ORDER BY name').all() as {
        name: string;
        config_sealed: Buffer;
        added_at: string;
      }[];
      return rows.map((row) => ({
        ...this.openConfig(row.name, row.config_sealed),
        name: row.name,
        addedAt: row.added_at,
      }));
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Adds one; false when the name is taken. */
  add(exchange: Omit<StoredSftpExchange, 'addedAt'>, now = new Date()): boolean {
    const sealed = this.cipher.seal(
      JSON.stringify({ address: exchange.address, hostKey: exchange.hostKey, privateKey: exchange.privateKey }),
      'sftp_exchanges',
      'config',
      exchange.name,
    );
    try {
      return (
        this.db
          .prepare('INSERT OR IGNORE INTO sftp_exchanges (name, config_sealed, added_at) VALUES (?, ?, ?)')
          .run(exchange.name, sealed, now.toISOString()).changes === 1
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  remove(name: string): boolean {
    try {
      return this.db.prepare('DELETE FROM sftp_exchanges WHERE name = ?').run(name).changes === 1;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  private openConfig(name: string, sealed: Buffer): { address: string; hostKey: string; privateKey: string } {
    const parsed: unknown = JSON.parse(this.cipher.open(sealed, 'sftp_exchanges', 'config', name));
    if (typeof parsed !== 'object' || parsed === null) throw new StoreTampered('sftp_exchanges.config');
    const { address, hostKey, privateKey } = parsed as Record<string, unknown>;
    if (typeof address !== 'string' || typeof hostKey !== 'string' || typeof privateKey !== 'string')
      throw new StoreTampered('sftp_exchanges.config');
    return { address, hostKey, privateKey };
  }
}
