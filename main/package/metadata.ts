/**
 * The encrypted metadata of a package: who sent it, to whom, when, which
 * files (names and sizes) and the note. It travels inside the header,
 * encrypted, followed by the sender's signature over it and the header's
 * recipient section (docs/FORMAT.md, "Metadata"). A package sealed under an
 * organisation recovery key also names that key here (§2.12), so every
 * recipient sees who else can open it. Two optional members make packages a
 * thread (thread-fields.ts): `replyTo`, the header hash of the package this
 * one answers, and a one-line `subject`; both are written only when set, so a
 * package without them is byte for byte what it was before they existed.
 * A package with a passphrase stanza (§2.13) names its passphrase recipient
 * here (`passphraseRecipient`: the name, e-mail and phone the sender typed);
 * its `recipients` may then be empty.
 */
import { canonicalGossipHead, GossipHeadSchema, type GossipHead } from './gossip-head.js';
import { z } from 'zod';
import { decodeCard, type ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { isRecoveryCard } from '../org-recovery/recovery-key.js';
import { CardMalformed, CardSignatureInvalid } from '../identity/errors.js';
import { fileNameCollisionKey, fileNameProblem, LONE_SURROGATE } from './file-names.js';
import { MAX_FILES, MAX_NOTE_BYTES, MAX_TOTAL_BYTES, MAX_RECIPIENTS, type FormatVersion } from './format.js';
import { PackageMalformed, SignatureInvalid } from './errors.js';
import { isHeaderHash, subjectProblem } from './thread-fields.js';
import {
  passphraseRecipientProblem,
  PassphraseRecipientSchema,
  type PassphraseRecipient,
} from './passphrase-recipient.js';
import { parseStrictJson } from '../validation/strict-json.js';

export interface PackageFileEntry {
  readonly name: string;
  readonly size: number;
}

export interface PackageMetadata {
  readonly sender: ContactCard;
  /** Hex fingerprints of every recipient's card, in stanza order. */
  readonly recipients: readonly string[];
  readonly createdAt: string;
  readonly files: readonly PackageFileEntry[];
  readonly note: string;
  /** The organisation recovery key's card when the last stanza is for it (header flag), else null. */
  readonly recovery: ContactCard | null;
  /** Who the passphrase stanza is for, as the sender typed it (header flag bit 1), else null. */
  readonly passphraseRecipient: PassphraseRecipient | null;
  /**
   * With a passphrase stanza: the tag that binds it to this sender and header (passphrase-stanza.ts,
   * FORMAT.md §2.13), which a passphrase reader checks; null without one (a sealer leaves it null:
   * the header fills it in).
   */
  readonly passphraseBinding: string | null;
  /**
   * The head of the sender's own organisation's directory as the sender's workstation last accepted
   * it, signed by the directory key (FORMAT.md §11, gossip), or null: readers that hold that
   * organisation's directory check it for a fork.
   */
  readonly directoryHead: GossipHead | null;
  /** The header hash (hex) of the package this one answers, or null. */
  readonly replyTo: string | null;
  /** A short line saying what the package is about, or null. */
  readonly subject: string | null;
}

const cardField = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/)
  .max(8192);

const MetadataBodySchema = z.strictObject({
  version: z.union([z.literal(1), z.literal(2)]),
  sender: cardField,
  recipients: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(MAX_RECIPIENTS), // at least one unless the package has a passphrase stanza (checked below)
  createdAt: z.iso.datetime({ offset: false }),
  files: z
    .array(z.strictObject({ name: z.string(), size: z.number().int().min(0).max(MAX_TOTAL_BYTES) }))
    .min(1)
    .max(MAX_FILES),
  note: z
    .string()
    .refine((note) => Buffer.byteLength(note, 'utf8') <= MAX_NOTE_BYTES, 'is too long')
    .refine((note) => !LONE_SURROGATE.test(note), 'contains an unpaired UTF-16 surrogate'),
  recovery: cardField.optional(),
  passphraseRecipient: PassphraseRecipientSchema.optional(),
  passphraseBinding: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  directoryHead: GossipHeadSchema.optional(),
  // Their limits are checked by metadataProblem, with the sealer's rule: here only their types.
  replyTo: z.string().optional(),
  subject: z.string().optional(),
});

/** `version` is the package's format version, which the body repeats (and readers compare). */
export function encodeMetadataBody(metadata: PackageMetadata, version: FormatVersion): Buffer {
  return Buffer.from(
    JSON.stringify({
      version,
      sender: Buffer.from(metadata.sender.bytes).toString('base64'),
      recipients: metadata.recipients,
      createdAt: metadata.createdAt,
      files: metadata.files.map((file) => ({ name: file.name, size: file.size })),
      note: metadata.note,
      ...(metadata.recovery ? { recovery: Buffer.from(metadata.recovery.bytes).toString('base64') } : {}),
      ...(metadata.passphraseRecipient === null
        ? {}
        : {
            passphraseRecipient: {
              name: metadata.passphraseRecipient.name,
              email: metadata.passphraseRecipient.email,
              ...(metadata.passphraseRecipient.phone === null ? {} : { phone: metadata.passphraseRecipient.phone }),
            },
          }),
      ...(metadata.passphraseBinding === null ? {} : { passphraseBinding: metadata.passphraseBinding }),
      ...(metadata.directoryHead === null ? {} : { directoryHead: canonicalGossipHead(metadata.directoryHead) }),
      ...(metadata.replyTo === null ? {} : { replyTo: metadata.replyTo }),
      ...(metadata.subject === null ? {} : { subject: metadata.subject }),
    }),
    'utf8',
  );
}

