/** An attacker's (or a malicious sender's) tool: builds a complete, correctly MAC'd header with any content. */
import { aesGcmSeal, hmacSha256, randomBytes, x25519PublicKey } from '../../main/crypto/primitives.js';
import { FIXED_HEADER_BYTES, MAGIC } from '../../main/package/format.js';
import { fixedField } from '../../main/package/layout.js';
import { derivePackageKeys, wrapFileKey, ZERO_NONCE } from '../../main/package/key-schedule.js';

export function forgeHeader(options: { recipientKeys: Uint8Array[]; body: Buffer; signature: (core: Buffer) => Uint8Array; chunkSizeLog2?: number }) {
  const salt = Buffer.from(randomBytes(32));
  const fileKey = Buffer.from(randomBytes(32));
  const ephemeralSecret = Buffer.from(randomBytes(32));
  const ephemeralPublic = Buffer.from(x25519PublicKey(ephemeralSecret));
  const fixed = Buffer.alloc(FIXED_HEADER_BYTES);
  MAGIC.copy(fixedField(fixed, 'magic'));
  fixedField(fixed, 'version')[0] = 1;
  fixedField(fixed, 'chunkSizeLog2')[0] = options.chunkSizeLog2 ?? 12;
  fixedField(fixed, 'recipientCount').writeUInt16BE(options.recipientKeys.length);
  salt.copy(fixedField(fixed, 'salt'));
  ephemeralPublic.copy(fixedField(fixed, 'ephemeralPublic'));
  const core = Buffer.concat([fixed, ...options.recipientKeys.map((key) => wrapFileKey(fileKey, ephemeralSecret, ephemeralPublic, key)!)]);
  const keys = derivePackageKeys(fileKey, salt);
  const metadata = aesGcmSeal(keys.metadataKey, ZERO_NONCE, Buffer.concat([options.body, options.signature(core)]));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(metadata.length);
  const unauthenticated = Buffer.concat([core, length, metadata]);
  return { bytes: Buffer.concat([unauthenticated, hmacSha256(keys.headerMacKey, unauthenticated)]), keys };
}
