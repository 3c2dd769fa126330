/**
 * What was sent and received: one row per package, its files and recipients,
 * and what it answers and its subject (package-threads.ts).
 * File names, notes and subjects are encrypted (FieldCipher); counts, sizes,
 * times, hashes and fingerprints are not patient information and stay
 * queryable. Listing and search work on decrypted values in memory
 * (package-index.ts).
 */
import type { PackageFileEntry } from '../package/metadata.js';
import type { Db } from './database.js';
import type { FieldCipher } from './field-cipher.js';
import { storeErrorFrom } from './errors.js';
import { PackageThreads } from './package-threads.js';
import { PackagePassphraseRecipients } from './package-passphrase-recipients.js';
import type { PassphraseRecipient } from '../package/passphrase-recipient.js';

export type Direction = 'sent' | 'received';

export interface PackageRecordInput {
  readonly packageHash: string;
  readonly direction: Direction;
  readonly counterpart: string;
  readonly recipients: readonly string[];
  readonly files: readonly PackageFileEntry[];
  readonly note: string;
  readonly sealedAt: string;
  readonly recordedAt: string;
  /** The header hash of the package it answers, and its subject (docs/FORMAT.md §2.4); absent: none. */
  readonly replyTo?: string | null;
  readonly subject?: string | null;
  /** Who a passphrase stanza is for, as the sender typed it (docs/FORMAT.md §2.13); absent: none. */
  readonly passphraseRecipient?: PassphraseRecipient | null;
  /** For a sent passphrase package: the key its reader's receipt is made with (never the passphrase). */
  readonly passphraseReceiptKey?: Uint8Array | null;
}

export interface PackageSummary {
  readonly id: number;
  readonly packageHash: string;
  readonly direction: Direction;
  readonly counterpart: string;
  readonly recipients: readonly string[];
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly sealedAt: string;
  readonly recordedAt: string;
  readonly state: 'sealed' | 'opened';
  readonly files: readonly PackageFileEntry[];
  readonly replyTo: string | null;
  readonly subject: string | null;
  readonly passphraseRecipient: PassphraseRecipient | null;
}

const SUMMARY_COLUMNS =
  'id, package_hash, direction, counterpart, file_count, total_bytes, sealed_at, recorded_at, state';

interface PackageRow {
  id: number;
  package_hash: string;
  direction: Direction;
  counterpart: string;
  file_count: number;
  total_bytes: number;
  sealed_at: string;
  recorded_at: string;
  state: 'sealed' | 'opened';
}

