/**
 * Contact cards: a profile and both public keys, self-signed with the
 * Ed25519 key they contain. A card proves that whoever holds the signing key
 * claims this profile and this encryption key; whether that person is who
 * they say is settled by comparing safety numbers (fingerprint.ts).
 *
 * Binary form (docs/FORMAT.md, "Contact cards"):
 *   0x01 | body length (u16 BE) | body (UTF-8 JSON) | Ed25519 signature (64)
 * Text form: that binary in base64 between BEGIN/END lines, for email.
 */
import { z } from 'zod';
import { ed25519Sign, ed25519Verify, KEY_BYTES, SIGNATURE_BYTES } from '../crypto/primitives.js';
import { CardMalformed, CardSignatureInvalid } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import { PersonDetailsSchema, type PersonDetails } from './person-details.js';
import { parseStrictJson } from '../validation/strict-json.js';

export const CARD_VERSION = 1;
export const CARD_SIGNATURE_CONTEXT = Buffer.from('MEDSEAL-v1-contact-card', 'ascii');
export const CARD_MAX_BODY_BYTES = 4096;
export const CARD_FILE_EXTENSION = '.medseal-contact';
const ARMOR_BEGIN = '-----BEGIN MEDSEAL CONTACT CARD-----';
const ARMOR_END = '-----END MEDSEAL CONTACT CARD-----';

export interface ContactCard {
  readonly profile: PersonDetails;
  readonly signingKey: Uint8Array;
  readonly encryptionKey: Uint8Array;
  readonly createdAt: string;
  /** The exact signed bytes; re-encoding is never needed. */
  readonly bytes: Uint8Array;
  readonly fingerprint: Uint8Array;
}

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes of base64')
  .transform((value) => new Uint8Array(Buffer.from(value, 'base64')));

const CardBodySchema = z.strictObject({
  version: z.literal(CARD_VERSION),
  ...PersonDetailsSchema.shape,
  signingKey: base64Key,
  encryptionKey: base64Key,
  createdAt: z.iso.datetime({ offset: false }),
});

/** The one accepted encoding of a card body: members in this order, no whitespace (so no duplicate keys either). */
function canonicalBody(profile: PersonDetails, signingKey: Uint8Array, encryptionKey: Uint8Array, createdAt: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: CARD_VERSION,
      name: profile.name,
      organisation: profile.organisation,
      role: profile.role,
      email: profile.email,
      signingKey: Buffer.from(signingKey).toString('base64'),
      encryptionKey: Buffer.from(encryptionKey).toString('base64'),
      createdAt,
    }),
    'utf8',
  );
}

export function createCard(profile: PersonDetails, keys: { signingKey: Uint8Array; encryptionKey: Uint8Array; signingSecretKey: Uint8Array }, createdAt: Date): ContactCard {
  const body = canonicalBody(profile, keys.signingKey, keys.encryptionKey, createdAt.toISOString());
  if (body.length > CARD_MAX_BODY_BYTES) throw new CardMalformed('the profile is too long');
  const signature = ed25519Sign(keys.signingSecretKey, Buffer.concat([CARD_SIGNATURE_CONTEXT, body]));
  const header = Buffer.alloc(3);
  header.writeUInt8(CARD_VERSION, 0);
  header.writeUInt16BE(body.length, 1);
  return decodeCard(Buffer.concat([header, body, signature]));
}

/** Parses and verifies a binary card. Throws CardMalformed or CardSignatureInvalid. */
export function decodeCard(bytes: Uint8Array): ContactCard {
  const data = Buffer.from(bytes);
  if (data.length < 3) throw new CardMalformed('it is too short');
  if (data[0] !== CARD_VERSION) throw new CardMalformed(`card version ${data[0]} is not supported`);
  const bodyLength = data.readUInt16BE(1);
  if (bodyLength > CARD_MAX_BODY_BYTES) throw new CardMalformed('it is too long');
  if (data.length !== 3 + bodyLength + SIGNATURE_BYTES) throw new CardMalformed('its length is wrong (incomplete or extra data)');
  const body = data.subarray(3, 3 + bodyLength);
  const signature = data.subarray(3 + bodyLength);

  const parsed = parseStrictJson(body, CardBodySchema);
  if (!parsed.ok) throw new CardMalformed(parsed.problem);
  const { signingKey, encryptionKey, createdAt, version: _version, ...profile } = parsed.value;
  if (signingKey.length !== KEY_BYTES || encryptionKey.length !== KEY_BYTES) throw new CardMalformed('a key has the wrong length');
  if (!ed25519Verify(signingKey, Buffer.concat([CARD_SIGNATURE_CONTEXT, body]), signature)) throw new CardSignatureInvalid();

  if (!canonicalBody(profile, signingKey, encryptionKey, createdAt).equals(body)) throw new CardMalformed('its contents are not in canonical form');
  return {
    profile,
    signingKey,
    encryptionKey,
    createdAt,
    bytes: new Uint8Array(data),
    fingerprint: fingerprintOf(signingKey, encryptionKey),
  };
}

export function armorCard(card: ContactCard): string {
  const base64 = Buffer.from(card.bytes).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return [ARMOR_BEGIN, ...lines, ARMOR_END, ''].join('\n');
}

/**
 * Reads the text form. Text around the armor is ignored, as are e-mail quote
 * markers ("> ") and blank lines inside it, so a card pasted from a reply works.
 */
export function parseArmoredCard(text: string): ContactCard {
  if (text.length > 64 * 1024) throw new CardMalformed('the text is far too long to be a card');
  const lines = text.split(/\r?\n/).map((line) => line.replace(/^[\s>]+/, '').trim());
  const begin = lines.indexOf(ARMOR_BEGIN);
  const end = lines.indexOf(ARMOR_END, begin + 1);
  if (begin < 0 || end < 0) throw new CardMalformed('the BEGIN and END lines of the card were not found');
  const base64 = lines.slice(begin + 1, end).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new CardMalformed('the card text has been altered (it is not valid base64)');
  }
  return decodeCard(Buffer.from(base64, 'base64'));
}

export function sameKeys(a: ContactCard, b: ContactCard): boolean {
  return Buffer.from(a.fingerprint).equals(Buffer.from(b.fingerprint));
}
