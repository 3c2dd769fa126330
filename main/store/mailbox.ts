/**
 * The person's mailbox for delivery by e-mail (exchange/mail/): one account,
 * its address, servers and login sealed together (FieldCipher, row 1), so
 * neither the password nor a server can be read or swapped in the database
 * file; a changed row fails to open (StoreTampered).
 */
import { MailAccountSchema, type MailAccount } from '../exchange/mail/mail-account.js';
import type { Db } from './database.js';
import { StoreTampered, storeErrorFrom } from './errors.js';
import type { FieldCipher } from './field-cipher.js';

export interface StoredMailbox {
  readonly account: MailAccount;
  readonly addedAt: string;
}

export class MailboxStore {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  get(): StoredMailbox | null {
    let row: { config_sealed: Buffer; added_at: string } | undefined;
    try {
      row = this.db.prepare('SELECT config_sealed, added_at FROM mailbox WHERE id = 1').get() as typeof row;
    } catch (error) {
      throw storeErrorFrom(error);
    }
    if (!row) return null;
    const parsed = MailAccountSchema.safeParse(
      JSON.parse(this.cipher.open(row.config_sealed, 'mailbox', 'config', '1')),
    );
    if (!parsed.success) throw new StoreTampered('mailbox.config');
    return { account: parsed.data, addedAt: row.added_at };
  }

  /** Saves the mailbox, replacing the one there (a new password, another account). */
  set(account: MailAccount, now = new Date()): void {
    const sealed = this.cipher.seal(JSON.stringify(account), 'mailbox', 'config', '1');
    try {
      this.db
        .prepare('INSERT OR REPLACE INTO mailbox (id, config_sealed, added_at) VALUES (1, ?, ?)')
        .run(sealed, now.toISOString());
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Removes it; false when there was none. */
  remove(): boolean {
    try {
      return this.db.prepare('DELETE FROM mailbox WHERE id = 1').run().changes === 1;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
