/**
 * Contact cards: a profile and the public keys, self-signed with the
 * Ed25519 key they contain. A card proves that whoever holds the signing key
 * claims this profile and these encryption keys; whether that person is who
 * they say is settled by comparing safety numbers (fingerprint.ts).
 * Version 2 adds the X-Wing (post-quantum) key, bound by that same
 * signature; the fingerprint and safety number stay those of the Ed25519
 * and X25519 keys, so gaining a post-quantum key is not a key change.
 *
 * Binary form (docs/FORMAT.md, "Contact cards"):
 *   version (0x01 or 0x02) | body length (u16 BE) | body (UTF-8 JSON) | Ed25519 signature (64)
 * Text form: that binary in base64 between BEGIN/END lines, for email.
 */
import { z } from 'zod';
import { ed25519Sign, ed25519Verify, KEY_BYTES, SIGNATURE_BYTES } from '../crypto/primitives.js';
import { XWING_PUBLIC_KEY_BYTES } from '../crypto/xwing.js';
import { CardMalformed, CardSignatureInvalid } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import { PersonDetailsSchema, type PersonDetails } from './person-details.js';
import { parseStrictJson } from '../validation/strict-json.js';

/** Classical keys only (Ed25519, X25519). */
export const CARD_VERSION_CLASSICAL = 1;
/** With an X-Wing key: what every identity writes from now on. */
export const CARD_VERSION_POST_QUANTUM = 2;
export const CARD_SIGNATURE_CONTEXT = Buffer.from('MEDSEAL-v1-contact-card', 'ascii');
export const CARD_MAX_BODY_BYTES = 4096;
export const CARD_FILE_EXTENSION = '.medseal-contact';
const ARMOR_BEGIN = '-----BEGIN MEDSEAL CONTACT CARD-----';
const ARMOR_END = '-----END MEDSEAL CONTACT CARD-----';

export interface ContactCard {
  readonly profile: PersonDetails;
  readonly signingKey: Uint8Array;
  readonly encryptionKey: Uint8Array;
  /** The X-Wing public key (version 2 cards); null on a version 1 card. */
  readonly pqKey: Uint8Array | null;
  readonly createdAt: string;
  /** The exact signed bytes; re-encoding is never needed. */
  readonly bytes: Uint8Array;
  readonly fingerprint: Uint8Array;
}

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes of base64')
  .transform((value) => new Uint8Array(Buffer.from(value, 'base64')));

const base64PqKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{1622}==$/, `must be ${XWING_PUBLIC_KEY_BYTES} bytes of base64`) // 1216 = 3 × 405 + 1
  .transform((value) => new Uint8Array(Buffer.from(value, 'base64')));

const CardBodyV1Schema = z.strictObject({
  version: z.literal(CARD_VERSION_CLASSICAL),
  ...PersonDetailsSchema.shape,
  signingKey: base64Key,
  encryptionKey: base64Key,
  createdAt: z.iso.datetime({ offset: false }),
});

const CardBodyV2Schema = z.strictObject({
  version: z.literal(CARD_VERSION_POST_QUANTUM),
  ...PersonDetailsSchema.shape,
  signingKey: base64Key,
  encryptionKey: base64Key,
  pqKey: base64PqKey,
  createdAt: z.iso.datetime({ offset: false }),
});

/** The one accepted encoding of a card body: members in this order, no whitespace (so no duplicate keys either). */
interface CardKeys {
  readonly signingKey: Uint8Array;
  readonly encryptionKey: Uint8Array;
  readonly pqKey?: Uint8Array | null;
}

/** The one encoding of a card body: members in this order, no white space; `pqKey` only in version 2. */
function canonicalBody(profile: PersonDetails, keys: CardKeys, createdAt: string): Buffer {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return Buffer.from(
    JSON.stringify({
      version: keys.pqKey ? CARD_VERSION_POST_QUANTUM : CARD_VERSION_CLASSICAL,
      name: profile.name,
      organisation: profile.organisation,
      role: profile.role,
      email: profile.email,
      signingKey: base64(keys.signingKey),
      encryptionKey: base64(keys.encryptionKey),
      ...(keys.pqKey ? { pqKey: base64(keys.pqKey) } : {}),
      createdAt,
    }),
    'utf8',
  );
}

