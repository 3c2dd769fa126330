/**
 * Schema version 12: partner organisations (docs/FORMAT.md §11). Each
 * partner whose directory vouches for its clinicians: `key_id` is SHA-256
 * of its directory key (the id the audit log names it by); `config_sealed`
 * holds the name IT gave it, the key and where its directory is fetched
 * from, sealed under the field key like an SFTP exchange (an edited row
 * would redirect or re-key it, and fails to open); `state_sealed` the head
 * last accepted (sequence, hash, issue time, validUntil), when it was
 * fetched, and a refusal (rollback, fork) not yet resolved, sealed too, so
 * that an edited database cannot roll it back; `directory` the last
 * accepted file itself, public and checked again with the key whenever read.
 */
import type { Migration } from './migration.js';

export const migration0012: Migration = {
  version: 12,
  name: 'partner-organisations',
  sql: `
    CREATE TABLE partner_organisations (
      key_id        TEXT PRIMARY KEY CHECK (length(key_id) = 64 AND key_id NOT GLOB '*[^0-9a-f]*'),
      config_sealed BLOB NOT NULL,
      state_sealed  BLOB,
      directory     BLOB,
      added_at      TEXT NOT NULL
    ) STRICT;
  `,
};
