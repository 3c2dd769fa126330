/**
 * The partner organisations of a profile and what is known of their
 * directories (migration 0012): the partner (name, key, source) and the
 * state (head accepted last, fetch time, an unresolved refusal) sealed under
 * the field key, so that an edited database can neither redirect a partner
 * nor roll its head back; the last accepted directory file beside them,
 * public, and verified again with the sealed key whenever it is used.
 */
import type { SignedHead } from '../directory/directory-log.js';
import type { PartnerOrganisation } from '../directory/partner.js';
import { partnerIdOf } from '../directory/partner.js';
import type { Db } from './database.js';
import { storeErrorFrom } from './errors.js';
import type { FieldCipher } from './field-cipher.js';

/** Where a partner's directory stands. */
export interface PartnerState {
  /** The head accepted last, with its validity; null before the first accepted fetch. */
  readonly head: {
    readonly seq: number;
    readonly hash: string;
    readonly issuedAt: string;
    readonly validUntil: string;
  } | null;
  /** When a fetch last succeeded (the file read and checked), or null. */
  readonly fetchedAt: string | null;
  /** The last fetch's failure (an error code), cleared by a good one; null when none. */
  readonly lastProblem: string | null;
  /** A refusal that stops the partner vouching until IT resolves it (DIRECTORY_FORKED…), with both heads. */
  readonly alarm: string | null;
  /** Heads seen in packages or receipts beyond the directory held (gossip), checked at the next refresh. */
  readonly pending?: readonly SignedHead[];
}

export interface StoredPartner {
  readonly id: string;
  readonly partner: PartnerOrganisation;
  readonly state: PartnerState;
  /** The last accepted directory file, or null. */
  readonly directory: Buffer | null;
  readonly addedAt: string;
}

const NO_STATE: PartnerState = { head: null, fetchedAt: null, lastProblem: null, alarm: null };

export class PartnerOrganisations {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  list(): StoredPartner[] {
    return this.rows('');
  }

  /** One partner's row (read alone: gossip and a refresh look at one partner, not every directory). */
  find(id: string): StoredPartner | null {
    return this.rows(' WHERE key_id = ?', id)[0] ?? null;
  }

  private rows(where: string, ...params: string[]): StoredPartner[] {
    try {
      const rows = this.db
        .prepare(`SELECT key_id, config_sealed, state_sealed, directory, added_at FROM partner_organisations${where}`)
        .all(...params) as {
        key_id: string;
        config_sealed: Buffer;
        state_sealed: Buffer | null;
        directory: Buffer | null;
        added_at: string;
      }[];
      return rows.map((row) => ({
        id: row.key_id,
        partner: JSON.parse(
          this.cipher.open(row.config_sealed, 'partner_organisations', 'config', row.key_id),
        ) as PartnerOrganisation,
        state:
          row.state_sealed === null
            ? NO_STATE
            : (JSON.parse(
                this.cipher.open(row.state_sealed, 'partner_organisations', 'state', row.key_id),
              ) as PartnerState),
        directory: row.directory,
        addedAt: row.added_at,
      }));
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Adds one (or, for a partner the policy manages, makes its row); false when that key is there already. */
  add(partner: PartnerOrganisation, now = new Date()): boolean {
    const id = partnerIdOf(partner.key);
    const config = JSON.stringify({ name: partner.name, key: partner.key, source: partner.source });
    try {
      return (
        this.db
          .prepare('INSERT OR IGNORE INTO partner_organisations (key_id, config_sealed, added_at) VALUES (?, ?, ?)')
          .run(id, this.cipher.seal(config, 'partner_organisations', 'config', id), now.toISOString()).changes === 1
      );
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Keeps the state after a fetch, and the directory file when one was accepted. */
  update(id: string, state: PartnerState, directory?: Buffer): void {
    const sealed = this.cipher.seal(JSON.stringify(state), 'partner_organisations', 'state', id);
    try {
      if (directory)
        this.db
          .prepare('UPDATE partner_organisations SET state_sealed = ?, directory = ? WHERE key_id = ?')
          .run(sealed, directory, id);
      else this.db.prepare('UPDATE partner_organisations SET state_sealed = ? WHERE key_id = ?').run(sealed, id);
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /** Removes one; false when there was none. */
  remove(id: string): boolean {
    try {
      return this.db.prepare('DELETE FROM partner_organisations WHERE key_id = ?').run(id).changes === 1;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
