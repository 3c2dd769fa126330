/**
 * Receipts from a passphrase reader (docs/FORMAT.md §5.6, `.medseal-receipt`).
 * Someone who opened a passphrase package has no identity to sign with, so
 * their receipt is authenticated with a key that only the package's
 * passphrase gives (it comes from the same Argon2id output that unwraps the
 * file key): MedSeal Reader makes it, and the sender, who kept that key when
 * sealing, checks it. It proves that someone who had the passphrase, and so
 * could open the package, answered; not who. The sender is told "opened —
 * confirmed with the package's key", never "signed by".
 *
 *   "MEDSEAL-PRECEIPT" (16) || package (32) || body || HMAC-SHA-256(receipt_key, everything before it) (32)
 *   receipt_key = HKDF-SHA-256(Argon2id output, stanza params, "MEDSEAL-v2-passphrase-receipt") (passphrase-stanza.ts)
 *   body        = canonical JSON {"v":1,"outcome":"opened","at":"YYYY-MM-DDTHH:MM:SS.sssZ"}
 *
 * The package is its header hash, in the clear so that the sender finds the
 * key to check with; the body says nothing a mail server does not see.
 */
import { constantTimeEqual, hmacSha256 } from '../crypto/primitives.js';
import { InvalidReceipt } from './errors.js';

export const PASSPHRASE_RECEIPT_MAGIC = Buffer.from('MEDSEAL-PRECEIPT', 'ascii');
const PACKAGE_BYTES = 32;
const MAC_BYTES = 32;
const MAX_BODY_BYTES = 128;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface PassphraseReceipt {
  /** The package's header hash (hex). */
  readonly package: string;
  readonly outcome: 'opened';
  readonly at: string;
}

export function isPassphraseReceipt(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PASSPHRASE_RECEIPT_MAGIC.length &&
    PASSPHRASE_RECEIPT_MAGIC.equals(bytes.subarray(0, PASSPHRASE_RECEIPT_MAGIC.length))
  );
}

function canonicalBody(at: string): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, outcome: 'opened', at }), 'utf8');
}

/** A receipt saying the package `packageHash` was opened at `at`, under the package's receipt key. */
export function createPassphraseReceipt(receiptKey: Uint8Array, packageHash: string, at: Date): Buffer {
  const signed = Buffer.concat([
    PASSPHRASE_RECEIPT_MAGIC,
    Buffer.from(packageHash, 'hex'),
    canonicalBody(at.toISOString()),
  ]);
  return Buffer.concat([signed, hmacSha256(receiptKey, signed)]);
}

/** The package a receipt names (hex), read before its key is known; InvalidReceipt when it cannot be one. */
export function packageOfPassphraseReceipt(bytes: Uint8Array): string {
  const start = PASSPHRASE_RECEIPT_MAGIC.length;
  if (!isPassphraseReceipt(bytes)) throw new InvalidReceipt('it is not a passphrase receipt');
  if (
    bytes.length < start + PACKAGE_BYTES + 2 + MAC_BYTES ||
    bytes.length > start + PACKAGE_BYTES + MAX_BODY_BYTES + MAC_BYTES
  )
    throw new InvalidReceipt('its length is out of range');
  return Buffer.from(bytes.subarray(start, start + PACKAGE_BYTES)).toString('hex');
}

/** Checks a receipt under the package's receipt key; InvalidReceipt when it was not made with it or is malformed. */
export function openPassphraseReceipt(receiptKey: Uint8Array, bytes: Uint8Array): PassphraseReceipt {
  const packageHash = packageOfPassphraseReceipt(bytes);
  const macStart = bytes.length - MAC_BYTES;
  if (!constantTimeEqual(hmacSha256(receiptKey, bytes.subarray(0, macStart)), bytes.subarray(macStart)))
    throw new InvalidReceipt('it was not made with the package key');
  const body = Buffer.from(bytes.subarray(PASSPHRASE_RECEIPT_MAGIC.length + PACKAGE_BYTES, macStart));
  const at = readAt(body);
  if (!body.equals(canonicalBody(at))) throw new InvalidReceipt('its body is not canonical');
  return { package: packageHash, outcome: 'opened', at };
}

function readAt(body: Buffer): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new InvalidReceipt('its body is not JSON');
    throw error;
  }
  const at = (parsed as { at?: unknown } | null)?.at;
  if (typeof at !== 'string' || !ISO_TIME.test(at)) throw new InvalidReceipt('its time is malformed');
  return at;
}