export class PackageHistory {
  private readonly statements;
  /** What each package answers and its subject; how a person names a package. */
  readonly threads: PackageThreads;
  /** Whom each passphrase package was for (no passphrase is ever kept). */
  readonly passphraseRecipients: PackagePassphraseRecipients;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {
    this.threads = new PackageThreads(db, cipher);
    this.passphraseRecipients = new PackagePassphraseRecipients(db, cipher);
    this.statements = {
      find: db.prepare('SELECT id FROM packages WHERE package_hash = ? AND direction = ?'),
      touch: db.prepare('UPDATE packages SET recorded_at = ? WHERE id = ?'),
      nextId: db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM packages'),
      insert: db.prepare(
        `INSERT INTO packages (id, package_hash, direction, counterpart, file_count, total_bytes, sealed_at, recorded_at, state, note_sealed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFile: db.prepare('INSERT INTO package_files (package_id, position, name_sealed, size) VALUES (?, ?, ?, ?)'),
      insertRecipient: db.prepare('INSERT OR IGNORE INTO package_recipients (package_id, fingerprint) VALUES (?, ?)'),
    };
  }

  /** Records a package; opening the same package again only updates its time. Run inside a transaction. */
  record(input: PackageRecordInput): number {
    try {
      const existing = this.statements.find.get(input.packageHash, input.direction) as { id: number } | undefined;
      if (existing) {
        this.statements.touch.run(input.recordedAt, existing.id);
        return existing.id;
      }
      const id = (this.statements.nextId.get() as { id: number }).id;
      const totalBytes = input.files.reduce((sum, file) => sum + file.size, 0);
      this.statements.insert.run(
        id,
        input.packageHash,
        input.direction,
        input.counterpart,
        input.files.length,
        totalBytes,
        input.sealedAt,
        input.recordedAt,
        input.direction === 'sent' ? 'sealed' : 'opened',
        this.cipher.seal(input.note, 'packages', 'note', String(id)),
      );
      input.files.forEach((file, position) =>
        this.statements.insertFile.run(
          id,
          position,
          this.cipher.seal(file.name, 'package_files', 'name', `${id}:${position}`),
          file.size,
        ),
      );
      for (const fingerprint of input.recipients) this.statements.insertRecipient.run(id, fingerprint);
      this.threads.record(id, { replyTo: input.replyTo ?? null, subject: input.subject ?? null });
      if (input.passphraseRecipient)
        this.passphraseRecipients.record(
          id,
          input.packageHash,
          input.passphraseRecipient,
          input.passphraseReceiptKey ?? null,
        );
      return id;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Every package, newest first, with file names decrypted (for the in-memory search index). */
  list(): PackageSummary[] {
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM packages ORDER BY recorded_at DESC, id DESC`)
      .all() as PackageRow[];
    return this.summarise(
      rows,
      'SELECT package_id, position, name_sealed, size FROM package_files',
      'SELECT package_id, fingerprint FROM package_recipients',
      null,
    );
  }

  /** These packages (by history number), newest first; numbers that name none are left out. */
  byIds(ids: readonly number[]): PackageSummary[] {
    const wanted = [...new Set(ids)].filter((id) => Number.isSafeInteger(id));
    if (wanted.length === 0) return [];
    const list = wanted.join(','); // integers, checked above
    try {
      const rows = this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS} FROM packages WHERE id IN (${list}) ORDER BY recorded_at DESC, id DESC`)
        .all() as PackageRow[];
      return this.summarise(
        rows,
        `SELECT package_id, position, name_sealed, size FROM package_files WHERE package_id IN (${list})`,
        `SELECT package_id, fingerprint FROM package_recipients WHERE package_id IN (${list})`,
        wanted,
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Which of `fingerprints` this profile has ever sealed a package for. */
  sentTo(fingerprints: readonly string[]): Set<string> {
    if (fingerprints.length === 0) return new Set();
    try {
      const rows = this.db
        .prepare(
          `SELECT DISTINCT r.fingerprint FROM package_recipients r JOIN packages p ON p.id = r.package_id
           WHERE p.direction = 'sent' AND r.fingerprint IN (${fingerprints.map(() => '?').join(',')})`,
        )
        .all(...fingerprints) as { fingerprint: string }[];
      return new Set(rows.map((row) => row.fingerprint));
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** A package we sent, by its header hash (its recipients, for checking receipts); null when we sent none such. */
  findSent(packageHash: string): { id: number; recipients: string[] } | null {
    try {
      const row = this.statements.find.get(packageHash, 'sent') as { id: number } | undefined;
      if (!row) return null;
      const recipients = (
        this.db.prepare('SELECT fingerprint FROM package_recipients WHERE package_id = ?').all(row.id) as {
          fingerprint: string;
        }[]
      ).map((entry) => entry.fingerprint);
      return { id: row.id, recipients };
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** A package we sent, by its history id (`packages list`): its header hash and recipients; null when no sent package has it. */
  sentById(id: number): { packageHash: string; recipients: string[] } | null {
    try {
      const row = this.db.prepare("SELECT package_hash FROM packages WHERE id = ? AND direction = 'sent'").get(id) as
        { package_hash: string } | undefined;
      if (!row) return null;
      return { packageHash: row.package_hash, recipients: this.findSent(row.package_hash)!.recipients };
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** When this profile last opened the package with this header hash; null when it never did. */
  /** Who sent a package this profile opened (its fingerprint), or null when none was opened here. */
  senderOf(packageHash: string): string | null {
    try {
      const row = this.db
        .prepare("SELECT counterpart FROM packages WHERE package_hash = ? AND direction = 'received'")
        .get(packageHash) as { counterpart: string } | undefined;
      return row?.counterpart ?? null;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  openedAt(packageHash: string): string | null {
    try {
      const row = this.db
        .prepare("SELECT recorded_at FROM packages WHERE package_hash = ? AND direction = 'received'")
        .get(packageHash) as { recorded_at: string } | undefined;
      return row?.recorded_at ?? null;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** The newest packages only, straight from the database: instant whatever the history's size. */
  recent(limit: number): PackageSummary[] {
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM packages ORDER BY recorded_at DESC, id DESC LIMIT ?`)
      .all(limit) as PackageRow[];
    const ids = rows.map((row) => row.id).join(',') || 'NULL'; // integers from the database itself
    return this.summarise(
      rows,
      `SELECT package_id, position, name_sealed, size FROM package_files WHERE package_id IN (${ids})`,
      `SELECT package_id, fingerprint FROM package_recipients WHERE package_id IN (${ids})`,
      rows.map((row) => row.id),
    );
  }

  private summarise(
    rows: PackageRow[],
    filesSql: string,
    recipientsSql: string,
    ids: readonly number[] | null,
  ): PackageSummary[] {
    const threads = this.threads.of(ids);
    const passphraseRecipients = this.passphraseRecipients.of(ids);
    const files = new Map<number, PackageFileEntry[]>();
    for (const [packageId, position, nameSealed, size] of this.db.prepare(filesSql).raw(true).all() as [
      number,
      number,
      Buffer,
      number,
    ][]) {
      const name = this.cipher.open(nameSealed, 'package_files', 'name', `${packageId}:${position}`);
      let list = files.get(packageId);
      if (!list) files.set(packageId, (list = []));
      list[position] = { name, size };
    }
    const recipients = new Map<number, string[]>();
    for (const [packageId, fingerprint] of this.db.prepare(recipientsSql).raw(true).all() as [number, string][]) {
      let list = recipients.get(packageId);
      if (!list) recipients.set(packageId, (list = []));
      list.push(fingerprint);
    }
    return rows.map((row) => ({
      id: row.id,
      packageHash: row.package_hash,
      direction: row.direction,
      counterpart: row.counterpart,
      recipients: recipients.get(row.id) ?? [],
      fileCount: row.file_count,
      totalBytes: row.total_bytes,
      sealedAt: row.sealed_at,
      recordedAt: row.recorded_at,
      state: row.state,
      files: files.get(row.id) ?? [],
      replyTo: threads.get(row.id)?.replyTo ?? null,
      subject: threads.get(row.id)?.subject ?? null,
      passphraseRecipient: passphraseRecipients.get(row.id) ?? null,
    }));
  }

  note(id: number): string {
    const row = this.db.prepare('SELECT note_sealed FROM packages WHERE id = ?').get(id) as
      { note_sealed: Buffer } | undefined;
    return row ? this.cipher.open(row.note_sealed, 'packages', 'note', String(id)) : '';
  }
}
