/**
 * The cleartext front of a backup file (docs/FORMAT.md §8):
 *
 *   "MSBACKUP" | version (1 byte) | header length (u32 BE) | header (UTF-8 JSON)
 *
 * The header names the identity (fingerprint), the time, and carries the
 * identity's keystore as it was (its passphrase and recovery slots wrap the
 * master key), the payload key wrapped under a key derived from that master
 * key, and the secretstream header of the payload that follows. Everything
 * in it is authenticated: the payload's every chunk binds the SHA-256 of
 * these bytes, and the payload-key wrap binds the fingerprint and time.
 */
import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { parseStrictJson } from '../validation/strict-json.js';
import { base64Bytes } from '../validation/base64-bytes.js';
import { BackupTooNew, BackupUnreadable, NotABackup } from './errors.js';
import { RECOVERY_SLOT_BYTES, type RecoverySlot } from './recovery-slot.js';

export const BACKUP_MAGIC = Buffer.from('MSBACKUP', 'ascii');
export const BACKUP_VERSION = 1;
export const PREFIX_BYTES = BACKUP_MAGIC.length + 1 + 4;
const MAX_HEADER_BYTES = 1024 * 1024;

const HeaderSchema = z.strictObject({
  format: z.literal('medseal-backup'),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.iso.datetime({ offset: false }),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  keystore: z.string().max(64 * 1024),
  payloadKey: z.strictObject({ nonce: base64Bytes(24), ciphertext: base64Bytes(32 + 16) }),
  orgRecovery: z
    .strictObject({ recoveryKey: z.string().regex(/^[0-9a-f]{64}$/), stanza: base64Bytes(RECOVERY_SLOT_BYTES) })
    .optional(),
  stream: z.strictObject({
    header: base64Bytes(24),
    chunkBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024),
  }),
});

export interface BackupHeader {
  readonly format: 'medseal-backup';
  readonly version: typeof BACKUP_VERSION;
  readonly createdAt: string;
  readonly fingerprint: string;
  /** The identity's keystore text as it was (docs/FORMAT.md §4). */
  readonly keystore: string;
  readonly payloadKey: { readonly nonce: Uint8Array; readonly ciphertext: Uint8Array };
  /** The organisation's slot (policy `orgRecoveryKey` when the backup was made), §8.1. */
  readonly orgRecovery?: RecoverySlot;
  readonly stream: { readonly header: Uint8Array; readonly chunkBytes: number };
}

const enc = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The prefix and header bytes, and their SHA-256 (the payload's associated data). */
export function encodeBackupHeader(header: BackupHeader): { bytes: Buffer; digest: Buffer } {
  const json = Buffer.from(
    JSON.stringify({
      format: header.format,
      version: header.version,
      createdAt: header.createdAt,
      fingerprint: header.fingerprint,
      keystore: header.keystore,
      payloadKey: { nonce: enc(header.payloadKey.nonce), ciphertext: enc(header.payloadKey.ciphertext) },
      ...(header.orgRecovery
        ? { orgRecovery: { recoveryKey: header.orgRecovery.recoveryKey, stanza: enc(header.orgRecovery.stanza) } }
        : {}),
      stream: { header: enc(header.stream.header), chunkBytes: header.stream.chunkBytes },
    }),
    'utf8',
  );
  const prefix = Buffer.alloc(PREFIX_BYTES);
  BACKUP_MAGIC.copy(prefix);
  prefix[BACKUP_MAGIC.length] = BACKUP_VERSION;
  prefix.writeUInt32BE(json.length, BACKUP_MAGIC.length + 1);
  const bytes = Buffer.concat([prefix, json]);
  return { bytes, digest: createHash('sha256').update(bytes).digest() };
}

/** How many header bytes follow the prefix; NotABackup / BackupTooNew / BackupUnreadable otherwise. */
export function headerLengthFrom(prefix: Uint8Array): number {
  if (prefix.length < PREFIX_BYTES || !Buffer.from(prefix.subarray(0, BACKUP_MAGIC.length)).equals(BACKUP_MAGIC))
    throw new NotABackup();
  const version = prefix[BACKUP_MAGIC.length]!;
  if (version > BACKUP_VERSION) throw new BackupTooNew(version);
  if (version !== BACKUP_VERSION) throw new BackupUnreadable(`its format version ${version} is unknown`);
  const length = Buffer.from(prefix).readUInt32BE(BACKUP_MAGIC.length + 1);
  if (length === 0 || length > MAX_HEADER_BYTES) throw new BackupUnreadable('its header is damaged');
  return length;
}

/** Parses the header that follows `prefix`; returns it with the digest of prefix and header. */
export function parseBackupHeader(prefix: Uint8Array, json: Uint8Array): { header: BackupHeader; digest: Buffer } {
  const parsed = parseStrictJson(json, HeaderSchema);
  if (!parsed.ok) throw new BackupUnreadable(`its header is damaged (${parsed.problem})`);
  return { header: parsed.value, digest: createHash('sha256').update(prefix).update(json).digest() };
}

/** Reads and parses the front of an open backup file: its header, the digest, and where the payload starts. */
export async function readBackupHeader(
  handle: FileHandle,
): Promise<{ header: BackupHeader; digest: Buffer; payloadAt: number }> {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  await handle.read(prefix, 0, PREFIX_BYTES, 0);
  const length = headerLengthFrom(prefix);
  const json = Buffer.alloc(length);
  const { bytesRead } = await handle.read(json, 0, length, PREFIX_BYTES);
  if (bytesRead !== length) throw new BackupUnreadable('it is cut short');
  return { ...parseBackupHeader(prefix, json), payloadAt: PREFIX_BYTES + length };
}
