/**
 * The bulk work on one payload chunk (docs/FORMAT.md, "Payload"): SHA-256 of
 * the data and AES-256-GCM over data ‖ signature. The same code runs on the
 * calling thread and inside chunk workers (chunk-worker.ts); node:crypto
 * comes in as an argument so that a test can drive it with another.
 *
 * The data goes through in cache-sized slices, each read from memory once for
 * both the hash and the cipher, and the output stays in those slices (no
 * concatenation copies): callers write the parts one after another.
 */
import type * as NodeCrypto from 'node:crypto';

export interface SealingChunk {
  /** SHA-256 of the chunk data, which the sender signs. */
  readonly dataHash: Buffer;
  /** Encrypts the signature and returns the sealed chunk as parts, each a buffer of its own. */
  finish(signature: Uint8Array): Buffer[];
}

export interface OpenedChunkData {
  /** The plaintext as parts, each a buffer of its own. */
  readonly parts: Buffer[];
  readonly signature: Buffer;
  readonly dataHash: Buffer;
}

export interface ChunkCryptoCore {
  seal(key: Uint8Array, nonce: Uint8Array, data: Uint8Array): SealingChunk;
  /** null when the GCM tag does not verify or the chunk is too short to hold a signature and tag. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): OpenedChunkData | null;
}

export function chunkCryptoCore(crypto: typeof NodeCrypto): ChunkCryptoCore {
  const SLICE = 128 * 1024;
  const TAG = 16;
  const SIGNATURE = 64;
  // A buffer that owns its whole ArrayBuffer can be transferred between threads; Node's small
  // results may be views into a shared pool, so those are copied into one of their own.
  const own = (bytes: Buffer): Buffer => {
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
    const copy = Buffer.allocUnsafeSlow(bytes.length);
    bytes.copy(copy);
    return copy;
  };
  const slices = function* (data: Uint8Array): Generator<Uint8Array> {
    for (let offset = 0; offset < data.length; offset += SLICE)
      yield data.subarray(offset, Math.min(data.length, offset + SLICE));
  };

  return {
    seal(key, nonce, data) {
      const hash = crypto.createHash('sha256');
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
      const parts: Buffer[] = [];
      for (const slice of slices(data)) {
        hash.update(slice);
        parts.push(own(cipher.update(slice)));
      }
      return {
        dataHash: hash.digest(),
        finish(signature) {
          const encryptedSignature = cipher.update(signature);
          cipher.final();
          parts.push(own(Buffer.concat([encryptedSignature, cipher.getAuthTag()])));
          return parts;
        },
      };
    },

    open(key, nonce, sealed) {
      if (sealed.length < SIGNATURE + TAG) return null;
      const split = sealed.length - TAG;
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
      decipher.setAuthTag(sealed.subarray(split));
      const hash = crypto.createHash('sha256');
      const parts: Buffer[] = [];
      for (const slice of slices(sealed.subarray(0, split - SIGNATURE))) {
        const plain = own(decipher.update(slice));
        hash.update(plain);
        parts.push(plain);
      }
      const signature = decipher.update(sealed.subarray(split - SIGNATURE, split));
      try {
        decipher.final();
      } catch {
        // The tag does not verify: Node throws one generic Error (no code) for it; null is that answer.
        for (const part of parts) part.fill(0);
        return null;
      }
      return { parts, signature, dataHash: hash.digest() };
    },
  };
}
