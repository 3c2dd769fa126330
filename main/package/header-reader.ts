/**
 * Reading a package header (docs/FORMAT.md §2.8), in the documented order,
 * stopping at the first failure: magic, version, fixed fields and flags,
 * lengths (and a passphrase stanza's parameters, §2.13), the stanza that
 * opens for this reader, the header MAC, the metadata, the sender's
 * signatures, and this reader's place in the recipient list. A reader is an
 * identity (a listed recipient, or the organisation recovery key of §2.12
 * when opening as it) or the Argon2id key of a package passphrase, which
 * opens the passphrase stanza and needs no identity at all.
 */
import { aesGcmOpen, constantTimeEqual, ed25519Verify, hmacSha256, sha256 } from '../crypto/primitives.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import {
  FLAG_PASSPHRASE_STANZA,
  FLAG_RECOVERY_STANZA,
  FORMAT_VERSION_CLASSICAL,
  FORMAT_VERSION_POST_QUANTUM,
  HEADER_MAC_BYTES,
  KNOWN_FLAGS,
  LABEL,
  MAGIC,
  MAX_CHUNK_SIZE_LOG2,
  MAX_METADATA_BODY_BYTES,
  MAX_RECIPIENTS,
  METADATA_LENGTH_BYTES,
  MIN_CHUNK_SIZE_LOG2,
  PASSPHRASE_STANZA_BYTES,
  versionLayout,
  type FormatVersion,
} from './format.js';
import { FIXED_FIELDS, fixedField } from './layout.js';
import { derivePackageKeys, unwrapFileKey, unwrapFileKeyPq, ZERO_NONCE, type PackageKeys } from './key-schedule.js';
import { parseMetadataBody, type PackageMetadata } from './metadata.js';
import {
  passphraseBindingOf,
  readPassphraseKdf,
  unwrapFileKeyWithPassphrase,
  type PassphraseKdf,
  type PassphraseKey,
} from './passphrase-stanza.js';
import {
  NotAMedSealPackage,
  NotARecipient,
  PackageMalformed,
  PackagePassphraseWrong,
  PackageTampered,
  PackageTruncated,
  SignatureInvalid,
  UnsupportedPackageVersion,
} from './errors.js';

export const METADATA_OVERHEAD_BYTES = 64 + 16; // signature + GCM tag
export const MIN_METADATA_CIPHERTEXT_BYTES = 2 + METADATA_OVERHEAD_BYTES;
export const MAX_METADATA_CIPHERTEXT_BYTES = MAX_METADATA_BODY_BYTES + METADATA_OVERHEAD_BYTES;

export function metadataSignatureMessage(headerCore: Uint8Array, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(LABEL.metadataSignature, 'ascii'), sha256(headerCore), sha256(body)]);
}

/** The plaintext fields of the fixed part, readable by anyone. */
export interface PublicHeaderFields {
  readonly version: FormatVersion;
  readonly chunkSizeLog2: number;
  /** The recipient stanzas (N), the recovery key's included; the passphrase stanza is not counted. */
  readonly recipientCount: number;
  readonly salt: Buffer;
  /** Version 1's ephemeral X25519 key; null in version 2. */
  readonly ephemeralPublic: Buffer | null;
  /** The flag of §2.12: the last stanza is for the organisation recovery key. */
  readonly hasRecoveryStanza: boolean;
  /** The Argon2id parameters of the passphrase stanza (flag bit 1, §2.13), checked; null without one. */
  readonly passphraseKdf: PassphraseKdf | null;
}

/** Reads exactly `length` bytes at `position`, or fewer only at end of file. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

export interface RawHeader extends PublicHeaderFields {
  readonly bytes: Buffer;
  readonly headerLength: number;
  readonly stanzas: readonly Buffer[];
  /** The passphrase stanza's 72 bytes, or null. */
  readonly passphraseStanza: Buffer | null;
  readonly headerCore: Buffer;
}

