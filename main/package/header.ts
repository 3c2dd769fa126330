/**
 * Writing and reading the package header (docs/FORMAT.md, "Header"):
 *
 *   fixed part (76) | stanzas (48 × N) | metadata length (4) | metadata | MAC (32)
 *
 * The reader checks in the documented order and stops at the first failure:
 * magic, version, fixed fields, lengths, our stanza, header MAC, metadata,
 * sender signatures, our place in the recipient list.
 */
import { aesGcmOpen, aesGcmSeal, constantTimeEqual, ed25519Sign, ed25519Verify, hmacSha256, sha256, x25519PublicKey } from '../crypto/primitives.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import {
  FIXED_HEADER_BYTES,
  FORMAT_VERSION,
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
  STANZA_BYTES,
  X25519_KEY_BYTES,
  FILE_KEY_BYTES,
} from './format.js';
import { FIXED_FIELDS, fixedField } from './layout.js';
import { derivePackageKeys, unwrapFileKey, wrapFileKey, ZERO_NONCE, type PackageKeys } from './key-schedule.js';
import { encodeMetadataBody, parseMetadataBody, type PackageMetadata } from './metadata.js';
import { InvalidPackageRequest, NotAMedSealPackage, NotARecipient, PackageMalformed, PackageTampered, PackageTruncated, SignatureInvalid, UnsupportedPackageVersion } from './errors.js';

export const METADATA_OVERHEAD_BYTES = 64 + 16; // signature + GCM tag
export const MIN_METADATA_CIPHERTEXT_BYTES = 2 + METADATA_OVERHEAD_BYTES;
export const MAX_METADATA_CIPHERTEXT_BYTES = MAX_METADATA_BODY_BYTES + METADATA_OVERHEAD_BYTES;

/** The plaintext fields of the fixed part, readable by anyone. */
export interface PublicHeaderFields {
  readonly version: number;
  readonly chunkSizeLog2: number;
  readonly recipientCount: number;
  readonly salt: Buffer;
  readonly ephemeralPublic: Buffer;
}

export interface SealedHeader {
  readonly bytes: Buffer;
  readonly hash: Buffer;
  readonly keys: PackageKeys;
}

/** Randomness the sealer consumes, injectable so test vectors are reproducible. */
export type RandomSource = (length: number) => Uint8Array;

export function metadataSignatureMessage(headerCore: Uint8Array, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(LABEL.metadataSignature, 'ascii'), sha256(headerCore), sha256(body)]);
}

export function buildHeader(options: { sender: UnlockedIdentity; recipientKeys: readonly Uint8Array[]; metadata: PackageMetadata; chunkSizeLog2: number; random: RandomSource }): SealedHeader {
  const { recipientKeys, chunkSizeLog2 } = options;
  if (recipientKeys.length < MIN_RECIPIENTS || recipientKeys.length > MAX_RECIPIENTS) {
    throw new InvalidPackageRequest(`A package needs between ${MIN_RECIPIENTS} and ${MAX_RECIPIENTS} recipients.`);
  }
  if (chunkSizeLog2 < MIN_CHUNK_SIZE_LOG2 || chunkSizeLog2 > MAX_CHUNK_SIZE_LOG2) throw new InvalidPackageRequest('Unsupported chunk size.');

  const salt = Buffer.from(options.random(SALT_BYTES));
  const fileKey = Buffer.from(options.random(FILE_KEY_BYTES));
  const ephemeralSecret = Buffer.from(options.random(X25519_KEY_BYTES));
  const ephemeralPublic = Buffer.from(x25519PublicKey(ephemeralSecret));

  const fixed = Buffer.alloc(FIXED_HEADER_BYTES);
  MAGIC.copy(fixedField(fixed, 'magic'));
  fixedField(fixed, 'version')[0] = FORMAT_VERSION;
  fixedField(fixed, 'chunkSizeLog2')[0] = chunkSizeLog2;
  fixedField(fixed, 'reserved')[0] = 0;
  fixedField(fixed, 'recipientCount').writeUInt16BE(recipientKeys.length);
  salt.copy(fixedField(fixed, 'salt'));
  ephemeralPublic.copy(fixedField(fixed, 'ephemeralPublic'));

  const stanzas = recipientKeys.map((key, index) => {
    const stanza = wrapFileKey(fileKey, ephemeralSecret, ephemeralPublic, key);
    if (!stanza) throw new InvalidPackageRequest(`The encryption key of recipient ${index + 1} is invalid.`);
    return stanza;
  });
  ephemeralSecret.fill(0);
  const headerCore = Buffer.concat([fixed, ...stanzas]);

  const body = encodeMetadataBody(options.metadata);
  if (body.length > MAX_METADATA_BODY_BYTES) throw new InvalidPackageRequest('Too many files or too long a note for one package.');
  const signature = ed25519Sign(options.sender.signingSecretKey, metadataSignatureMessage(headerCore, body));
  const keys = derivePackageKeys(fileKey, salt);
  fileKey.fill(0);
  const metadataCiphertext = aesGcmSeal(keys.metadataKey, ZERO_NONCE, Buffer.concat([body, signature]));
  const length = Buffer.alloc(METADATA_LENGTH_BYTES);
  length.writeUInt32BE(metadataCiphertext.length);
  const unauthenticated = Buffer.concat([headerCore, length, metadataCiphertext]);
  const bytes = Buffer.concat([unauthenticated, hmacSha256(keys.headerMacKey, unauthenticated)]);
  return { bytes, hash: sha256(bytes), keys };
}

