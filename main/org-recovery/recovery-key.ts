/**
 * The organisation recovery key (break-glass, docs/FORMAT.md §2.12): one
 * 32-byte secret from which an Ed25519, an X25519 and an X-Wing key are
 * derived, published as a version 2 contact card with a fixed role. The
 * secret exists only while custodians' shares are put together, and is
 * wiped right after; the card is public (policy `orgRecoveryKey`).
 */
import { hkdfSha256, wipe, x25519PublicKey } from '../crypto/primitives.js';
import { sodium } from '../crypto/sodium.js';
import { xwingPublicKey } from '../crypto/xwing.js';
import { createCard, decodeCard, type ContactCard } from '../identity/contact-card.js';
import { CardMalformed, CardSignatureInvalid } from '../identity/errors.js';
import { normalisePersonDetails, PersonDetailsSchema } from '../identity/person-details.js';
import { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { RecoveryKeyInvalid } from './errors.js';

export const RECOVERY_SECRET_BYTES = 32;
/** The role every recovery card carries, and no clinician's card may (contacts refuse it). */
export const RECOVERY_ROLE = 'Organisation recovery key';
export const RECOVERY_NAME = 'Emergency access';

const EMPTY_SALT = new Uint8Array(0);

interface RecoveryKeys {
  readonly signingPublic: Uint8Array;
  readonly signingSecret: Uint8Array;
  readonly encryptionPublic: Uint8Array;
  readonly encryptionSecret: Uint8Array;
  readonly pqPublic: Uint8Array;
  readonly pqSeed: Uint8Array;
}

/** The three key pairs of a recovery secret (§2.12: HKDF-SHA256 with an empty salt, one label each). */
function keysOf(secret: Uint8Array): RecoveryKeys {
  if (secret.length !== RECOVERY_SECRET_BYTES) throw new Error('a recovery secret has 32 bytes');
  const signingSeed = hkdfSha256(secret, EMPTY_SALT, 'MEDSEAL-org-recovery-ed25519');
  const signing = sodium().crypto_sign_seed_keypair(signingSeed);
  wipe(signingSeed);
  const encryptionSecret = hkdfSha256(secret, EMPTY_SALT, 'MEDSEAL-org-recovery-x25519');
  const pqSeed = hkdfSha256(secret, EMPTY_SALT, 'MEDSEAL-org-recovery-xwing');
  return {
    signingPublic: signing.publicKey,
    signingSecret: signing.privateKey,
    encryptionPublic: x25519PublicKey(encryptionSecret),
    encryptionSecret,
    pqPublic: xwingPublicKey(pqSeed),
    pqSeed,
  };
}

/** The public card of a new recovery key: "Emergency access", the organisation, the fixed role, a contact address. */
export function createRecoveryCard(
  secret: Uint8Array,
  details: { organisation: string; email: string },
  now: Date,
): ContactCard {
  const profile = PersonDetailsSchema.safeParse(
    normalisePersonDetails({
      name: RECOVERY_NAME,
      organisation: details.organisation,
      role: RECOVERY_ROLE,
      email: details.email,
    }),
  );
  if (!profile.success)
    throw new RecoveryKeyInvalid(
      'give the organisation name (1 to 128 characters) and a contact e-mail address such as privacy-office@hospital.example',
    );
  const keys = keysOf(secret);
  try {
    return createCard(
      profile.data,
      {
        signingKey: keys.signingPublic,
        encryptionKey: keys.encryptionPublic,
        pqKey: keys.pqPublic,
        signingSecretKey: keys.signingSecret,
      },
      now,
    );
  } finally {
    wipe(keys.signingSecret, keys.encryptionSecret, keys.pqSeed);
  }
}

export function isRecoveryCard(card: ContactCard): boolean {
  return card.profile.role === RECOVERY_ROLE;
}

/**
 * A recovery card from its base64 binary form (the policy's value): a valid self-signed
 * version 2 card with the recovery role, so every package can carry a post-quantum stanza for it.
 */
export function parseRecoveryCard(base64: string): ContactCard {
  let card: ContactCard;
  try {
    card = decodeCard(Buffer.from(base64, 'base64'));
  } catch (error) {
    if (error instanceof CardMalformed || error instanceof CardSignatureInvalid)
      throw new RecoveryKeyInvalid('its card is damaged');
    throw error;
  }
  if (!isRecoveryCard(card)) throw new RecoveryKeyInvalid(`the card is not marked "${RECOVERY_ROLE}"`);
  if (!card.pqKey) throw new RecoveryKeyInvalid('the card has no post-quantum key');
  return card;
}

/**
 * The recovery key as an identity that can open packages and sign records, or null when the
 * secret's keys are not the card's (shares of another key, or too few of them put together).
 */
export function recoveryIdentity(secret: Uint8Array, card: ContactCard): UnlockedIdentity | null {
  const keys = keysOf(secret);
  const same = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(Buffer.from(b));
  const matches =
    same(card.signingKey, keys.signingPublic) &&
    same(card.encryptionKey, keys.encryptionPublic) &&
    same(card.pqKey, keys.pqPublic);
  if (!matches) {
    wipe(keys.signingSecret, keys.encryptionSecret, keys.pqSeed);
    return null;
  }
  // No master key: a recovery identity has no local database.
  return new UnlockedIdentity(card, keys.signingSecret, keys.encryptionSecret, new Uint8Array(0), keys.pqSeed);
}
