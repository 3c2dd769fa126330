/** An attacker's (or a malicious sender's) tool: builds a complete, correctly MAC'd header with any content. */
import { aesGcmSeal, hmacSha256, randomBytes, x25519PublicKey } from '../../main/crypto/primitives.js';
import { MAGIC, versionLayout, type FormatVersion } from '../../main/package/format.js';
import { fixedField } from '../../main/package/layout.js';
import { formatVersionFor, type RecipientKeys } from '../../main/package/header.js';
import { derivePackageKeys, wrapFileKey, wrapFileKeyPq, ZERO_NONCE } from '../../main/package/key-schedule.js';

/** `version`: the format to write (default: what a sealer would choose for these recipients). */
export function forgeHeader(options: {
  recipients: readonly RecipientKeys[];
  body: Buffer;
  signature: (core: Buffer) => Uint8Array;
  chunkSizeLog2?: number;
  version?: FormatVersion;
}) {
  const version = options.version ?? formatVersionFor(options.recipients);
  const salt = Buffer.from(randomBytes(32));
  const fileKey = Buffer.from(randomBytes(32));
  const fixed = Buffer.alloc(versionLayout(version).fixedBytes);
  MAGIC.copy(fixedField(fixed, 'magic'));
  fixedField(fixed, 'version')[0] = version;
  fixedField(fixed, 'chunkSizeLog2')[0] = options.chunkSizeLog2 ?? 12;
  fixedField(fixed, 'recipientCount').writeUInt16BE(options.recipients.length);
  salt.copy(fixedField(fixed, 'salt'));
  let stanzas: Buffer[];
  if (version === 2) {
    stanzas = options.recipients.map((recipient) => wrapFileKeyPq(fileKey, recipient.pqKey!, randomBytes(64)));
  } else {
    const ephemeralSecret = Buffer.from(randomBytes(32));
    const ephemeralPublic = Buffer.from(x25519PublicKey(ephemeralSecret));
    ephemeralPublic.copy(fixedField(fixed, 'ephemeralPublic'));
    stanzas = options.recipients.map((recipient) =>
      wrapFileKey(fileKey, ephemeralSecret, ephemeralPublic, recipient.encryptionKey)!,
    );
  }
  const core = Buffer.concat([fixed, ...stanzas]);
  const keys = derivePackageKeys(fileKey, salt);
  const metadata = aesGcmSeal(keys.metadataKey, ZERO_NONCE, Buffer.concat([options.body, options.signature(core)]));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(metadata.length);
  const unauthenticated = Buffer.concat([core, length, metadata]);
  return { bytes: Buffer.concat([unauthenticated, hmacSha256(keys.headerMacKey, unauthenticated)]), keys };
}
