/**
 * One payload chunk (docs/FORMAT.md, "Payload"): the data and the sender's
 * Ed25519 signature over it, encrypted together with AES-256-GCM under the
 * payload key and a STREAM nonce. The signature binds the header hash, the
 * chunk's position and the last-chunk flag, so a recipient — who knows the
 * payload key — still cannot forge, reorder or truncate another recipient's
 * copy. Each chunk stands alone: any chunk can be opened independently.
 */
import { aesGcmOpen, aesGcmSeal, ed25519Sign, ed25519Verify, sha256, SIGNATURE_BYTES } from '../crypto/primitives.js';
import { LABEL } from './format.js';
import { chunkNonce } from './key-schedule.js';
import { PackageTampered, SignatureInvalid } from './errors.js';

const CHUNK_CONTEXT = Buffer.from(LABEL.chunkSignature, 'ascii');

export function chunkSignatureMessage(headerHash: Uint8Array, index: number, isFinal: boolean, data: Uint8Array): Buffer {
  const position = Buffer.alloc(9);
  position.writeBigUInt64BE(BigInt(index), 0);
  position[8] = isFinal ? 1 : 0;
  return Buffer.concat([CHUNK_CONTEXT, headerHash, position, sha256(data)]);
}

export function sealChunk(
  payloadKey: Uint8Array,
  headerHash: Uint8Array,
  signingSecretKey: Uint8Array,
  index: number,
  isFinal: boolean,
  data: Uint8Array,
): Buffer {
  const signature = ed25519Sign(signingSecretKey, chunkSignatureMessage(headerHash, index, isFinal, data));
  return aesGcmSeal(payloadKey, chunkNonce(index, isFinal), Buffer.concat([data, signature]));
}

/** Decrypts and verifies one chunk; throws PackageTampered or SignatureInvalid. */
export function openChunk(
  payloadKey: Uint8Array,
  headerHash: Uint8Array,
  senderSigningKey: Uint8Array,
  index: number,
  isFinal: boolean,
  sealed: Uint8Array,
): Buffer {
  const plain = aesGcmOpen(payloadKey, chunkNonce(index, isFinal), sealed);
  if (!plain || plain.length < SIGNATURE_BYTES) throw new PackageTampered('chunk', index);
  const data = plain.subarray(0, plain.length - SIGNATURE_BYTES);
  const signature = plain.subarray(plain.length - SIGNATURE_BYTES);
  if (!ed25519Verify(senderSigningKey, chunkSignatureMessage(headerHash, index, isFinal, data), signature)) {
    plain.fill(0);
    throw new SignatureInvalid('chunk', index);
  }
  return data;
}