/** Problems shared by the sealer (before writing) and the opener (after decrypting). */
export function metadataProblem(
  metadata: Pick<
    PackageMetadata,
    'files' | 'note' | 'recipients' | 'recovery' | 'passphraseRecipient' | 'replyTo' | 'subject'
  >,
): string | null {
  const seen = new Set<string>();
  let total = 0;
  for (const [index, file] of metadata.files.entries()) {
    const problem = fileNameProblem(file.name);
    if (problem) return `the name of file ${index + 1} is not allowed: ${problem}`;
    const key = fileNameCollisionKey(file.name);
    if (seen.has(key)) return `two files share the name of file ${index + 1}`;
    seen.add(key);
    total += file.size;
    if (total > MAX_TOTAL_BYTES) return 'the files are too large in total';
  }
  if (new Set(metadata.recipients).size !== metadata.recipients.length) return 'a recipient is listed twice';
  if (metadata.recipients.length === 0 && metadata.passphraseRecipient === null) return 'it names no recipient';
  const passphraseProblem =
    metadata.passphraseRecipient === null ? null : passphraseRecipientProblem(metadata.passphraseRecipient);
  if (passphraseProblem) return `the ${passphraseProblem} of its passphrase recipient is not allowed`;
  if (metadata.recovery && metadata.recipients.includes(fingerprintHex(metadata.recovery.fingerprint)))
    return 'the recovery key is also listed as a recipient';
  if (metadata.recovery && (!isRecoveryCard(metadata.recovery) || !metadata.recovery.pqKey))
    return 'the key named for emergency access is not an organisation recovery key';
  if (Buffer.byteLength(metadata.note, 'utf8') > MAX_NOTE_BYTES) return 'the note is too long';
  if (LONE_SURROGATE.test(metadata.note)) return 'the note contains an unpaired UTF-16 surrogate';
  if (metadata.replyTo !== null && !isHeaderHash(metadata.replyTo))
    return 'the package it answers is not named by a header hash';
  if (metadata.subject !== null && subjectProblem(metadata.subject) !== null) return 'its subject is not allowed';
  return null;
}

/**
 * Parses decrypted metadata bytes; the caller has already checked the header MAC. The body's
 * `version` must be the header's: a classical package cannot claim version 2 features, nor the reverse.
 * Likewise a `recovery` member is required exactly when the header's recovery flag is set.
 */
export function parseMetadataBody(
  body: Uint8Array,
  version: FormatVersion,
  hasRecoveryStanza: boolean,
  hasPassphraseStanza = false,
): PackageMetadata {
  const parsed = parseStrictJson(body, MetadataBodySchema);
  if (!parsed.ok) throw new PackageMalformed(`its metadata is invalid: ${parsed.problem}`);
  if (parsed.value.version !== version)
    throw new PackageMalformed('its metadata names another format version than its header');
  if ((parsed.value.recovery !== undefined) !== hasRecoveryStanza)
    throw new PackageMalformed('its metadata and its header disagree about an organisation recovery key');
  if ((parsed.value.passphraseRecipient !== undefined) !== hasPassphraseStanza)
    throw new PackageMalformed('its metadata and its header disagree about a passphrase recipient');
  if ((parsed.value.passphraseBinding !== undefined) !== hasPassphraseStanza)
    throw new PackageMalformed('its passphrase stanza is not bound to its sender');
  const passphrase = parsed.value.passphraseRecipient;
  const metadata: PackageMetadata = {
    sender: cardIn(parsed.value.sender, 'sender-card', "the sender's contact card is invalid"),
    recipients: parsed.value.recipients,
    createdAt: parsed.value.createdAt,
    files: parsed.value.files,
    note: parsed.value.note,
    recovery:
      parsed.value.recovery === undefined
        ? null
        : cardIn(parsed.value.recovery, 'recovery-card', "the organisation recovery key's card is invalid"),
    passphraseRecipient:
      passphrase === undefined
        ? null
        : { name: passphrase.name, email: passphrase.email, phone: passphrase.phone ?? null },
    passphraseBinding: parsed.value.passphraseBinding ?? null,
    directoryHead: parsed.value.directoryHead ?? null,
    replyTo: parsed.value.replyTo ?? null,
    subject: parsed.value.subject ?? null,
  };
  const problem = metadataProblem(metadata);
  if (problem) throw new PackageMalformed(problem);
  // Only the canonical encoding is accepted: no duplicate keys, no other order, no whitespace.
  if (!encodeMetadataBody(metadata, version).equals(Buffer.from(body)))
    throw new PackageMalformed('its metadata is not in canonical form');
  return metadata;
}

function cardIn(base64: string, signatureName: 'sender-card' | 'recovery-card', malformed: string): ContactCard {
  try {
    return decodeCard(Buffer.from(base64, 'base64'));
  } catch (error) {
    if (error instanceof CardSignatureInvalid) throw new SignatureInvalid(signatureName);
    if (error instanceof CardMalformed) throw new PackageMalformed(malformed);
    throw error;
  }
}

export function totalSize(files: readonly PackageFileEntry[]): number {
  return files.reduce((sum, file) => sum + file.size, 0);
}
