/**
 * Writing the package header (docs/FORMAT.md, "Header"); reading it is
 * header-reader.ts, re-exported here:
 *
 *   version 1: fixed part (76) | stanzas (48 × N)   | metadata length (4) | metadata | MAC (32)
 *   version 2: fixed part (44) | stanzas (1168 × N) | [passphrase stanza (72)] | metadata length (4) | metadata | MAC (32)
 *
 * Version 2 wraps the file key with X-Wing (post-quantum) per recipient;
 * version 1 with X25519. Everything after the stanzas is the same. With the
 * recovery flag (§2.12) the last stanza is the organisation recovery key's,
 * named in the metadata; with the passphrase flag (§2.13, version 2 only) a
 * passphrase stanza follows the N stanzas and the metadata names whom the
 * sender gave the passphrase to.
 */
import { aesGcmSeal, ed25519Sign, hmacSha256, sha256, x25519PublicKey } from '../crypto/primitives.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import {
  FORMAT_VERSION_CLASSICAL,
  FORMAT_VERSION_POST_QUANTUM,
  versionLayout,
  type FormatVersion,
  MAGIC,
  MAX_CHUNK_SIZE_LOG2,
  MAX_METADATA_BODY_BYTES,
  MAX_RECIPIENTS,
  METADATA_LENGTH_BYTES,
  MIN_CHUNK_SIZE_LOG2,
  MIN_RECIPIENTS,
  MIN_RECIPIENTS_WITH_PASSPHRASE,
  SALT_BYTES,
  X25519_KEY_BYTES,
  FILE_KEY_BYTES,
  FLAG_PASSPHRASE_STANZA,
  FLAG_RECOVERY_STANZA,
} from './format.js';
import { fixedField } from './layout.js';
import { derivePackageKeys, wrapFileKey, wrapFileKeyPq, ZERO_NONCE, type PackageKeys } from './key-schedule.js';
import { XWING_ENCAPSULATION_RANDOM_BYTES } from '../crypto/xwing.js';
import { encodeMetadataBody, type PackageMetadata } from './metadata.js';
import { passphraseBindingOf, wrapFileKeyForPassphrase, type PassphraseKey } from './passphrase-stanza.js';
import { metadataSignatureMessage } from './header-reader.js';
import { InvalidPackageRequest } from './errors.js';

export {
  isPassphraseReader,
  MAX_METADATA_CIPHERTEXT_BYTES,
  METADATA_OVERHEAD_BYTES,
  metadataSignatureMessage,
  MIN_METADATA_CIPHERTEXT_BYTES,
  openHeader,
  readPublicHeader,
  type OpenAs,
  type OpenedHeader,
  type PackageReader,
  type PassphraseReader,
  type PublicHeaderFields,
  type RawHeader,
  type ReadAt,
} from './header-reader.js';

export interface SealedHeader {
  readonly version: FormatVersion;
  readonly bytes: Buffer;
  readonly hash: Buffer;
  readonly keys: PackageKeys;
}

/** Randomness the sealer consumes, injectable so test vectors are reproducible. */
export type RandomSource = (length: number) => Uint8Array;

/** A recipient's public encryption keys, as their card gives them. */
export interface RecipientKeys {
  readonly encryptionKey: Uint8Array;
  readonly pqKey: Uint8Array | null;
}

/**
 * The format version a package to these recipients is written in: 2 (post-quantum) when every
 * recipient's card has an X-Wing key, else 1, since one classical stanza would make the whole
 * package only as strong as X25519.
 */
export function formatVersionFor(recipients: readonly RecipientKeys[]): FormatVersion {
  return recipients.every((recipient) => recipient.pqKey !== null)
    ? FORMAT_VERSION_POST_QUANTUM
    : FORMAT_VERSION_CLASSICAL;
}

