/**
 * Encryption of sensitive columns (file names, notes, paths) with AES-256-GCM
 * under a key derived from the unlocked identity's master key. The row's
 * identity (table, column, key) is the associated data, so a ciphertext
 * cannot be moved to another row or column unnoticed.
 *
 * Blob layout: 0x01 | 12-byte random nonce | ciphertext | 16-byte tag.
 * Random 96-bit nonces are safe far beyond any profile's size (NIST's limit
 * is 2^32 encryptions under one key).
 */
import { randomBytes } from 'node:crypto';
import { aesGcmOpen, aesGcmSeal, GCM_NONCE_BYTES } from '../crypto/primitives.js';
import { StoreTampered } from './errors.js';

const VERSION = 0x01;

export class FieldCipher {
  constructor(private readonly key: Uint8Array) {
    if (key.length !== 32) throw new Error('field key must be 32 bytes');
  }

  seal(plaintext: string, table: string, column: string, rowKey: string): Buffer {
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const body = aesGcmSeal(this.key, nonce, Buffer.from(plaintext, 'utf8'), this.context(table, column, rowKey));
    return Buffer.concat([Buffer.from([VERSION]), nonce, body]);
  }

  open(blob: Uint8Array, table: string, column: string, rowKey: string): string {
    const data = Buffer.from(blob);
    if (data[0] !== VERSION || data.length < 1 + GCM_NONCE_BYTES + 16) throw new StoreTampered(`${table}.${column}`);
    const plain = aesGcmOpen(this.key, data.subarray(1, 1 + GCM_NONCE_BYTES), data.subarray(1 + GCM_NONCE_BYTES), this.context(table, column, rowKey));
    if (!plain) throw new StoreTampered(`${table}.${column}`);
    return plain.toString('utf8');
  }

  wipe(): void {
    this.key.fill(0);
  }

  private context(table: string, column: string, rowKey: string): Buffer {
    return Buffer.from(`medseal-store/v1|${table}|${column}|${rowKey}`, 'utf8');
  }
}
