/**
 * Writing and reading the package header (docs/FORMAT.md, "Header"):
 *
 *   version 1: fixed part (76) | stanzas (48 × N)   | metadata length (4) | metadata | MAC (32)
 *   version 2: fixed part (44) | stanzas (1168 × N) | metadata length (4) | metadata | MAC (32)
 *
 * Version 2 wraps the file key with X-Wing (post-quantum) per recipient;
 * version 1 with X25519. Everything after the stanzas is the same.
 * The reader checks in the documented order and stops at the first failure:
 * magic, version, fixed fields, lengths, our stanza, header MAC, metadata,
 * sender signatures, our place in the recipient list. With the recovery
 * flag (§2.12) the last stanza is the organisation recovery key's, named in
 * the metadata; opening with that key is opening as its holder.
 */
import {
  aesGcmOpen,
  aesGcmSeal,
  constantTimeEqual,
  ed25519Sign,
  ed25519Verify,
  hmacSha256,
  sha256,
  x25519PublicKey,
} from '../crypto/primitives.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import {
  FORMAT_VERSION_CLASSICAL,
  FORMAT_VERSION_POST_QUANTUM,
  versionLayout,
  type FormatVersion,
  HEADER_MAC_BYTES,
  LABEL,
  MAGIC,
  MAX_CHUNK_SIZE_LOG2,
  MAX_METADATA_BODY_BYTES,
  MAX_RECIPIENTS,
  METADATA_LENGTH_BYTES,
  MIN_CHUNK_SIZE_LOG2,
  MIN_RECIPIENTS,
  SALT_BYTES,
  X25519_KEY_BYTES,
  FILE_KEY_BYTES,
  FLAG_RECOVERY_STANZA,
  KNOWN_FLAGS,
} from './format.js';
import { FIXED_FIELDS, fixedField } from './layout.js';
import {
  derivePackageKeys,
  unwrapFileKey,
  unwrapFileKeyPq,
  wrapFileKey,
  wrapFileKeyPq,
  ZERO_NONCE,
  type PackageKeys,
} from './key-schedule.js';
import { XWING_ENCAPSULATION_RANDOM_BYTES } from '../crypto/xwing.js';
import { encodeMetadataBody, parseMetadataBody, type PackageMetadata } from './metadata.js';
import {
  InvalidPackageRequest,
  NotAMedSealPackage,
  NotARecipient,
  PackageMalformed,
  PackageTampered,
  PackageTruncated,
  SignatureInvalid,
  UnsupportedPackageVersion,
} from './errors.js';

export const METADATA_OVERHEAD_BYTES = 64 + 16; // signature + GCM tag
export const MIN_METADATA_CIPHERTEXT_BYTES = 2 + METADATA_OVERHEAD_BYTES;
export const MAX_METADATA_CIPHERTEXT_BYTES = MAX_METADATA_BODY_BYTES + METADATA_OVERHEAD_BYTES;

/** The plaintext fields of the fixed part, readable by anyone. */
export interface PublicHeaderFields {
  readonly version: FormatVersion;
  readonly chunkSizeLog2: number;
  readonly recipientCount: number;
  readonly salt: Buffer;
  /** Version 1's ephemeral X25519 key; null in version 2. */
  readonly ephemeralPublic: Buffer | null;
  /** The flag of §2.12: the last stanza is for the organisation recovery key. */
  readonly hasRecoveryStanza: boolean;
}

export interface SealedHeader {
  readonly version: FormatVersion;
  readonly bytes: Buffer;
  readonly hash: Buffer;
  readonly keys: PackageKeys;
}

/** Randomness the sealer consumes, injectable so test vectors are reproducible. */
export type RandomSource = (length: number) => Uint8Array;

