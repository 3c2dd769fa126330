/**
 * Schema version 4: delivery. SFTP exchanges the person added (address,
 * pinned host key and login key, sealed together under the profile's field
 * key so none of them can be swapped or read from the database file), and
 * what became of each package per recipient: delivered (through which
 * exchange), then opened or refused as a signed receipt says.
 */
import type { Migration } from './migration.js';

export const migration0004: Migration = {
  version: 4,
  name: 'delivery',
  sql: `
    CREATE TABLE sftp_exchanges (
      name          TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
      config_sealed BLOB NOT NULL,
      added_at      TEXT NOT NULL
    ) STRICT;

    CREATE TABLE deliveries (
      package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
      status      TEXT NOT NULL CHECK (status IN ('delivered', 'opened', 'refused')),
      detail      TEXT NOT NULL,                    -- the exchange's name, or a refusal code
      at          TEXT NOT NULL,
      PRIMARY KEY (package_id, fingerprint, status)
    ) STRICT;
  `,
};
