/**
 * The passphrase recipient of each history row that has one (migration
 * 0010): who a passphrase package was for, as the sender typed it, sealed
 * like the note (FieldCipher, bound to its row), and the id the audit log
 * names them by. The id is SHA-256("MEDSEAL-passphrase-recipient" || header
 * hash): one per package, the same on both sides, and it says nothing about
 * the person to whoever reads only the audit log or the SIEM; an export puts
 * the name beside it from here. The passphrase is never given to this store.
 */
import { sha256 } from '../crypto/primitives.js';
import type { PassphraseRecipient } from '../package/passphrase-recipient.js';
import type { Db } from './database.js';
import type { FieldCipher } from './field-cipher.js';
import { storeErrorFrom } from './errors.js';

/** The audit id of a package's passphrase recipient (a counterpart, 64 hex digits like a fingerprint). */
export function passphraseRecipientId(packageHash: string): string {
  return sha256(
    Buffer.concat([Buffer.from('MEDSEAL-passphrase-recipient', 'ascii'), Buffer.from(packageHash, 'hex')]),
  ).toString('hex');
}

export class PackagePassphraseRecipients {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  /**
   * Keeps who a newly recorded package's passphrase is for, and the key their receipt will be made
   * with (package/passphrase-stanza.ts; null when the package was opened, not sealed, here). Run
   * inside the recording transaction.
   */
  record(packageId: number, packageHash: string, recipient: PassphraseRecipient, receiptKey: Uint8Array | null): void {
    const details = JSON.stringify({ name: recipient.name, email: recipient.email, phone: recipient.phone });
    const row = String(packageId);
    this.db
      .prepare(
        'INSERT INTO package_passphrase_recipients (package_id, recipient_id, details_sealed, receipt_key_sealed) VALUES (?, ?, ?, ?)',
      )
      .run(
        packageId,
        passphraseRecipientId(packageHash),
        this.cipher.seal(details, 'package_passphrase_recipients', 'details', row),
        receiptKey &&
          this.cipher.seal(
            Buffer.from(receiptKey).toString('hex'),
            'package_passphrase_recipients',
            'receipt_key',
            row,
          ),
      );
  }

  /** The key a receipt for this package must be made with, or null (none kept: sealed before version 11). */
  receiptKeyOf(packageId: number): Buffer | null {
    try {
      const row = this.db
        .prepare('SELECT receipt_key_sealed FROM package_passphrase_recipients WHERE package_id = ?')
        .get(packageId) as { receipt_key_sealed: Buffer | null } | undefined;
      if (!row?.receipt_key_sealed) return null;
      return Buffer.from(
        this.cipher.open(row.receipt_key_sealed, 'package_passphrase_recipients', 'receipt_key', String(packageId)),
        'hex',
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** The passphrase recipients of these rows (all rows when `ids` is null), by row. */
  of(ids: readonly number[] | null): Map<number, PassphraseRecipient> {
    return new Map([...this.rows(ids)].map(([id, row]) => [id, row.recipient]));
  }

  /** Every passphrase recipient by audit id, for naming audit counterparts. */
  byAuditId(): Map<string, PassphraseRecipient> {
    return new Map([...this.rows(null).values()].map((row) => [row.recipientId, row.recipient]));
  }

  private rows(ids: readonly number[] | null): Map<number, { recipientId: string; recipient: PassphraseRecipient }> {
    const found = new Map<number, { recipientId: string; recipient: PassphraseRecipient }>();
    if (ids !== null && ids.length === 0) return found;
    try {
      const select = 'SELECT package_id, recipient_id, details_sealed FROM package_passphrase_recipients';
      const rows = (
        ids === null
          ? this.db.prepare(select).all()
          : this.db.prepare(`${select} WHERE package_id IN (${ids.map(() => '?').join(',')})`).all(...ids)
      ) as { package_id: number; recipient_id: string; details_sealed: Buffer }[];
      for (const row of rows) {
        const details = JSON.parse(
          this.cipher.open(row.details_sealed, 'package_passphrase_recipients', 'details', String(row.package_id)),
        ) as PassphraseRecipient;
        found.set(row.package_id, {
          recipientId: row.recipient_id,
          recipient: { name: details.name, email: details.email, phone: details.phone ?? null },
        });
      }
      return found;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
