/**
 * One audit event and how it is chained (docs/AUDIT.md): each entry's hash
 * covers the previous entry's hash and every field, and the identity's
 * Ed25519 key signs that hash. Fields say who, what, when, to whom, how many
 * files and bytes — never file names, notes or contents: `detail` is limited
 * to a short code so that nothing else can be written there.
 */
import { sha256 } from '../crypto/primitives.js';

export const AUDIT_ACTIONS = [
  'identity.created',
  'identity.unlocked',
  'identity.unlock-failed',
  'identity.passphrase-changed',
  'contact.imported',
  'contact.verified',
  'contact.key-changed',
  'contact.removed',
  'package.sealed',
  'package.opened',
  'package.open-refused',
  'audit.exported',
  'store.contact-set-created',
  'audit.pending-rejected',
  'exchange.added',
  'exchange.removed',
  'package.delivered',
  'receipt.sent',
  'receipt.received',
  'receipt.refused',
  'identity.post-quantum-added',
  'identity.recovery-kit-created',
  'identity.recovered',
  'identity.backed-up',
  'identity.restored',
  'contact.replacement-rejected',
  'emergency-access.used',
  'package.alarm-overridden',
  'contact.identity-changed',
  'store.contact-set-upgraded',
  'folder.changed',
  'directory.refused',
  'partner.added',
  'partner.removed',
  'package.unverified-allowed',
  'package.withdrawn',
  'package.withdrawn-by-sender',
  'invitation.sent',
  'invitation.card-accepted',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEventInput {
  readonly action: AuditAction;
  readonly at?: Date;
  /** Fingerprints of the other parties (recipients, sender, contact). */
  readonly counterparts?: readonly string[];
  readonly fileCount?: number | null;
  readonly totalBytes?: number | null;
  /** A reason or error code such as PACKAGE_TAMPERED or csv; never free text. */
  readonly detail?: string | null;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: AuditAction;
  readonly counterparts: readonly string[];
  readonly fileCount: number | null;
  readonly totalBytes: number | null;
  readonly detail: string | null;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
  readonly signature: Buffer;
}

/** What verifying the chain found: every entry good, or the first bad one and how it is bad. */
export type AuditVerification =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly entries: number; readonly firstBadSeq: number; readonly problem: AuditProblem };

export type AuditProblem =
  | 'edited'
  | 'forged-signature'
  | 'deleted'
  | 'out-of-order'
  | 'inserted'
  | 'head-missing'
  | 'truncated'
  | 'selection-changed';

export const GENESIS_HASH = Buffer.alloc(32);
export const ENTRY_CONTEXT = Buffer.from('MEDSEAL-v1-audit-entry', 'ascii');
export const SIGNATURE_CONTEXT = Buffer.from('MEDSEAL-v1-audit-signature', 'ascii');
export const HEAD_CONTEXT = Buffer.from('MEDSEAL-v1-audit-head', 'ascii');

const DETAIL_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;

/** Refuses anything that could carry patient information into the log. */
export function assertLoggable(event: AuditEventInput): void {
  if (!AUDIT_ACTIONS.includes(event.action)) throw new Error('unknown audit action');
  if (event.detail != null && !DETAIL_PATTERN.test(event.detail)) throw new Error('audit detail must be a short code');
  for (const counterpart of event.counterparts ?? [])
    if (!FINGERPRINT_PATTERN.test(counterpart)) throw new Error('audit counterparts must be fingerprints');
  for (const count of [event.fileCount, event.totalBytes])
    if (count != null && (!Number.isSafeInteger(count) || count < 0))
      throw new Error('audit counts must be whole numbers');
}

type EntryFields = Pick<
  AuditEntry,
  'seq' | 'at' | 'actor' | 'action' | 'counterparts' | 'fileCount' | 'totalBytes' | 'detail'
>;

/** SHA-256(context || previous hash || canonical JSON of the fields). */
export function entryHash(prevHash: Uint8Array, fields: EntryFields): Buffer {
  const canonical = JSON.stringify([
    fields.seq,
    fields.at,
    fields.actor,
    fields.action,
    fields.counterparts,
    fields.fileCount,
    fields.totalBytes,
    fields.detail,
  ]);
  return sha256(ENTRY_CONTEXT, prevHash, Buffer.from(canonical, 'utf8'));
}

export function signatureMessage(hash: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, hash]);
}

/** An entry's number as it is signed: u64, big-endian (the head, a filtered export's statement). */
export function seqBytes(seq: number): Buffer {
  const position = Buffer.alloc(8);
  position.writeBigUInt64BE(BigInt(seq));
  return position;
}

export function headMessage(seq: number, hash: Uint8Array): Buffer {
  return Buffer.concat([HEAD_CONTEXT, seqBytes(seq), hash]);
}
