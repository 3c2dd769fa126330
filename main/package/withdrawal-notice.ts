/**
 * Withdrawal notices (docs/FORMAT.md §5.3): the sender of a package tells a
 * recipient whose inbox it took the package back from that it did so,
 * signed with the sender's identity key and encrypted to the recipient's,
 * so the recipient's MedSeal records a withdrawal only when that sender
 * really made it (services/delivery/withdrawal-notices.ts). It travels as a
 * receipt does (a `.medseal-receipt` item in the recipient's inbox) and is
 * told apart by its magic. The envelope is signed-note.ts's:
 *
 *   "MEDSEAL-WITHDRW1" (16) || E (32) || AES-GCM(k, ZERO12, signature (64) || body)
 *   k         = HKDF(X25519(e, R), E || R, "MEDSEAL-v1-withdrawal")
 *   signature = Ed25519(sender, "MEDSEAL-v1-withdrawal-signature" || R || body)
 *   body      = canonical JSON {"v":1,"package","sender","recipient","at"}
 *
 * R is the recipient's X25519 public key.
 */
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { WithdrawalNoticeRefused } from './errors.js';
import { isNoteOfKind, noteObject, openNote, sealNote, verifyNote, type NoteKind } from './signed-note.js';

export const WITHDRAWAL_NOTICE_MAX_BYTES = 4096;
/** The notice's envelope (exported for test vectors and attacks that build one by hand). */
export const WITHDRAWAL_NOTICE: NoteKind = {
  magic: Buffer.from('MEDSEAL-WITHDRW1', 'ascii'),
  keyInfo: 'MEDSEAL-v1-withdrawal',
  signatureContext: Buffer.from('MEDSEAL-v1-withdrawal-signature', 'ascii'),
  maxBytes: WITHDRAWAL_NOTICE_MAX_BYTES,
  unreadable: () => new WithdrawalNoticeRefused('unreadable'),
  name: 'withdrawal notice',
};
const HEX64 = /^[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface WithdrawalBody {
  /** The package's header hash (hex). */
  readonly package: string;
  /** Fingerprint of the package's sender, who signs the notice. */
  readonly sender: string;
  /** Fingerprint of the recipient it was taken back from, to whom the notice is encrypted. */
  readonly recipient: string;
  readonly at: string;
}

function canonical(body: WithdrawalBody): Buffer {
  return Buffer.from(
    JSON.stringify({ v: 1, package: body.package, sender: body.sender, recipient: body.recipient, at: body.at }),
    'utf8',
  );
}

/** A notice from `sender` (unlocked) to `recipient` that the package `packageHash` was taken back. `ephemeral` only for test vectors. */
export function createWithdrawalNotice(
  sender: UnlockedIdentity,
  recipient: ContactCard,
  packageHash: string,
  at = new Date(),
  ephemeral?: Uint8Array,
): Buffer {
  const body: WithdrawalBody = {
    package: packageHash,
    sender: fingerprintHex(sender.card.fingerprint),
    recipient: fingerprintHex(recipient.fingerprint),
    at: at.toISOString(),
  };
  if (!HEX64.test(body.package)) throw new Error('a package is named by its header hash');
  return sealNote(WITHDRAWAL_NOTICE, sender.signingSecretKey, recipient.encryptionKey, canonical(body), ephemeral);
}

/** Whether these bytes claim to be a withdrawal notice (its magic); a receipt never does. */
export function isWithdrawalNotice(bytes: Uint8Array): boolean {
  return isNoteOfKind(WITHDRAWAL_NOTICE, bytes);
}

/** Decrypts a notice addressed to `me`; `verifyWithdrawalNotice` checks its signature once the sender is known. */
export function decryptWithdrawalNotice(
  me: UnlockedIdentity,
  bytes: Uint8Array,
): { body: WithdrawalBody; json: Buffer; signature: Buffer } {
  const { body: json, signature } = openNote(WITHDRAWAL_NOTICE, me, bytes);
  const body = parseBody(json);
  if (body.recipient !== fingerprintHex(me.card.fingerprint)) throw new WithdrawalNoticeRefused('unreadable');
  return { body, json, signature };
}

/** Whether the sender's card signed this notice for the recipient key `recipientEncryptionKey`. */
export function verifyWithdrawalNotice(
  sender: ContactCard,
  recipientEncryptionKey: Uint8Array,
  json: Uint8Array,
  signature: Uint8Array,
): boolean {
  return verifyNote(WITHDRAWAL_NOTICE, sender.signingKey, recipientEncryptionKey, json, signature);
}

function parseBody(json: Buffer): WithdrawalBody {
  const note = noteObject(json);
  if (!note) throw new WithdrawalNoticeRefused('unreadable');
  const { v, rest } = note;
  const body = rest as unknown as WithdrawalBody;
  const valid =
    v === 1 &&
    Object.keys(body).length === 4 &&
    typeof body.package === 'string' &&
    HEX64.test(body.package) &&
    typeof body.sender === 'string' &&
    HEX64.test(body.sender) &&
    typeof body.recipient === 'string' &&
    HEX64.test(body.recipient) &&
    typeof body.at === 'string' &&
    ISO_TIME.test(body.at);
  if (!valid || !canonical(body).equals(json)) throw new WithdrawalNoticeRefused('unreadable');
  return body;
}