/** Reads exactly `length` bytes at `position`, or fewer only at end of file. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** Step 1 of opening: the public fields, with their limits checked. */
export async function readPublicHeader(readAt: ReadAt): Promise<PublicHeaderFields & { headerLength: number; readRest: () => Promise<RawHeader> }> {
  const fixed = await readAt(0, FIXED_HEADER_BYTES);
  if (fixed.length < MAGIC.length || !fixedField(fixed, 'magic').equals(MAGIC)) throw new NotAMedSealPackage();
  if (fixed.length < MAGIC.length + 1) throw new PackageTruncated();
  const version = fixed[FIXED_FIELDS.version.offset];
  if (version !== FORMAT_VERSION) throw new UnsupportedPackageVersion(version ?? 0);
  if (fixed.length < FIXED_HEADER_BYTES) throw new PackageTruncated();
  const chunkSizeLog2 = fixed[FIXED_FIELDS.chunkSizeLog2.offset] ?? 0;
  if (chunkSizeLog2 < MIN_CHUNK_SIZE_LOG2 || chunkSizeLog2 > MAX_CHUNK_SIZE_LOG2) throw new PackageMalformed('its chunk size is out of range');
  if (fixed[FIXED_FIELDS.reserved.offset] !== 0) throw new PackageMalformed('a reserved header byte is not zero');
  const recipientCount = fixedField(fixed, 'recipientCount').readUInt16BE();
  if (recipientCount < MIN_RECIPIENTS || recipientCount > MAX_RECIPIENTS) throw new PackageMalformed('its recipient count is out of range');

  const stanzasEnd = FIXED_HEADER_BYTES + recipientCount * STANZA_BYTES;
  const rest = await readAt(FIXED_HEADER_BYTES, recipientCount * STANZA_BYTES + METADATA_LENGTH_BYTES);
  if (rest.length < recipientCount * STANZA_BYTES + METADATA_LENGTH_BYTES) throw new PackageTruncated();
  const metadataLength = rest.readUInt32BE(recipientCount * STANZA_BYTES);
  if (metadataLength < MIN_METADATA_CIPHERTEXT_BYTES || metadataLength > MAX_METADATA_CIPHERTEXT_BYTES) {
    throw new PackageMalformed('its metadata length is out of range');
  }
  const headerLength = stanzasEnd + METADATA_LENGTH_BYTES + metadataLength + HEADER_MAC_BYTES;
  const fields = {
    version: FORMAT_VERSION,
    chunkSizeLog2,
    recipientCount,
    salt: Buffer.from(fixedField(fixed, 'salt')),
    ephemeralPublic: Buffer.from(fixedField(fixed, 'ephemeralPublic')),
  };
  const readRest = async (): Promise<RawHeader> => {
    const all = await readAt(0, headerLength);
    if (all.length < headerLength) throw new PackageTruncated();
    const stanzas: Buffer[] = [];
    for (let i = 0; i < recipientCount; i++) stanzas.push(all.subarray(FIXED_HEADER_BYTES + i * STANZA_BYTES, FIXED_HEADER_BYTES + (i + 1) * STANZA_BYTES));
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

export interface OpenedHeader {
  readonly raw: RawHeader;
  readonly hash: Buffer;
  readonly keys: PackageKeys;
  readonly metadata: PackageMetadata;
}

/** Steps 2–6 of opening: our stanza, the MAC, the metadata and the sender's signature. */
export function openHeader(raw: RawHeader, identity: UnlockedIdentity): OpenedHeader {
  const fileKey = unwrapFileKey(raw.stanzas, raw.ephemeralPublic, identity.encryptionSecretKey, identity.card.encryptionKey);
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
  const metadata = parseMetadataBody(body);
  if (!ed25519Verify(metadata.sender.signingKey, metadataSignatureMessage(raw.headerCore, body), signature)) {
    throw new SignatureInvalid('metadata');
  }
  if (metadata.recipients.length !== raw.recipientCount) throw new PackageMalformed('its recipient list does not match its header');
  if (!metadata.recipients.includes(fingerprintHex(identity.card.fingerprint))) throw new NotARecipient();
  return { raw, hash: sha256(raw.bytes), keys, metadata };
}
