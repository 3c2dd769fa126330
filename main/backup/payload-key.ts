/**
 * How a backup's payload key is bound to its identity: wrapped under a key
 * derived from the identity's master key (libsodium crypto_kdf, subkey 3,
 * context "msbackup"), with the fingerprint and time as associated data.
 */
export const BACKUP_KEY_ID = 3;
export const BACKUP_KEY_CONTEXT = 'msbackup';

export function payloadKeyAad(fingerprint: string, createdAt: string): Uint8Array {
  return Buffer.from(`medseal-backup/v1/payload-key|${fingerprint}|${createdAt}`, 'utf8');
}
