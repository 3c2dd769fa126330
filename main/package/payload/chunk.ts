/**
 * One payload chunk (docs/FORMAT.md, "Payload"): the data and the sender's
 * Ed25519 signature over it, encrypted together with AES-256-GCM under the
 * payload key and a STREAM nonce. The signature binds the header hash, the
 * chunk's position and the last-chunk flag, so a recipient — who knows the
 * payload key — still cannot forge, reorder or truncate another recipient's
 * copy. Each chunk stands alone: any chunk can be opened independently.
 */
import * as nodeCrypto from 'node:crypto';
import { ed25519Sign, ed25519Verify, sha256 } from '../../crypto/primitives.js';
import { chunkCryptoCore } from '../../crypto/chunk-cipher.js';
import { LABEL } from '../format.js';
import { chunkNonce } from '../key-schedule.js';
import { PackageTampered, SignatureInvalid } from '../errors.js';

const CHUNK_CONTEXT = Buffer.from(LABEL.chunkSignature, 'ascii');
const core = chunkCryptoCore(nodeCrypto);

export function chunkSignatureMessage(
  headerHash: Uint8Array,
  index: number,
  isFinal: boolean,
  data: Uint8Array,
): Buffer {
  return chunkSignatureMessageForHash(headerHash, index, isFinal, sha256(data));
}

/** The same message from the SHA-256 of the chunk data, for callers that hashed it elsewhere (a worker). */
export function chunkSignatureMessageForHash(
  headerHash: Uint8Array,
  index: number,
  isFinal: boolean,
  dataHash: Uint8Array,
): Buffer {
  const position = Buffer.alloc(9);
  position.writeBigUInt64BE(BigInt(index), 0);
  position[8] = isFinal ? 1 : 0;
  return Buffer.concat([CHUNK_CONTEXT, headerHash, position, dataHash]);
}

/** Seals one chunk on this thread; the parts are written one after another (see crypto/chunk-cipher.ts). */
export function sealChunkParts(
  payloadKey: Uint8Array,
  headerHash: Uint8Array,
  signingSecretKey: Uint8Array,
  index: number,
  isFinal: boolean,
  data: Uint8Array,
): Buffer[] {
  const sealing = core.seal(payloadKey, chunkNonce(index, isFinal), data);
  return sealing.finish(
    ed25519Sign(signingSecretKey, chunkSignatureMessageForHash(headerHash, index, isFinal, sealing.dataHash)),
  );
}

/** The same, as one buffer. */
export function sealChunk(...args: Parameters<typeof sealChunkParts>): Buffer {
  return Buffer.concat(sealChunkParts(...args));
}

/** Decrypts and verifies one chunk on this thread, as parts; throws PackageTampered or SignatureInvalid. */
export function openChunkParts(
  payloadKey: Uint8Array,
  headerHash: Uint8Array,
  senderSigningKey: Uint8Array,
  index: number,
  isFinal: boolean,
  sealed: Uint8Array,
): Buffer[] {
  const opened = core.open(payloadKey, chunkNonce(index, isFinal), sealed);
  if (!opened) throw new PackageTampered('chunk', index);
  if (!chunkSignatureValid(senderSigningKey, headerHash, index, isFinal, opened)) {
    for (const part of opened.parts) part.fill(0);
    throw new SignatureInvalid('chunk', index);
  }
  return opened.parts;
}

/** Whether the sender's signature over a decrypted chunk holds, wherever the chunk was decrypted. */
export function chunkSignatureValid(
  senderSigningKey: Uint8Array,
  headerHash: Uint8Array,
  index: number,
  isFinal: boolean,
  opened: { readonly signature: Uint8Array; readonly dataHash: Uint8Array },
): boolean {
  return ed25519Verify(
    senderSigningKey,
    chunkSignatureMessageForHash(headerHash, index, isFinal, opened.dataHash),
    opened.signature,
  );
}

/** Decrypts and verifies one chunk into one buffer; throws PackageTampered or SignatureInvalid. */
export function openChunk(...args: Parameters<typeof openChunkParts>): Buffer {
  return Buffer.concat(openChunkParts(...args));
}
