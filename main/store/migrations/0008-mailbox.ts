/**
 * Schema version 8: the mailbox. The e-mail account a person added for
 * delivery by e-mail (address, servers, login), sealed as one value under the
 * profile's field key like an SFTP login key: the password or token is a
 * secret, and a server edited in the database file would send packages
 * and logins elsewhere; a changed row fails to open. One row at most.
 */
import type { Migration } from './migration.js';

export const migration0008: Migration = {
  version: 8,
  name: 'mailbox',
  sql: `
    CREATE TABLE mailbox (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      config_sealed BLOB NOT NULL,
      added_at      TEXT NOT NULL
    ) STRICT;
  `,
};
