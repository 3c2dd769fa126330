/**
 * Schema version 6: a recipient's copy can be withdrawn. A sender may take
 * a delivered package back from the exchanges before it was picked up
 * (services/delivery/withdraw.ts); `deliveries` gets the status
 * `withdrawn`. SQLite cannot change a CHECK constraint in place, so the
 * table is rebuilt with every row kept.
 */
import type { Migration } from './migration.js';

export const migration0006: Migration = {
  version: 6,
  name: 'withdrawn',
  sql: `
    CREATE TABLE deliveries_v6 (
      package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
      status      TEXT NOT NULL CHECK (status IN ('delivered', 'opened', 'refused', 'withdrawn')),
      detail      TEXT NOT NULL,                    -- the exchange's name, or a refusal code
      at          TEXT NOT NULL,
      PRIMARY KEY (package_id, fingerprint, status)
    ) STRICT;
    INSERT INTO deliveries_v6 (package_id, fingerprint, status, detail, at)
      SELECT package_id, fingerprint, status, detail, at FROM deliveries;
    DROP TABLE deliveries;
    ALTER TABLE deliveries_v6 RENAME TO deliveries;
  `,
};
