/**
 * Encryption of sensitive columns (file names, notes, paths) with
 * XChaCha20-Poly1305 (libsodium) under a key derived from the unlocked
 * identity's master key. The row's identity (table, column, key) is the
 * associated data, so a ciphertext cannot be moved to another row or column
 * unnoticed. 24-byte random nonces never need counting.
 *
 * Blob layout: 0x02 | 24-byte nonce | ciphertext | 16-byte tag.
 * (Many short values are decrypted at unlock; libsodium is ~3x faster per
 * call here than creating a node:crypto decipher for each.)
 */
import { randomBytes } from 'node:crypto';
import { sodium } from '../crypto/sodium.js';
import { StoreTampered } from './errors.js';

const VERSION = 0x02;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const decoder = new TextDecoder('utf-8', { fatal: true });

export class FieldCipher {
  constructor(private readonly key: Uint8Array) {
    if (key.length !== 32) throw new Error('field key must be 32 bytes');
  }

  seal(plaintext: string, table: string, column: string, rowKey: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES); // node's pooled CSPRNG: much faster per call than libsodium.js's
    const body = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(
      Buffer.from(plaintext, 'utf8'),
      context(table, column, rowKey),
      null,
      nonce,
      this.key,
    );
    return Buffer.concat([Buffer.from([VERSION]), nonce, body]);
  }

  open(blob: Uint8Array, table: string, column: string, rowKey: string): string {
    if (blob[0] !== VERSION || blob.length < 1 + NONCE_BYTES + TAG_BYTES) throw new StoreTampered(`${table}.${column}`);
    try {
      const plain = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        blob.subarray(1 + NONCE_BYTES),
        context(table, column, rowKey),
        blob.subarray(1, 1 + NONCE_BYTES),
        this.key,
      );
      return decoder.decode(plain);
    } catch {
      throw new StoreTampered(`${table}.${column}`);
    }
  }

  wipe(): void {
    sodium().memzero(this.key);
  }
}

function context(table: string, column: string, rowKey: string): string {
  return `medseal-store/v1|${table}|${column}|${rowKey}`;
}
