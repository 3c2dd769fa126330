/**
 * The contact list in SQLite. Contacts are partner clinicians, not patients,
 * so they are stored in clear; each row carries an HMAC (key from the
 * unlocked identity) over the card and the trust state, so that marking an
 * impostor "verified" by editing the database is detected and refused.
 *
 * The list as a whole carries one more HMAC (table contact_set) over every
 * row MAC and the sequence number of the audit entry of the last change,
 * written in the same transaction: a deleted, re-inserted or rolled-back
 * row no longer matches it, and rolling the set back to an older, valid
 * state no longer matches the audit log, whose newest contact event is
 * later. Either is refused (STORE_TAMPERED).
 * A change writes only the rows that differ (issue 27), then the set MAC.
 */
import type { AuditAction } from '../audit/audit-entry.js';
import type { ContactStorage } from '../contacts/contact-book.js';
import { CONTACT_EVENTS } from '../contacts/contact-events.js';
import type { ContactRecord, PreviousKey } from '../contacts/contact-record.js';
import { hmacSha256, constantTimeEqual } from '../crypto/primitives.js';
import { decodeCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { Db } from './database.js';
import { StoreTampered, storeErrorFrom } from './errors.js';
import { assertAuditHeadIntact } from './audit-log.js';

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

/** Every column of a contact's row but its id: what `save` compares and writes. */
type ContactColumns = Omit<ContactRow, 'id'> & {
  fingerprint: string;
  name: string;
  organisation: string;
  role: string;
  signing_key: Buffer;
  encryption_key: Buffer;
};

/** Every column of a key history entry but its id and contact. */
type HistoryColumns = Omit<HistoryRow, 'contact_id'> & { fingerprint: string };

/**
 * The audit events that change the contact list, and the set MAC's own events; the set MAC names
 * the newest of them. Every contact event is here by construction (contacts/contact-events.ts).
 */
export const CONTACT_SET_ACTIONS: readonly AuditAction[] = Object.freeze([
  ...CONTACT_EVENTS,
  'store.contact-set-created',
  'store.contact-set-upgraded',
]);

/**
 * Set MACs written before the list was derived (issue 26, item 6) are labelled 'contact-set' and
 * bound to the newest of these events only. Such a set is accepted once, by `upgradeLegacySet`
 * under a signed audit event; from then on only the current label is.
 */
const LEGACY_SET_ACTIONS: readonly AuditAction[] = [
  'contact.imported',
  'contact.verified',
  'contact.key-changed',
  'contact.removed',
  'store.contact-set-created',
];
const SET_LABEL = 'contact-set-v2';
const LEGACY_SET_LABEL = 'contact-set';

export class SqliteContactStorage implements ContactStorage {
  constructor(
    private readonly db: Db,
    private readonly macKey: Uint8Array,
    /** The identity's public signing key: the audit head the set is bound to must verify under it. */
    private readonly signingKey: Uint8Array,
  ) {}

  /** HMAC over the audit entry of the last change (sequence number and hash) and every row MAC, in row order. */
  private setMac(auditSeq: number, label = SET_LABEL): Buffer {
    const entry = this.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').get(auditSeq) as
      { hash: Buffer } | undefined;
    const rowMacs = (this.db.prepare('SELECT row_mac FROM contacts ORDER BY id').raw(true).all() as [Buffer][]).map(
      ([mac]) => mac.toString('hex'),
    );
    const historyMacs = (
      this.db.prepare('SELECT row_mac FROM contact_key_history ORDER BY id').raw(true).all() as [Buffer][]
    ).map(([mac]) => mac.toString('hex'));
    return hmacSha256(
      this.macKey,
      Buffer.from(JSON.stringify([label, auditSeq, entry?.hash.toString('hex') ?? null, rowMacs, historyMacs]), 'utf8'),
    );
  }

  private lastContactEvent(actions = CONTACT_SET_ACTIONS): number {
    const among = `action IN (${actions.map(() => '?').join(', ')})`;
    return (
      this.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_events WHERE ${among}`).get(...actions) as {
        seq: number;
      }
    ).seq;
  }

  /** Writes the set MAC for the rows as they are now; run in the transaction of the change and its audit entry. */
  writeSetMac(): void {
    const auditSeq = this.lastContactEvent();
    this.db
      .prepare(
        'INSERT INTO contact_set (id, audit_seq, mac) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET audit_seq = excluded.audit_seq, mac = excluded.mac',
      )
      .run(auditSeq, this.setMac(auditSeq));
  }

  /** Whether the stored set MAC is a valid one of the earlier kind (UnlockedProfile.ensureContactSet upgrades it once). */
  hasLegacySetMac(): boolean {
    assertAuditHeadIntact(this.db, this.signingKey);
    const stored = this.storedSet();
    return (
      stored !== undefined &&
      stored.audit_seq === this.lastContactEvent(LEGACY_SET_ACTIONS) &&
      constantTimeEqual(this.setMac(stored.audit_seq, LEGACY_SET_LABEL), stored.mac)
    );
  }

  private storedSet(): { audit_seq: number; mac: Buffer } | undefined {
    return this.db.prepare('SELECT audit_seq, mac FROM contact_set WHERE id = 1').get() as
      { audit_seq: number; mac: Buffer } | undefined;
  }

  hasSetMac(): boolean {
    return this.db.prepare('SELECT 1 FROM contact_set WHERE id = 1').get() !== undefined;
  }

  private contactMac(row: Omit<ContactRow, 'id' | 'row_mac'>): Buffer {
    const fields = [row.email, row.card.toString('hex'), row.state, row.verified_at, row.verified_by, row.added_at];
    return hmacSha256(this.macKey, Buffer.from(JSON.stringify(['contact', ...fields]), 'utf8'));
  }

  private historyMac(email: string, row: Omit<HistoryRow, 'contact_id' | 'row_mac'>): Buffer {
    return hmacSha256(
      this.macKey,
      Buffer.from(JSON.stringify(['history', email, row.card.toString('hex'), row.replaced_at]), 'utf8'),
    );
  }

  /** Throws StoreTampered unless the rows are exactly the set last written, as of the audit log's last contact event. */
  private checkSet(): void {
    assertAuditHeadIntact(this.db, this.signingKey);
    const stored = this.storedSet();
    if (
      !stored ||
      stored.audit_seq !== this.lastContactEvent() ||
      !constantTimeEqual(this.setMac(stored.audit_seq), stored.mac)
    )
      throw new StoreTampered('the contact list');
  }

  async load(): Promise<ContactRecord[]> {
    this.checkSet();
    const contacts = this.db.prepare('SELECT * FROM contacts ORDER BY id').all() as ContactRow[];
    const history = this.db
      .prepare('SELECT contact_id, card, replaced_at, row_mac FROM contact_key_history ORDER BY id')
      .all() as HistoryRow[];
    return contacts.map((row) => {
      if (!constantTimeEqual(this.contactMac(row), row.row_mac)) throw new StoreTampered('a contact');
      const card = decodeCard(row.card);
      if (card.profile.email !== row.email) throw new StoreTampered('a contact');
      const previousKeys: PreviousKey[] = history
        .filter((entry) => entry.contact_id === row.id)
        .map((entry) => {
          if (!constantTimeEqual(this.historyMac(row.email, entry), entry.row_mac))
            throw new StoreTampered('a contact key history');
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

  /**
   * Makes the stored list exactly `records`, in the transaction of the change's audit entry and the
   * set MAC. Only what differs is written (a contact is its row by e-mail address, which a change
   * never alters): a row is kept only when every column equals what would be written, so a row
   * altered since the list was loaded is written again from `records`, never blessed by the new set
   * MAC. Rows kept keep their place; a new contact comes last, as the book lists it.
   */
  async save(records: readonly ContactRecord[], alongside?: () => void): Promise<void> {
    try {
      this.db.transaction(() => {
        const stored = new Map(
          (this.db.prepare('SELECT * FROM contacts ORDER BY id').all() as (ContactColumns & { id: number })[]).map(
            (row) => [row.email, row],
          ),
        );
        const kept = new Set(records.map((record) => record.card.profile.email));
        const remove = this.db.prepare('DELETE FROM contacts WHERE id = ?'); // its key history goes with it (ON DELETE CASCADE)
        for (const row of stored.values()) if (!kept.has(row.email)) remove.run(row.id);
        for (const record of records) {
          const row = this.rowOf(record);
          const id = this.putContact(stored.get(row.email), row);
          this.putHistory(id, row.email, record.previousKeys);
        }
        // History of no contact can only be planted (with foreign keys off): none is part of the list.
        this.db.prepare('DELETE FROM contact_key_history WHERE contact_id NOT IN (SELECT id FROM contacts)').run();
        alongside?.();
        this.writeSetMac();
      })();
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Every column of a contact's row but its id, as `save` writes it. */
  private rowOf(record: ContactRecord): ContactColumns {
    const macked = {
      email: record.card.profile.email,
      card: Buffer.from(record.card.bytes),
      state: record.state,
      verified_at: record.verifiedAt,
      verified_by: record.verifiedBy,
      added_at: record.addedAt,
    };
    return {
      ...macked,
      fingerprint: record.fingerprint,
      name: record.card.profile.name,
      organisation: record.card.profile.organisation,
      role: record.card.profile.role,
      signing_key: Buffer.from(record.card.signingKey),
      encryption_key: Buffer.from(record.card.encryptionKey),
      row_mac: this.contactMac(macked),
    };
  }

  /** Inserts the row, or updates the stored one unless every column is already equal; returns its id. */
  private putContact(stored: (ContactColumns & { id: number }) | undefined, row: ContactColumns): number {
    const columns = Object.keys(row);
    if (stored === undefined) {
      const values = columns.map((name) => `@${name}`).join(', ');
      const insert = this.db.prepare(`INSERT INTO contacts (${columns.join(', ')}) VALUES (${values})`);
      return Number(insert.run(row).lastInsertRowid);
    }
    const assignments = columns.map((name) => `${name} = @${name}`).join(', ');
    if (!sameColumns<ContactColumns>(stored, row))
      this.db.prepare(`UPDATE contacts SET ${assignments} WHERE id = @id`).run({ ...row, id: stored.id });
    return stored.id;
  }

  /**
   * Makes a contact's key history `previousKeys`, in order: the stored entries that already match
   * from the start are kept, the rest of the stored ones removed and the rest of the wanted ones added.
   */
  private putHistory(contactId: number, email: string, previousKeys: readonly PreviousKey[]): void {
    const stored = this.db
      .prepare(
        'SELECT id, fingerprint, card, replaced_at, row_mac FROM contact_key_history WHERE contact_id = ? ORDER BY id',
      )
      .all(contactId) as (HistoryColumns & { id: number })[];
    const wanted = previousKeys.map((previous): HistoryColumns => {
      const entry = { card: Buffer.from(previous.card.bytes), replaced_at: previous.replacedAt };
      return { fingerprint: previous.fingerprint, ...entry, row_mac: this.historyMac(email, entry) };
    });
    let same = 0;
    while (same < stored.length && same < wanted.length && sameColumns<HistoryColumns>(stored[same]!, wanted[same]!))
      same++;
    const remove = this.db.prepare('DELETE FROM contact_key_history WHERE id = ?');
    for (const entry of stored.slice(same)) remove.run(entry.id);
    const insert = this.db.prepare(
      'INSERT INTO contact_key_history (contact_id, fingerprint, card, replaced_at, row_mac) VALUES (?, ?, ?, ?, ?)',
    );
    for (const entry of wanted.slice(same))
      insert.run(contactId, entry.fingerprint, entry.card, entry.replaced_at, entry.row_mac);
  }
}

/** Every column of `wanted` holds the same value in `stored` (byte for byte for blobs). */
function sameColumns<T extends object>(stored: T, wanted: T): boolean {
  return (Object.keys(wanted) as (keyof T)[]).every((column) => {
    const [have, want] = [stored[column], wanted[column]];
    return Buffer.isBuffer(want) ? Buffer.isBuffer(have) && want.equals(have) : have === want;
  });
}
