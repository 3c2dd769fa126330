/**
 * Schema version 1. Columns ending in `_sealed` hold AEAD ciphertext
 * (store/field-cipher.ts): file names, notes and paths never appear in clear.
 * Contacts are partner clinicians (no patient data) and carry a row MAC so
 * their trust state cannot be edited outside the app.
 */
import type { Migration } from './migration.js';

export const migration0001: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE contacts (
      id             INTEGER PRIMARY KEY,
      email          TEXT NOT NULL UNIQUE,
      fingerprint    TEXT NOT NULL UNIQUE,
      name           TEXT NOT NULL,
      organisation   TEXT NOT NULL,
      role           TEXT NOT NULL,
      signing_key    BLOB NOT NULL,
      encryption_key BLOB NOT NULL,
      card           BLOB NOT NULL,
      state          TEXT NOT NULL CHECK (state IN ('unverified', 'verified', 'key-changed')),
      verified_at    TEXT,
      verified_by    TEXT CHECK (verified_by IS NULL OR verified_by = 'safety-number'),
      added_at       TEXT NOT NULL,
      row_mac        BLOB NOT NULL
    ) STRICT;

    CREATE TABLE contact_key_history (
      id          INTEGER PRIMARY KEY,
      contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL,
      card        BLOB NOT NULL,
      replaced_at TEXT NOT NULL,
      row_mac     BLOB NOT NULL
    ) STRICT;
    CREATE INDEX contact_key_history_by_contact ON contact_key_history (contact_id);

    CREATE TABLE packages (
      id           INTEGER PRIMARY KEY,
      package_hash TEXT NOT NULL,                    -- hex SHA-256 of the package header
      direction    TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
      counterpart  TEXT NOT NULL,                    -- sender fingerprint (received) or first recipient (sent)
      file_count   INTEGER NOT NULL CHECK (file_count >= 1),
      total_bytes  INTEGER NOT NULL CHECK (total_bytes >= 0),
      sealed_at    TEXT NOT NULL,                    -- the package's own creation time
      recorded_at  TEXT NOT NULL,                    -- when this profile sealed or last opened it
      state        TEXT NOT NULL CHECK (state IN ('sealed', 'opened')),
      note_sealed  BLOB NOT NULL,
      UNIQUE (package_hash, direction)
    ) STRICT;
    CREATE INDEX packages_by_time ON packages (recorded_at);

    CREATE TABLE package_files (
      package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
      position    INTEGER NOT NULL,
      name_sealed BLOB NOT NULL,
      size        INTEGER NOT NULL CHECK (size >= 0),
      PRIMARY KEY (package_id, position)
    ) STRICT;

    CREATE TABLE package_recipients (
      package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL,
      PRIMARY KEY (package_id, fingerprint)
    ) STRICT;

    CREATE TABLE audit_events (
      seq          INTEGER PRIMARY KEY,
      at           TEXT NOT NULL,
      actor        TEXT NOT NULL,
      action       TEXT NOT NULL,
      counterparts TEXT NOT NULL,                    -- JSON array of fingerprints
      file_count   INTEGER,
      total_bytes  INTEGER,
      detail       TEXT,                             -- a reason code, never names or contents
      prev_hash    BLOB NOT NULL,
      hash         BLOB NOT NULL,
      signature    BLOB NOT NULL
    ) STRICT;

    -- Events that happen while no key is available (a failed unlock) wait here
    -- until the next unlock signs them into the chain.
    CREATE TABLE audit_pending (
      id     INTEGER PRIMARY KEY,
      at     TEXT NOT NULL,
      action TEXT NOT NULL,
      detail TEXT
    ) STRICT;

    -- Temporary files beside a destination, so that a crash can be cleaned up at the next start.
    CREATE TABLE temp_files (
      token       TEXT PRIMARY KEY,                  -- random; binds the encrypted path to its row
      path_sealed BLOB NOT NULL,
      created_at  TEXT NOT NULL
    ) STRICT;
  `,
};
