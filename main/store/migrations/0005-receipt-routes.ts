/**
 * Schema version 5: receipt routes. The exchanges through which each
 * contact has answered with a verified receipt. A delivery to someone on an
 * exchange they never answered through is told as such: an inbox there may
 * have been made for the sender to find (docs/SECURITY.md, "Exchanges").
 */
import type { Migration } from './migration.js';

export const migration0005: Migration = {
  version: 5,
  name: 'receipt-routes',
  sql: `
    CREATE TABLE receipt_routes (
      exchange    TEXT NOT NULL CHECK (length(exchange) BETWEEN 1 AND 4096),
      fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
      first_at    TEXT NOT NULL,
      PRIMARY KEY (exchange, fingerprint)
    ) STRICT;
  `,
};