/** Steps 1–6 of opening: the public fields, with their limits checked. */
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
  const hasPassphraseStanza = (flags & FLAG_PASSPHRASE_STANZA) !== 0;
  if (hasPassphraseStanza && version !== FORMAT_VERSION_POST_QUANTUM)
    throw new PackageMalformed('it has a passphrase stanza in a version 1 package');
  const recipientCount = fixedField(fixed, 'recipientCount').readUInt16BE();
  // Someone must be able to open it: a recipient, or the passphrase; the recovery key never alone.
  const minStanzas = (hasRecoveryStanza ? 1 : 0) + (hasPassphraseStanza ? 0 : 1);
  if (recipientCount < minStanzas || recipientCount > MAX_RECIPIENTS)
    throw new PackageMalformed('its recipient count is out of range');

  const stanzasEnd = fixedBytes + recipientCount * stanzaBytes;
  const coreEnd = stanzasEnd + (hasPassphraseStanza ? PASSPHRASE_STANZA_BYTES : 0);
  const rest = await readAt(fixedBytes, coreEnd - fixedBytes + METADATA_LENGTH_BYTES);
  if (rest.length < coreEnd - fixedBytes + METADATA_LENGTH_BYTES) throw new PackageTruncated();
  const metadataLength = rest.readUInt32BE(coreEnd - fixedBytes);
  if (metadataLength < MIN_METADATA_CIPHERTEXT_BYTES || metadataLength > MAX_METADATA_CIPHERTEXT_BYTES) {
    throw new PackageMalformed('its metadata length is out of range');
  }
  // Parameters weaker than allowed are refused here, whoever reads, before any derivation.
  const passphraseKdf = hasPassphraseStanza
    ? readPassphraseKdf(rest.subarray(stanzasEnd - fixedBytes, coreEnd - fixedBytes))
    : null;
  const headerLength = coreEnd + METADATA_LENGTH_BYTES + metadataLength + HEADER_MAC_BYTES;
  const fields: PublicHeaderFields = {
    version,
    chunkSizeLog2,
    recipientCount,
    salt: Buffer.from(fixedField(fixed, 'salt')),
    ephemeralPublic: version === FORMAT_VERSION_CLASSICAL ? Buffer.from(fixedField(fixed, 'ephemeralPublic')) : null,
    hasRecoveryStanza,
    passphraseKdf,
  };
  const readRest = async (): Promise<RawHeader> => {
    const all = await readAt(0, headerLength);
    if (all.length < headerLength) throw new PackageTruncated();
    const stanzas: Buffer[] = [];
    for (let i = 0; i < recipientCount; i++)
      stanzas.push(all.subarray(fixedBytes + i * stanzaBytes, fixedBytes + (i + 1) * stanzaBytes));
    return {
      ...fields,
      bytes: all,
      headerLength,
      stanzas,
      passphraseStanza: hasPassphraseStanza ? all.subarray(stanzasEnd, coreEnd) : null,
      headerCore: all.subarray(0, coreEnd),
    };
  };
  return { ...fields, headerLength, readRest };
}

/** Whom the reader opens as: a listed recipient, or the organisation recovery key the metadata names. */
export type OpenAs = 'recipient' | 'recovery-key';

/** A reader without an identity: the Argon2id key of the package passphrase (passphrase-stanza.ts). */
export interface PassphraseReader {
  readonly passphraseKey: PassphraseKey;
}

export type PackageReader = UnlockedIdentity | PassphraseReader;

export function isPassphraseReader(reader: PackageReader): reader is PassphraseReader {
  return 'passphraseKey' in reader;
}

export interface OpenedHeader {
  readonly raw: RawHeader;
  readonly hash: Buffer;
  readonly keys: PackageKeys;
  readonly metadata: PackageMetadata;
}

/** Steps 7–12 of opening: our stanza, the MAC, the metadata and the sender's signature, our place. */
export function openHeader(raw: RawHeader, reader: PackageReader, as: OpenAs = 'recipient'): OpenedHeader {
  const fileKey = fileKeyFor(raw, reader);
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
  const metadata = parseMetadataBody(body, raw.version, raw.hasRecoveryStanza, raw.passphraseStanza !== null);
  if (!ed25519Verify(metadata.sender.signingKey, metadataSignatureMessage(raw.headerCore, body), signature)) {
    throw new SignatureInvalid('metadata');
  }
  if (metadata.recipients.length + (metadata.recovery ? 1 : 0) !== raw.recipientCount)
    throw new PackageMalformed('its recipient list does not match its header');
  // A passphrase reader has no contact book: the binding is what ties the stanza to the signer (§2.13).
  if (isPassphraseReader(reader)) {
    const expected = passphraseBindingOf(reader.passphraseKey, metadata.sender.signingKey, raw.headerCore);
    if (!constantTimeEqual(Buffer.from(expected, 'hex'), Buffer.from(metadata.passphraseBinding ?? '', 'hex')))
      throw new SignatureInvalid('metadata');
  }
  if (!isPassphraseReader(reader)) {
    const ours = fingerprintHex(reader.card.fingerprint);
    // Only emergency access (services/emergency-access.ts, after recording it) opens as the recovery key.
    const allowed =
      as === 'recovery-key'
        ? metadata.recovery !== null && fingerprintHex(metadata.recovery.fingerprint) === ours
        : metadata.recipients.includes(ours);
    if (!allowed) throw new NotARecipient();
  }
  return { raw, hash: sha256(raw.bytes), keys, metadata };
}

/** Our file key from the stanzas (step 7), or the error that says why there is none. */
function fileKeyFor(raw: RawHeader, reader: PackageReader): Buffer {
  if (isPassphraseReader(reader)) {
    if (!raw.passphraseStanza) throw new NotARecipient('passphrase');
    const fileKey = unwrapFileKeyWithPassphrase(raw.passphraseStanza, raw.salt, reader.passphraseKey);
    if (!fileKey) throw new PackagePassphraseWrong();
    return fileKey;
  }
  let fileKey: Buffer | null;
  if (raw.version === FORMAT_VERSION_POST_QUANTUM) {
    // A reader without a post-quantum key is not a recipient of a version 2 package.
    fileKey = reader.pqSecretKey ? unwrapFileKeyPq(raw.stanzas, reader.pqSecretKey) : null;
  } else {
    fileKey = unwrapFileKey(raw.stanzas, raw.ephemeralPublic!, reader.encryptionSecretKey, reader.card.encryptionKey);
  }
  if (!fileKey) throw new NotARecipient();
  return fileKey;
}