export function buildHeader(options: {
  sender: UnlockedIdentity;
  recipients: readonly RecipientKeys[];
  metadata: PackageMetadata;
  chunkSizeLog2: number;
  random: RandomSource;
  /** The Argon2id key of a generated passphrase: one more stanza, after every other (§2.13). */
  passphrase?: PassphraseKey | null;
}): SealedHeader {
  const { chunkSizeLog2 } = options;
  const recovery = options.metadata.recovery;
  const passphrase = options.passphrase ?? null;
  // The recovery key takes the last stanza, after every recipient (§2.12).
  const recipients = recovery ? [...options.recipients, recovery] : options.recipients;
  const recoveryAt = recovery ? recipients.length - 1 : -1;
  const maxRecipients = recovery ? MAX_RECIPIENTS - 1 : MAX_RECIPIENTS;
  const minRecipients = passphrase ? MIN_RECIPIENTS_WITH_PASSPHRASE : MIN_RECIPIENTS;
  if (options.recipients.length < minRecipients || options.recipients.length > maxRecipients) {
    throw new InvalidPackageRequest({ min: MIN_RECIPIENTS, max: maxRecipients }, { variant: 'recipient-count' });
  }
  if ((passphrase === null) !== (options.metadata.passphraseRecipient === null))
    throw new InvalidPackageRequest({ problem: 'the passphrase recipient is not named' }, { variant: 'metadata' });
  if (chunkSizeLog2 < MIN_CHUNK_SIZE_LOG2 || chunkSizeLog2 > MAX_CHUNK_SIZE_LOG2)
    throw new InvalidPackageRequest({}, { variant: 'chunk-size' });
  const invalidKey = (index: number, kind: string) =>
    index === recoveryAt
      ? new InvalidPackageRequest({ kind }, { variant: 'recovery-key-invalid' })
      : new InvalidPackageRequest({ kind, position: index + 1 }, { variant: 'recipient-key-invalid' });
  const version = formatVersionFor(recipients);
  // A passphrase stanza exists in version 2 only: beside it, every recipient needs an X-Wing key.
  if (passphrase && version !== FORMAT_VERSION_POST_QUANTUM)
    throw new InvalidPackageRequest({}, { variant: 'passphrase-post-quantum' });
  const salt = Buffer.from(options.random(SALT_BYTES));
  const fileKey = Buffer.from(options.random(FILE_KEY_BYTES));
  const fixed = Buffer.alloc(versionLayout(version).fixedBytes);
  MAGIC.copy(fixedField(fixed, 'magic'));
  fixedField(fixed, 'version')[0] = version;
  fixedField(fixed, 'chunkSizeLog2')[0] = chunkSizeLog2;
  fixedField(fixed, 'flags')[0] = (recovery ? FLAG_RECOVERY_STANZA : 0) | (passphrase ? FLAG_PASSPHRASE_STANZA : 0);
  fixedField(fixed, 'recipientCount').writeUInt16BE(recipients.length);
  salt.copy(fixedField(fixed, 'salt'));
  let stanzas: Buffer[];
  if (version === FORMAT_VERSION_POST_QUANTUM) {
    stanzas = recipients.map((recipient, index) => {
      try {
        return wrapFileKeyPq(fileKey, recipient.pqKey!, options.random(XWING_ENCAPSULATION_RANDOM_BYTES));
      } catch {
        throw invalidKey(index, 'post-quantum key');
      }
    });
  } else {
    const ephemeralSecret = Buffer.from(options.random(X25519_KEY_BYTES));
    const ephemeralPublic = Buffer.from(x25519PublicKey(ephemeralSecret));
    ephemeralPublic.copy(fixedField(fixed, 'ephemeralPublic'));
    stanzas = recipients.map((recipient, index) => {
      const stanza = wrapFileKey(fileKey, ephemeralSecret, ephemeralPublic, recipient.encryptionKey);
      if (!stanza) throw invalidKey(index, 'encryption key');
      return stanza;
    });
    ephemeralSecret.fill(0);
  }
  if (passphrase) stanzas.push(wrapFileKeyForPassphrase(fileKey, salt, passphrase));
  const headerCore = Buffer.concat([fixed, ...stanzas]);

  // The passphrase stanza is bound to this sender and header (§2.13): a recipient who knows the file
  // key cannot move it into a package of their own that the partner's words would open.
  const passphraseBinding = passphrase
    ? passphraseBindingOf(passphrase, options.sender.card.signingKey, headerCore)
    : null;
  const body = encodeMetadataBody({ ...options.metadata, passphraseBinding }, version);
  if (body.length > MAX_METADATA_BODY_BYTES) throw new InvalidPackageRequest({}, { variant: 'too-large' });
  const signature = ed25519Sign(options.sender.signingSecretKey, metadataSignatureMessage(headerCore, body));
  const keys = derivePackageKeys(fileKey, salt);
  fileKey.fill(0);
  const metadataCiphertext = aesGcmSeal(keys.metadataKey, ZERO_NONCE, Buffer.concat([body, signature]));
  const length = Buffer.alloc(METADATA_LENGTH_BYTES);
  length.writeUInt32BE(metadataCiphertext.length);
  const unauthenticated = Buffer.concat([headerCore, length, metadataCiphertext]);
  const bytes = Buffer.concat([unauthenticated, hmacSha256(keys.headerMacKey, unauthenticated)]);
  return { version, bytes, hash: sha256(bytes), keys };
}
