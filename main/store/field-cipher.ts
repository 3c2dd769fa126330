/**
 * Encryption of sensitive columns (file names, notes, paths) in the one
 * secret box (crypto/secret-box.ts) under a key derived from the unlocked
 * identity's master key. The row's identity (table, column, key) is the
 * associated data, so a ciphertext cannot be moved to another row or column
 * unnoticed. 24-byte random nonces never need counting.
 *
 * Blob layout: 0x02 | 24-byte nonce | ciphertext | 16-byte tag.
 * (Many short values are decrypted at unlock; libsodium is ~3x faster per
 * call here than creating a node:crypto decipher for each.)
 */
import { sodium } from '../crypto/sodium.js';
import { openSecret, sealSecret, SECRET_BOX_NONCE_BYTES, SECRET_BOX_TAG_BYTES } from '../crypto/secret-box.js';
import { StoreTampered } from './errors.js';

const VERSION = 0x02;
const NONCE_BYTES = SECRET_BOX_NONCE_BYTES;
const TAG_BYTES = SECRET_BOX_TAG_BYTES;
const decoder = new TextDecoder('utf-8', { fatal: true });

export class FieldCipher {
  constructor(private readonly key: Uint8Array) {
    if (key.length !== 32) throw new Error('field key must be 32 bytes');
  }

  seal(plaintext: string, table: string, column: string, rowKey: string): Buffer {
    const box = sealSecret(this.key, Buffer.from(plaintext, 'utf8'), context(table, column, rowKey));
    return Buffer.concat([Buffer.from([VERSION]), box.nonce, box.ciphertext]);
  }

  open(blob: Uint8Array, table: string, column: string, rowKey: string): string {
    if (blob[0] !== VERSION || blob.length < 1 + NONCE_BYTES + TAG_BYTES) throw new StoreTampered(`${table}.${column}`);
    const box = { nonce: blob.subarray(1, 1 + NONCE_BYTES), ciphertext: blob.subarray(1 + NONCE_BYTES) };
    const plain = openSecret(this.key, box, context(table, column, rowKey));
    if (!plain) throw new StoreTampered(`${table}.${column}`);
    try {
      return decoder.decode(plain);
    } catch (error) {
      // Authentic but not UTF-8: only a writer with the key could make it, and it is not ours.
      if (error instanceof TypeError) throw new StoreTampered(`${table}.${column}`);
      throw error;
    }
  }

  wipe(): void {
    sodium().memzero(this.key);
  }
}

function context(table: string, column: string, rowKey: string): Uint8Array {
  return Buffer.from(`medseal-store/v1|${table}|${column}|${rowKey}`, 'utf8');
}