/** A card with an X-Wing key (`pqKey`) is version 2; without, version 1 (kept for tests of old cards). */
export function createCard(
  profile: PersonDetails,
  keys: CardKeys & { signingSecretKey: Uint8Array },
  createdAt: Date,
): ContactCard {
  const body = canonicalBody(profile, keys, createdAt.toISOString());
  if (body.length > CARD_MAX_BODY_BYTES) throw new CardMalformed('the profile is too long');
  const signature = ed25519Sign(keys.signingSecretKey, Buffer.concat([CARD_SIGNATURE_CONTEXT, body]));
  const header = Buffer.alloc(3);
  header.writeUInt8(keys.pqKey ? CARD_VERSION_POST_QUANTUM : CARD_VERSION_CLASSICAL, 0);
  header.writeUInt16BE(body.length, 1);
  return decodeCard(Buffer.concat([header, body, signature]));
}

/** Parses and verifies a binary card. Throws CardMalformed or CardSignatureInvalid. */
export function decodeCard(bytes: Uint8Array): ContactCard {
  const data = Buffer.from(bytes);
  if (data.length < 3) throw new CardMalformed('it is too short');
  const version = data[0];
  if (version !== CARD_VERSION_CLASSICAL && version !== CARD_VERSION_POST_QUANTUM)
    throw new CardMalformed(`card version ${version} is not supported`);
  const bodyLength = data.readUInt16BE(1);
  if (bodyLength > CARD_MAX_BODY_BYTES) throw new CardMalformed('it is too long');
  if (data.length !== 3 + bodyLength + SIGNATURE_BYTES)
    throw new CardMalformed('its length is wrong (incomplete or extra data)');
  const body = data.subarray(3, 3 + bodyLength);
  const signature = data.subarray(3 + bodyLength);

  // The body's version must be the binary version: a version 1 card cannot claim a post-quantum key, nor a version 2 card drop it.
  const parsed =
    version === CARD_VERSION_POST_QUANTUM
      ? parseStrictJson(body, CardBodyV2Schema)
      : parseStrictJson(body, CardBodyV1Schema);
  if (!parsed.ok) throw new CardMalformed(parsed.problem);
  const { signingKey, encryptionKey, createdAt, version: _version, ...rest } = parsed.value;
  const { pqKey = null, ...profile } = rest as typeof rest & { pqKey?: Uint8Array };
  if (signingKey.length !== KEY_BYTES || encryptionKey.length !== KEY_BYTES)
    throw new CardMalformed('a key has the wrong length');
  if (pqKey && pqKey.length !== XWING_PUBLIC_KEY_BYTES)
    throw new CardMalformed('the post-quantum key has the wrong length');
  if (!ed25519Verify(signingKey, Buffer.concat([CARD_SIGNATURE_CONTEXT, body]), signature))
    throw new CardSignatureInvalid();

  if (!canonicalBody(profile, { signingKey, encryptionKey, pqKey }, createdAt).equals(body))
    throw new CardMalformed('its contents are not in canonical form');
  return {
    profile,
    signingKey,
    encryptionKey,
    pqKey,
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
  // Found anywhere, so that a card an e-mail program quoted ("> ") or joined onto one line still reads.
  const start = text.indexOf(ARMOR_BEGIN);
  const stop = start < 0 ? -1 : text.indexOf(ARMOR_END, start + ARMOR_BEGIN.length);
  if (start < 0 || stop < 0)
    throw new CardMalformed(
      `the card text is incomplete: copy all of it, from the "${ARMOR_BEGIN}" line to the "${ARMOR_END}" line`,
    );
  const base64 = text
    .slice(start + ARMOR_BEGIN.length, stop)
    .split(/\r?\n/)
    .map((line) => line.replace(/^[\s>]+/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new CardMalformed('the card text has been altered (it is not valid base64)');
  }
  try {
    return decodeCard(Buffer.from(base64, 'base64'));
  } catch (error) {
    // A changed character decodes to a card with a nonsense field: say what happened, not which field.
    if (error instanceof CardMalformed)
      throw new CardMalformed('the card text was changed or damaged on the way (ask the sender for a new copy)');
    throw error;
  }
}

export function sameKeys(a: ContactCard, b: ContactCard): boolean {
  return Buffer.from(a.fingerprint).equals(Buffer.from(b.fingerprint));
}
