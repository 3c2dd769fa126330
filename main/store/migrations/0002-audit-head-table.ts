/**
 * Schema version 2. The signed audit head (last sequence number, its hash
 * and the identity's signature over both) leaves the free-form settings
 * table for a table of its own with typed columns and exactly one row.
 * An existing head is moved; one that is not well-formed is dropped, which
 * verification then reports as "head-missing" (as it reported a malformed
 * head before), never as a valid head.
 */
import type { Migration } from './migration.js';

export const migration0002: Migration = {
  version: 2,
  name: 'audit head table',
  sql: `
    CREATE TABLE audit_head (
      id        INTEGER PRIMARY KEY CHECK (id = 1),
      seq       INTEGER NOT NULL CHECK (seq >= 1),
      hash      BLOB NOT NULL CHECK (length(hash) = 32),
      signature BLOB NOT NULL CHECK (length(signature) = 64)
    ) STRICT;

    INSERT INTO audit_head (id, seq, hash, signature)
      SELECT 1, json_extract(value, '$.seq'), unhex(json_extract(value, '$.hash')), unhex(json_extract(value, '$.signature'))
      FROM settings
      WHERE key = 'audit.head'
        AND json_valid(value)
        AND json_type(value, '$.seq') = 'integer' AND json_extract(value, '$.seq') >= 1
        AND json_type(value, '$.hash') = 'text' AND length(unhex(json_extract(value, '$.hash'))) = 32
        AND json_type(value, '$.signature') = 'text' AND length(unhex(json_extract(value, '$.signature'))) = 64;

    DELETE FROM settings WHERE key = 'audit.head';
  `,
};