export function metadataSignatureMessage(headerCore: Uint8Array, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(LABEL.metadataSignature, 'ascii'), sha256(headerCore), sha256(body)]);
}

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
}): SealedHeader {
  const { chunkSizeLog2 } = options;
  const recovery = options.metadata.recovery;
  // The recovery key takes the last stanza, after every recipient (§2.12).
  const recipients = recovery ? [...options.recipients, recovery] : options.recipients;
  const recoveryAt = recovery ? recipients.length - 1 : -1;
  const maxRecipients = recovery ? MAX_RECIPIENTS - 1 : MAX_RECIPIENTS;
  if (options.recipients.length < MIN_RECIPIENTS || options.recipients.length > maxRecipients) {
    throw new InvalidPackageRequest({ min: MIN_RECIPIENTS, max: maxRecipients }, { variant: 'recipient-count' });
  }
  if (chunkSizeLog2 < MIN_CHUNK_SIZE_LOG2 || chunkSizeLog2 > MAX_CHUNK_SIZE_LOG2)
    throw new InvalidPackageRequest({}, { variant: 'chunk-size' });
  const invalidKey = (index: number, kind: string) =>
    index === recoveryAt
      ? new InvalidPackageRequest({ kind }, { variant: 'recovery-key-invalid' })
      : new InvalidPackageRequest({ kind, position: index + 1 }, { variant: 'recipient-key-invalid' });
  const version = formatVersionFor(recipients);
  const salt = Buffer.from(options.random(SALT_BYTES));
  const fileKey = Buffer.from(options.random(FILE_KEY_BYTES));
  const fixed = Buffer.alloc(versionLayout(version).fixedBytes);
  MAGIC.copy(fixedField(fixed, 'magic'));
  fixedField(fixed, 'version')[0] = version;
  fixedField(fixed, 'chunkSizeLog2')[0] = chunkSizeLog2;
  fixedField(fixed, 'flags')[0] = recovery ? FLAG_RECOVERY_STANZA : 0;
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
  const headerCore = Buffer.concat([fixed, ...stanzas]);

  const body = encodeMetadataBody(options.metadata, version);
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

/** Reads exactly `length` bytes at `position`, or fewer only at end of file. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** Step 1 of opening: the public fields, with their limits checked. */
export async function readPublicHeader(
  readAt: ReadAt,
): Promise<PublicHeaderFields & { headerLength: number; readRest: () => Promise<RawHeader> }> {
  const start = await readAt(0, FIXED_FIELDS.ephemeralPublic.offset + FIXED_FIELDS.ephemeralPublic.size);
  if (start.length < MAGIC.length || !fixedField(start, 'magic').equals(MAGIC)) throw new NotAMedSealPackage();
  if (start.length < MAGIC.length + 1) throw new PackageTruncated();
  const version = start[FIXED_FIELDS.version.offset];
  if (version !== FORMAT_VERSION_CLASSICAL && version !== FORMAT_VERSION_POST_QUANTUM)
    throw new UnsupportedPackageVersion(version ?? 0);
  const { fixedBytes, stanzaBytes } = versionLayout(version);
  if (start.length < fixedBytes) throw new PackageTruncated();
  const fixed = start.subarray(0, fixedBytes);
  const chunkSizeLog2 = fixed[FIXED_FIELDS.chunkSizeLog2.offset] ?? 0;
  if (chunkSizeLog2 < MIN_CHUNK_SIZE_LOG2 || chunkSizeLog2 > MAX_CHUNK_SIZE_LOG2)
    throw new PackageMalformed('its chunk size is out of range');
  const flags = fixed[FIXED_FIELDS.flags.offset] ?? 0;
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new UnsupportedPackageVersion(version, flags);
  const hasRecoveryStanza = (flags & FLAG_RECOVERY_STANZA) !== 0;
  const recipientCount = fixedField(fixed, 'recipientCount').readUInt16BE();
  const minStanzas = hasRecoveryStanza ? MIN_RECIPIENTS + 1 : MIN_RECIPIENTS;
  if (recipientCount < minStanzas || recipientCount > MAX_RECIPIENTS)
    throw new PackageMalformed('its recipient count is out of range');

  const stanzasEnd = fixedBytes + recipientCount * stanzaBytes;
  const rest = await readAt(fixedBytes, recipientCount * stanzaBytes + METADATA_LENGTH_BYTES);
  if (rest.length < recipientCount * stanzaBytes + METADATA_LENGTH_BYTES) throw new PackageTruncated();
  const metadataLength = rest.readUInt32BE(recipientCount * stanzaBytes);
  if (metadataLength < MIN_METADATA_CIPHERTEXT_BYTES || metadataLength > MAX_METADATA_CIPHERTEXT_BYTES) {
    throw new PackageMalformed('its metadata length is out of range');
  }
  const headerLength = stanzasEnd + METADATA_LENGTH_BYTES + metadataLength + HEADER_MAC_BYTES;
  const fields: PublicHeaderFields = {
    version,
    chunkSizeLog2,
    recipientCount,
    salt: Buffer.from(fixedField(fixed, 'salt')),
    ephemeralPublic: version === FORMAT_VERSION_CLASSICAL ? Buffer.from(fixedField(fixed, 'ephemeralPublic')) : null,
    hasRecoveryStanza,
  };
  const readRest = async (): Promise<RawHeader> => {
    const all = await readAt(0, headerLength);
    if (all.length < headerLength) throw new PackageTruncated();
    const stanzas: Buffer[] = [];
    for (let i = 0; i < recipientCount; i++)
      stanzas.push(all.subarray(fixedBytes + i * stanzaBytes, fixedBytes + (i + 1) * stanzaBytes));
    return { ...fields, bytes: all, headerLength, stanzas, headerCore: all.subarray(0, stanzasEnd) };
  };
  return { ...fields, headerLength, readRest };
}

export interface RawHeader extends PublicHeaderFields {
  readonly bytes: Buffer;
  readonly headerLength: number;
  readonly stanzas: readonly Buffer[];
  readonly headerCore: Buffer;
}

/** Whom the reader opens as: a listed recipient, or the organisation recovery key the metadata names. */
export type OpenAs = 'recipient' | 'recovery-key';

export interface OpenedHeader {
  readonly raw: RawHeader;
  readonly hash: Buffer;
  readonly keys: PackageKeys;
  readonly metadata: PackageMetadata;
}

/** Steps 2–6 of opening: our stanza, the MAC, the metadata and the sender's signature. */
export function openHeader(raw: RawHeader, identity: UnlockedIdentity, as: OpenAs = 'recipient'): OpenedHeader {
  const fileKey = fileKeyFor(raw, identity);
  if (!fileKey) throw new NotARecipient();
  const keys = derivePackageKeys(fileKey, raw.salt);
  fileKey.fill(0);

  const macStart = raw.headerLength - HEADER_MAC_BYTES;
  const expectedMac = hmacSha256(keys.headerMacKey, raw.bytes.subarray(0, macStart));
  if (!constantTimeEqual(expectedMac, raw.bytes.subarray(macStart))) throw new PackageTampered('header');

  const metadataStart = raw.headerCore.length + METADATA_LENGTH_BYTES;
  const sealed = aesGcmOpen(keys.metadataKey, ZERO_NONCE, raw.bytes.subarray(metadataStart, macStart));
  if (!sealed) throw new PackageTampered('metadata');
  const body = sealed.subarray(0, sealed.length - 64);
  const signature = sealed.subarray(sealed.length - 64);
  const metadata = parseMetadataBody(body, raw.version, raw.hasRecoveryStanza);
  if (!ed25519Verify(metadata.sender.signingKey, metadataSignatureMessage(raw.headerCore, body), signature)) {
    throw new SignatureInvalid('metadata');
  }
  if (metadata.recipients.length + (metadata.recovery ? 1 : 0) !== raw.recipientCount)
    throw new PackageMalformed('its recipient list does not match its header');
  const ours = fingerprintHex(identity.card.fingerprint);
  // Only emergency access (services/emergency-access.ts, after recording it) opens as the recovery key.
  const allowed =
    as === 'recovery-key'
      ? metadata.recovery !== null && fingerprintHex(metadata.recovery.fingerprint) === ours
      : metadata.recipients.includes(ours);
  if (!allowed) throw new NotARecipient();
  return { raw, hash: sha256(raw.bytes), keys, metadata };
}

/** Our file key from the stanzas, by the header's version; null when no stanza is ours (or we have no post-quantum key for a version 2 package). */
function fileKeyFor(raw: RawHeader, identity: UnlockedIdentity): Buffer | null {
  if (raw.version === FORMAT_VERSION_POST_QUANTUM) {
    const pqSecret = identity.pqSecretKey;
    return pqSecret ? unwrapFileKeyPq(raw.stanzas, pqSecret) : null;
  }
  return unwrapFileKey(raw.stanzas, raw.ephemeralPublic!, identity.encryptionSecretKey, identity.card.encryptionKey);
}
