/**
 * Schema version 9: referral threads. A package may name the package it
 * answers (its header hash) and carry a subject (docs/FORMAT.md §2.4); both
 * are kept per history row, for sent packages at sealing and for received
 * ones from the verified metadata. The subject is patient information like
 * the note, so it is sealed under the field key (`subject_sealed`); the
 * answered package's hash is not, so that a thread is found by an index.
 * A row exists only for a package that has either. (Version 8 is another
 * change's; the database records the last version applied.)
 */
import type { Migration } from './migration.js';

export const migration0009: Migration = {
  version: 9,
  name: 'threads',
  sql: `
    CREATE TABLE package_threads (
      package_id     INTEGER PRIMARY KEY REFERENCES packages (id) ON DELETE CASCADE,
      reply_to       TEXT CHECK (reply_to IS NULL OR (length(reply_to) = 64 AND reply_to NOT GLOB '*[^0-9a-f]*')),
      subject_sealed BLOB,
      CHECK (reply_to IS NOT NULL OR subject_sealed IS NOT NULL)
    ) STRICT;
    CREATE INDEX package_threads_by_reply_to ON package_threads (reply_to);
  `,
};
