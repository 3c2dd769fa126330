/**
 * Constants of the .medseal package format, version 1. docs/FORMAT.md is the
 * specification; every number here appears there with its meaning.
 */
export const MAGIC = Buffer.from('MEDSEAL', 'ascii');
/** X25519 recipient stanzas (docs/FORMAT.md §2): read always, written when a recipient has no post-quantum key. */
export const FORMAT_VERSION_CLASSICAL = 1;
/** X-Wing (ML-KEM-768 + X25519) recipient stanzas (docs/FORMAT.md §2.11). */
export const FORMAT_VERSION_POST_QUANTUM = 2;
export type FormatVersion = typeof FORMAT_VERSION_CLASSICAL | typeof FORMAT_VERSION_POST_QUANTUM;
export const PACKAGE_FILE_EXTENSION = '.medseal';

export const SALT_BYTES = 32;
export const FILE_KEY_BYTES = 32;
export const X25519_KEY_BYTES = 32;
export const STANZA_BYTES = 48; // AES-256-GCM(file key): 32 + 16-byte tag
export const STANZA_BYTES_V2 = 1120 + STANZA_BYTES; // X-Wing ciphertext, then the same wrapped file key
export const HEADER_MAC_BYTES = 32;
export const FIXED_HEADER_BYTES = 76; // the fields of layout.ts: magic 7, version 1, chunk log2 1, flags 1, count 2, salt 32, ephemeral 32
export const FIXED_HEADER_BYTES_V2 = 44; // the same without the ephemeral key: each v2 stanza has its own KEM ciphertext
export const METADATA_LENGTH_BYTES = 4;
export const CHUNK_OVERHEAD_BYTES = 64 + 16; // sender signature + GCM tag

/**
 * Header byte 9 (docs/FORMAT.md §2.12). Bit 0: the last stanza is the organisation's recovery
 * recipient, named in the metadata's `recovery` member. Other bits are for later formats.
 */
export const FLAG_RECOVERY_STANZA = 0x01;
/**
 * Bit 1 (docs/FORMAT.md §2.13, version 2 only): a passphrase stanza of PASSPHRASE_STANZA_BYTES follows
 * the N recipient stanzas, and the metadata names the passphrase recipient (`passphraseRecipient`).
 */
export const FLAG_PASSPHRASE_STANZA = 0x02;
export const KNOWN_FLAGS = FLAG_RECOVERY_STANZA | FLAG_PASSPHRASE_STANZA;
/** Argon2id salt (16) | opsLimit (u32) | memLimit in KiB (u32) | the wrapped file key (48). */
export const PASSPHRASE_STANZA_BYTES = 16 + 4 + 4 + STANZA_BYTES;

export const MIN_CHUNK_SIZE_LOG2 = 12; // 4 KiB
export const MAX_CHUNK_SIZE_LOG2 = 24; // 16 MiB
export const DEFAULT_CHUNK_SIZE_LOG2 = 20; // 1 MiB

export const MIN_RECIPIENTS = 1;
/** A package with a passphrase stanza may have no other recipient (docs/FORMAT.md §2.13). */
export const MIN_RECIPIENTS_WITH_PASSPHRASE = 0;
export const MAX_RECIPIENTS = 1024;
export const MAX_FILES = 10_000;
export const MAX_FILE_NAME_BYTES = 255;
export const MAX_NOTE_BYTES = 65_536;
/** The optional `subject` of a package (§2.4): at most this many Unicode characters (code points). */
export const MAX_SUBJECT_CHARACTERS = 200;
export const MAX_METADATA_BODY_BYTES = 1_048_576;
export const MAX_TOTAL_BYTES = Number.MAX_SAFE_INTEGER;

/** Domain-separation strings: every key and every signature has its own. */
export const LABEL = {
  stanza: 'MEDSEAL-v1-stanza',
  stanzaV2: 'MEDSEAL-v2-stanza',
  passphraseStanza: 'MEDSEAL-v2-passphrase-stanza',
  passphraseReceipt: 'MEDSEAL-v2-passphrase-receipt',
  passphraseBinding: 'MEDSEAL-v2-passphrase-binding',
  headerMac: 'MEDSEAL-v1-header-mac',
  metadata: 'MEDSEAL-v1-metadata',
  payload: 'MEDSEAL-v1-payload',
  metadataSignature: 'MEDSEAL-v1-metadata-signature',
  chunkSignature: 'MEDSEAL-v1-chunk-signature',
} as const;

/** The sizes that differ between format versions. */
export function versionLayout(version: FormatVersion): { readonly fixedBytes: number; readonly stanzaBytes: number } {
  return version === FORMAT_VERSION_POST_QUANTUM
    ? { fixedBytes: FIXED_HEADER_BYTES_V2, stanzaBytes: STANZA_BYTES_V2 }
    : { fixedBytes: FIXED_HEADER_BYTES, stanzaBytes: STANZA_BYTES };
}

export function chunkCount(totalBytes: number, chunkSize: number): number {
  return totalBytes === 0 ? 1 : Math.ceil(totalBytes / chunkSize);
}

export function payloadLength(totalBytes: number, chunkSize: number): number {
  return totalBytes + chunkCount(totalBytes, chunkSize) * CHUNK_OVERHEAD_BYTES;
}
