/**
 * Every schema migration, in order. Add a file per new version (never edit
 * a released one); the database records the last applied in user_version.
 */
import { migration0001 } from './0001-initial-schema.js';
import { migration0002 } from './0002-audit-head-table.js';
import { migration0003 } from './0003-contact-set.js';
import { migration0004 } from './0004-delivery.js';
import { migration0005 } from './0005-receipt-routes.js';
import { migration0006 } from './0006-withdrawn.js';
import { migration0007 } from './0007-delivery-queue.js';
import { migration0008 } from './0008-mailbox.js';
import { migration0009 } from './0009-threads.js';
import { migration0010 } from './0010-passphrase-recipients.js';
import { migration0011 } from './0011-passphrase-receipt-keys.js';
import { migration0012 } from './0012-partner-organisations.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
];
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
