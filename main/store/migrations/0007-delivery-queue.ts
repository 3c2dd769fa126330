/**
 * Schema version 7: the delivery queue. A sent package that an exchange
 * could not take because it was down (unreachable, timed out, full) waits
 * here per recipient and exchange, with how often it was tried and when it
 * is tried next (services/delivery/delivery-queue.ts). The sealed file
 * itself waits in the profile's private `delivery-queue/` folder, named by
 * its header hash; nothing here names a file or a patient.
 */
import type { Migration } from './migration.js';

export const migration0007: Migration = {
  version: 7,
  name: 'delivery-queue',
  sql: `
    CREATE TABLE delivery_queue (
      package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
      exchange    TEXT NOT NULL CHECK (length(exchange) BETWEEN 1 AND 4096),
      attempts    INTEGER NOT NULL CHECK (attempts >= 1),
      queued_at   TEXT NOT NULL,
      next_try_at TEXT NOT NULL,
      last_error  TEXT NOT NULL,                    -- the error code of the last attempt
      PRIMARY KEY (package_id, fingerprint, exchange)
    ) STRICT;
  `,
};
