/**
 * Schema version 10: passphrase packages (docs/FORMAT.md §2.13). A package
 * sealed for a partner without MedSeal names them by what the sender typed
 * (name, e-mail, phone); the history keeps it per row, sealed under the field
 * key like the note (`details_sealed`: JSON of the three). `recipient_id` is
 * the id the audit log names them by (64 hex digits derived from the header
 * hash, store/package-passphrase-recipients.ts), in clear so that an audit
 * export can put the name beside it. The passphrase itself is kept nowhere.
 */
import type { Migration } from './migration.js';

export const migration0010: Migration = {
  version: 10,
  name: 'passphrase-recipients',
  sql: `
    CREATE TABLE package_passphrase_recipients (
      package_id     INTEGER PRIMARY KEY REFERENCES packages (id) ON DELETE CASCADE,
      recipient_id   TEXT NOT NULL CHECK (length(recipient_id) = 64 AND recipient_id NOT GLOB '*[^0-9a-f]*'),
      details_sealed BLOB NOT NULL
    ) STRICT;
    CREATE INDEX package_passphrase_recipients_by_id ON package_passphrase_recipients (recipient_id);
  `,
};
