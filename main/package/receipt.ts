/**
 * Signed receipts (docs/FORMAT.md §5, `.medseal-receipt`): the recipient of
 * a package tells its sender "opened" or "refused (code)", signed with the
 * recipient's identity key and encrypted to the sender's X25519 key, so the
 * sender can prove who took in what, and nobody on the way (an SFTP server,
 * a share) learns it. The envelope is signed-note.ts's:
 *
 *   "MEDSEAL-RECEIPT1" (16) || E (32) || AES-GCM(k, ZERO12, signature (64) || body)
 *   k         = HKDF(X25519(e, S), E || S, "MEDSEAL-v1-receipt")
 *   signature = Ed25519(recipient, "MEDSEAL-v1-receipt-signature" || S || body)
 *   body      = canonical JSON {"v","package","sender","recipient","outcome","reason","at"[,"directoryHead"]}
 *
 * S is the sender's X25519 public key; a fresh e per receipt makes the
 * all-zero nonce safe, as for stanzas.
 */
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { InvalidReceipt } from './errors.js';
import { canonicalGossipHead, GossipHeadSchema, type GossipHead } from './gossip-head.js';
import { noteObject, openNote, sealNote, verifyNote, type NoteKind } from './signed-note.js';

export const RECEIPT_MAGIC = Buffer.from('MEDSEAL-RECEIPT1', 'ascii');
export const RECEIPT_MAX_BYTES = 4096;
const RECEIPT: NoteKind = {
  magic: RECEIPT_MAGIC,
  keyInfo: 'MEDSEAL-v1-receipt',
  signatureContext: Buffer.from('MEDSEAL-v1-receipt-signature', 'ascii'),
  maxBytes: RECEIPT_MAX_BYTES,
  unreadable: (problem) => new InvalidReceipt(problem),
  name: 'receipt',
};
const HEX64 = /^[0-9a-f]{64}$/;
const REASON = /^[A-Z][A-Z0-9_]{0,63}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type ReceiptOutcome = 'opened' | 'refused';

export interface ReceiptBody {
  /** The package's header hash (hex). */
  readonly package: string;
  /** Fingerprint of the package's sender, to whom the receipt is encrypted. */
  readonly sender: string;
  /** Fingerprint of the recipient who signs it. */
  readonly recipient: string;
  readonly outcome: ReceiptOutcome;
  /** For `refused`: the error code (PACKAGE_TAMPERED, SENDER_UNTRUSTED…); null for `opened`. */
  readonly reason: string | null;
  readonly at: string;
  /** Gossip (FORMAT.md §11): the head of the signer's own organisation's directory, when it holds one. */
  readonly directoryHead?: GossipHead;
}

/** The one byte string a body has: keys in this order, no spaces. */
export function canonicalReceiptBody(body: ReceiptBody): Buffer {
  return Buffer.from(
    JSON.stringify({
      v: 1,
      package: body.package,
      sender: body.sender,
      recipient: body.recipient,
      outcome: body.outcome,
      reason: body.reason,
      at: body.at,
      ...(body.directoryHead ? { directoryHead: canonicalGossipHead(body.directoryHead) } : {}),
    }),
    'utf8',
  );
}

/** Writes a receipt from `recipient` (unlocked) to the package's sender. `ephemeral` only for test vectors. */
export function createReceipt(
  recipient: UnlockedIdentity,
  sender: ContactCard,
  body: Omit<ReceiptBody, 'sender' | 'recipient'>,
  ephemeral?: Uint8Array,
): Buffer {
  const full: ReceiptBody = {
    ...body,
    sender: fingerprintHex(sender.fingerprint),
    recipient: fingerprintHex(recipient.card.fingerprint),
  };
  assertBody(full);
  return sealNote(RECEIPT, recipient.signingSecretKey, sender.encryptionKey, canonicalReceiptBody(full), ephemeral);
}

/** Decrypts a receipt addressed to `me`; the signature is checked by `verifyReceiptSignature` once the signer is known. */
export function decryptReceipt(
  me: UnlockedIdentity,
  bytes: Uint8Array,
): { body: ReceiptBody; json: Buffer; signature: Buffer } {
  const { body: json, signature } = openNote(RECEIPT, me, bytes);
  const body = parseBody(json);
  if (body.sender !== fingerprintHex(me.card.fingerprint)) throw new InvalidReceipt('it names another sender');
  return { body, json, signature };
}

/** Whether the recipient's card signed this receipt for the sender key `senderEncryptionKey`. */
export function verifyReceiptSignature(
  signer: ContactCard,
  senderEncryptionKey: Uint8Array,
  json: Uint8Array,
  signature: Uint8Array,
): boolean {
  return verifyNote(RECEIPT, signer.signingKey, senderEncryptionKey, json, signature);
}

function parseBody(json: Buffer): ReceiptBody {
  const note = noteObject(json);
  if (!note) throw new InvalidReceipt('its contents are not readable');
  const { v, rest } = note;
  if (v !== 1) throw new InvalidReceipt('it was made by a newer MedSeal; update to read it');
  const body = rest as unknown as ReceiptBody;
  assertBody(body);
  if (!canonicalReceiptBody(body).equals(json))
    throw new InvalidReceipt('its contents are not in the one permitted form');
  return body;
}

function assertBody(body: ReceiptBody): void {
  const ok =
    typeof body.package === 'string' &&
    HEX64.test(body.package) &&
    typeof body.sender === 'string' &&
    HEX64.test(body.sender) &&
    typeof body.recipient === 'string' &&
    HEX64.test(body.recipient) &&
    (body.outcome === 'opened'
      ? body.reason === null
      : body.outcome === 'refused' && typeof body.reason === 'string' && REASON.test(body.reason)) &&
    typeof body.at === 'string' &&
    ISO_TIME.test(body.at) &&
    (body.directoryHead === undefined || GossipHeadSchema.safeParse(body.directoryHead).success) &&
    Object.keys(body).length === (body.directoryHead === undefined ? 6 : 7);
  if (!ok) throw new InvalidReceipt('its contents are not a valid receipt');
}
