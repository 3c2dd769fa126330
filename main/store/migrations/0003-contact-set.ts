/**
 * Schema version 3. The contact list as a whole gets a MAC (key from the
 * unlocked identity) over every row's own MAC and the sequence number of
 * the audit entry that recorded the last change, so that deleting,
 * re-inserting or rolling back rows is detected, not only editing one.
 * Every profile gets its set MAC once, at its first unlock on this version,
 * with a signed audit event (store/unlocked-profile.ts, ensureContactSet).
 */
import type { Migration } from './migration.js';

export const migration0003: Migration = {
  version: 3,
  name: 'contact set MAC',
  sql: `
    CREATE TABLE contact_set (
      id        INTEGER PRIMARY KEY CHECK (id = 1),
      audit_seq INTEGER NOT NULL CHECK (audit_seq >= 0),
      mac       BLOB NOT NULL CHECK (length(mac) = 32)
    ) STRICT;
  `,
};
