/**
 * Schema version 11: receipts from partners without MedSeal (docs/FORMAT.md
 * §5.6). A passphrase reader's receipt is authenticated with a key that only
 * the package's passphrase gives; the sender keeps that key from sealing, per
 * package, sealed under the field key like the recipient's details
 * (`receipt_key_sealed`: its 32 bytes in hex). Packages sealed before this
 * version have none (NULL): a receipt for them cannot be checked and is
 * refused. The passphrase itself is still kept nowhere.
 */
import type { Migration } from './migration.js';

export const migration0011: Migration = {
  version: 11,
  name: 'passphrase-receipt-keys',
  sql: `
    ALTER TABLE package_passphrase_recipients ADD COLUMN receipt_key_sealed BLOB;
  `,
};
