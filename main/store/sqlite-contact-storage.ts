/**
 * The contact list in SQLite. Contacts are partner clinicians, not patients,
 * so they are stored in clear; each row carries an HMAC (key from the
 * unlocked identity) over the card and the trust state, so that marking an
 * impostor "verified" by editing the database is detected and refused.
 */
import type { ContactStorage } from '../contacts/contact-book.js';
import type { ContactRecord, PreviousKey } from '../contacts/contact-record.js';
import { hmacSha256, constantTimeEqual } from '../crypto/primitives.js';
import { decodeCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { Db } from './database.js';
import { StoreTampered, storeErrorFrom } from './errors.js';

interface ContactRow {
  id: number;
  email: string;
  card: Buffer;
  state: ContactRecord['state'];
  verified_at: string | null;
  verified_by: 'safety-number' | null;
  added_at: string;
  row_mac: Buffer;
}

interface HistoryRow {
  contact_id: number;
  card: Buffer;
  replaced_at: string;
  row_mac: Buffer;
}

export class SqliteContactStorage implements ContactStorage {
  constructor(
    private readonly db: Db,
    private readonly macKey: Uint8Array,
  ) {}

  private contactMac(row: Omit<ContactRow, 'id' | 'row_mac'>): Buffer {
    const fields = [row.email, row.card.toString('hex'), row.state, row.verified_at, row.verified_by, row.added_at];
    return hmacSha256(this.macKey, Buffer.from(JSON.stringify(['contact', ...fields]), 'utf8'));
  }

  private historyMac(email: string, row: Omit<HistoryRow, 'contact_id' | 'row_mac'>): Buffer {
    return hmacSha256(this.macKey, Buffer.from(JSON.stringify(['history', email, row.card.toString('hex'), row.replaced_at]), 'utf8'));
  }

  async load(): Promise<ContactRecord[]> {
    const contacts = this.db.prepare('SELECT * FROM contacts ORDER BY id').all() as ContactRow[];
    const history = this.db.prepare('SELECT contact_id, card, replaced_at, row_mac FROM contact_key_history ORDER BY id').all() as HistoryRow[];
    return contacts.map((row) => {
      if (!constantTimeEqual(this.contactMac(row), row.row_mac)) throw new StoreTampered('a contact');
      const card = decodeCard(row.card);
      if (card.profile.email !== row.email) throw new StoreTampered('a contact');
      const previousKeys: PreviousKey[] = history
        .filter((entry) => entry.contact_id === row.id)
        .map((entry) => {
          if (!constantTimeEqual(this.historyMac(row.email, entry), entry.row_mac)) throw new StoreTampered('a contact key history');
          const previous = decodeCard(entry.card);
          return { card: previous, fingerprint: fingerprintHex(previous.fingerprint), replacedAt: entry.replaced_at };
        });
      return {
        card,
        fingerprint: fingerprintHex(card.fingerprint),
        state: row.state,
        verifiedAt: row.verified_at,
        verifiedBy: row.verified_by,
        addedAt: row.added_at,
        previousKeys,
      };
    });
  }

  async save(records: readonly ContactRecord[], alongside?: () => void): Promise<void> {
    const insertContact = this.db.prepare(
      `INSERT INTO contacts (email, fingerprint, name, organisation, role, signing_key, encryption_key, card, state, verified_at, verified_by, added_at, row_mac)
       VALUES (@email, @fingerprint, @name, @organisation, @role, @signingKey, @encryptionKey, @card, @state, @verified_at, @verified_by, @added_at, @row_mac)`,
    );
    const insertHistory = this.db.prepare('INSERT INTO contact_key_history (contact_id, fingerprint, card, replaced_at, row_mac) VALUES (?, ?, ?, ?, ?)');
    try {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM contacts').run();
        for (const record of records) {
          const row = {
            email: record.card.profile.email,
            card: Buffer.from(record.card.bytes),
            state: record.state,
            verified_at: record.verifiedAt,
            verified_by: record.verifiedBy,
            added_at: record.addedAt,
          };
          const { lastInsertRowid } = insertContact.run({
            ...row,
            fingerprint: record.fingerprint,
            name: record.card.profile.name,
            organisation: record.card.profile.organisation,
            role: record.card.profile.role,
            signingKey: Buffer.from(record.card.signingKey),
            encryptionKey: Buffer.from(record.card.encryptionKey),
            row_mac: this.contactMac(row),
          });
          for (const previous of record.previousKeys) {
            const entry = { card: Buffer.from(previous.card.bytes), replaced_at: previous.replacedAt };
            insertHistory.run(lastInsertRowid, previous.fingerprint, entry.card, entry.replaced_at, this.historyMac(row.email, entry));
          }
        }
        alongside?.();
      })();
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
