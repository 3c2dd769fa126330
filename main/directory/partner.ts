/**
 * A partner organisation as IT adds it (docs/FORMAT.md §11, issue "partner
 * organisations"): the name IT calls it by, its directory key, and where its
 * directory file is fetched from. The key is compared IT-to-IT by phone as a
 * 30-digit code (the same digits and grouping as a safety number), so that
 * a key sent by e-mail cannot be swapped on the way; its id (SHA-256 of the
 * key) names the partner in the audit log and the SIEM.
 */
import { createHash } from 'node:crypto';
import { sha256 } from '../crypto/primitives.js';

export interface PartnerOrganisation {
  /** What IT calls the partner ("City Clinic"): shown to clinicians in "Vouched for by …". */
  readonly name: string;
  /** The partner's directory key (Ed25519 public key, base64). */
  readonly key: string;
  /** Where its `.medseal-directory` is fetched from: https://…, a folder path, or sftp://… */
  readonly source: string;
}

const KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
const CODE_CONTEXT = 'MEDSEAL-v1-directory-key-code';

export function isDirectoryKey(text: string): boolean {
  return KEY_PATTERN.test(text) && Buffer.from(text, 'base64').length === 32;
}

/** The partner's id: SHA-256 of its directory key, 64 hex digits. */
export function partnerIdOf(key: string): string {
  return sha256(Buffer.from('MEDSEAL-v1-partner-id', 'ascii'), Buffer.from(key, 'base64')).toString('hex');
}

/** The 30 digits IT reads to the partner's IT (and hears back) before adding a directory key. */
export function directoryKeyCode(key: string): string {
  const digest = createHash('sha512').update(CODE_CONTEXT).update(Buffer.from(key, 'base64')).digest();
  let digits = '';
  for (let group = 0; group < 6; group++)
    digits += (digest.readUIntBE(group * 5, 5) % 100000).toString().padStart(5, '0');
  return digits;
}
