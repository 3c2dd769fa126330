/**
 * The envelope of the small signed messages a package's sender and its
 * recipients send each other (docs/FORMAT.md §5): a receipt (recipient →
 * sender: opened or refused) and a withdrawal notice (sender → recipient:
 * taken back). One construction, each kind with its own magic, key info and
 * signature context, so one kind can never be read as the other:
 *
 *   magic (16) || E (32) || AES-GCM(k, ZERO12, signature (64) || body)
 *   k         = HKDF(X25519(e, A), E || A, keyInfo)
 *   signature = Ed25519(author, signatureContext || A || body)
 *
 * A is the addressee's X25519 public key (from their card); a fresh e per
 * message makes the all-zero nonce safe, as for package stanzas. Nobody on
 * the way (an SFTP server, a share) learns what it says.
 */
import {
  aesGcmOpen,
  aesGcmSeal,
  ed25519Sign,
  ed25519Verify,
  hkdfSha256,
  randomBytes,
  wipe,
  x25519,
  x25519PublicKey,
} from '../crypto/primitives.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';

export interface NoteKind {
  readonly magic: Buffer;
  readonly keyInfo: string;
  readonly signatureContext: Buffer;
  readonly maxBytes: number;
  /** The kind's error for a message that is not readable (`problem`: plain words, no data). */
  readonly unreadable: (problem: string) => Error;
  /** How the problems name it: "receipt", "withdrawal notice". */
  readonly name: string;
}

const ZERO12 = Buffer.alloc(12);
const SIGNATURE_BYTES = 64;

/** Signs `body` with the author's key and encrypts it to `addresseeKey`. `ephemeral` only for test vectors. */
export function sealNote(
  kind: NoteKind,
  authorSigningSecretKey: Uint8Array,
  addresseeKey: Uint8Array,
  body: Buffer,
  ephemeral?: Uint8Array,
): Buffer {
  const signature = ed25519Sign(authorSigningSecretKey, Buffer.concat([kind.signatureContext, addresseeKey, body]));
  const e = ephemeral ?? randomBytes(32);
  const E = x25519PublicKey(e);
  const shared = x25519(e, addresseeKey);
  if (!shared) throw kind.unreadable('the key it is for is not usable');
  const key = hkdfSha256(shared, Buffer.concat([E, addresseeKey]), kind.keyInfo);
  try {
    return Buffer.concat([kind.magic, E, aesGcmSeal(key, ZERO12, Buffer.concat([signature, body]))]);
  } finally {
    wipe(shared, key);
    if (!ephemeral) wipe(e); // a vector's fixed key is the caller's
  }
}

/** Decrypts a message of this kind addressed to `me`; the signature is checked by `verifyNote` once the author is known. */
export function openNote(kind: NoteKind, me: UnlockedIdentity, bytes: Uint8Array): { body: Buffer; signature: Buffer } {
  if (bytes.length > kind.maxBytes || bytes.length < kind.magic.length + 32 + 16 + SIGNATURE_BYTES)
    throw kind.unreadable(`it is not a MedSeal ${kind.name}, or it is cut short`);
  if (!Buffer.from(bytes.subarray(0, kind.magic.length)).equals(kind.magic))
    throw kind.unreadable(`it is not a MedSeal ${kind.name}`);
  const E = bytes.subarray(kind.magic.length, kind.magic.length + 32);
  const shared = x25519(me.encryptionSecretKey, E);
  if (!shared) throw kind.unreadable('it is damaged');
  const key = hkdfSha256(shared, Buffer.concat([E, me.card.encryptionKey]), kind.keyInfo);
  const plain = aesGcmOpen(key, ZERO12, bytes.subarray(kind.magic.length + 32));
  wipe(shared, key);
  if (!plain || plain.length < SIGNATURE_BYTES + 2) throw kind.unreadable('it is damaged or not addressed to you');
  return { signature: plain.subarray(0, SIGNATURE_BYTES), body: plain.subarray(SIGNATURE_BYTES) };
}

/** Whether `authorSigningKey` signed `body` for the addressee key `addresseeKey`. */
export function verifyNote(
  kind: NoteKind,
  authorSigningKey: Uint8Array,
  addresseeKey: Uint8Array,
  body: Uint8Array,
  signature: Uint8Array,
): boolean {
  return ed25519Verify(authorSigningKey, Buffer.concat([kind.signatureContext, addresseeKey, body]), signature);
}

/** Whether `bytes` begin with this kind's magic (told apart before anything is decrypted). */
export function isNoteOfKind(kind: NoteKind, bytes: Uint8Array): boolean {
  return bytes.length >= kind.magic.length && Buffer.from(bytes.subarray(0, kind.magic.length)).equals(kind.magic);
}

/**
 * A note's body as a JSON object split into its version `v` and the rest; null when it is not
 * UTF-8 JSON of an object (each kind then refuses it with its own error).
 */
export function noteObject(json: Buffer): { v: unknown; rest: Record<string, unknown> } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof TypeError) return null; // not JSON, or not UTF-8
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { v, ...rest } = parsed as Record<string, unknown>;
  return { v, rest };
}
