/**
 * The keystore: one JSON document holding the public contact card and the
 * secret keys, encrypted at rest (docs/FORMAT.md, "Keystore").
 *
 *   passphrase --Argon2id--> KEK --XChaCha20-Poly1305--> master key
 *   master key --XChaCha20-Poly1305--> signing + encryption secret keys
 *
 * The two levels let a passphrase change re-wrap only the master key, and
 * let "remember on this device" wrap the same master key with the OS
 * keychain later. Both ciphertexts bind the card's fingerprint and the KDF
 * parameters as associated data, so no field can be swapped or weakened.
 */
import { z } from 'zod';
import { sodium } from '../crypto/sodium.js';
import { wipe } from '../crypto/primitives.js';
import { newSecretKey, openSecret, sealSecret, type SealedBox } from '../crypto/secret-box.js';
import { openWithPassphrase, sealWithPassphrase } from '../crypto/passphrase-envelope.js';
import { XWING_SEED_BYTES, xwingPublicKey } from '../crypto/xwing.js';
import { createCard, decodeCard, type ContactCard } from './contact-card.js';
import { KeystoreMalformed, WeakPassphrase, WrongPassphrase } from './errors.js';
import { kdfParamsAcceptable, type KdfParams, type KdfStrength } from '../crypto/kdf.js';
import type { PersonDetails } from './person-details.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { base64Bytes } from '../validation/base64-bytes.js';
import { UnlockedIdentity } from './unlocked-identity.js';
import { judgePassphrase, MIN_PASSPHRASE_LENGTH } from '../texts/passphrase-rule.js';

export const KEYSTORE_FORMAT = 'medseal-keystore';
export const KEYSTORE_VERSION = 1;
export { MIN_PASSPHRASE_LENGTH };

const sealedBox = (plaintextBytes: number) =>
  z.strictObject({ nonce: base64Bytes(24), ciphertext: base64Bytes(plaintextBytes + 16) });

const KeystoreSchema = z.strictObject({
  format: z.literal(KEYSTORE_FORMAT),
  version: z.literal(KEYSTORE_VERSION),
  card: z.string().transform((value) => Buffer.from(value, 'base64')),
  kdf: z.strictObject({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int(),
    memLimitBytes: z.number().int(),
    salt: base64Bytes(16),
  }),
  wrappedMasterKey: sealedBox(32),
  // Ed25519 secret (64) || X25519 secret (32), then the X-Wing seed (32) when the card is version 2.
  secrets: z.union([sealedBox(64 + 32 + XWING_SEED_BYTES), sealedBox(64 + 32)]),
  // The second slot for the master key: the recovery code of the newest recovery kit (keystore-recovery.ts).
  recovery: z
    .strictObject({ createdAt: z.iso.datetime(), salt: base64Bytes(16), wrappedMasterKey: sealedBox(32) })
    .optional(),
});

export type { KdfStrength, SealedBox };

export interface RecoverySlot {
  createdAt: string;
  salt: Uint8Array;
  wrappedMasterKey: SealedBox;
}

export interface ParsedKeystore {
  card: ContactCard;
  kdf: KdfParams;
  wrappedMasterKey: SealedBox;
  secrets: SealedBox;
  recovery?: RecoverySlot;
}

const enc = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function masterKeyAad(card: ContactCard, kdf: KdfParams): Uint8Array {
  return Buffer.from(
    `${KEYSTORE_FORMAT}/v${KEYSTORE_VERSION}/master-key|${Buffer.from(card.fingerprint).toString('hex')}|${kdf.algorithm}|${kdf.opsLimit}|${kdf.memLimitBytes}|${enc(kdf.salt)}`,
    'utf8',
  );
}

function secretsAad(card: ContactCard): Uint8Array {
  return Buffer.from(
    `${KEYSTORE_FORMAT}/v${KEYSTORE_VERSION}/secrets|${Buffer.from(card.fingerprint).toString('hex')}`,
    'utf8',
  );
}

export function serialise(parsed: ParsedKeystore): string {
  return `${JSON.stringify(
    {
      format: KEYSTORE_FORMAT,
      version: KEYSTORE_VERSION,
      card: enc(parsed.card.bytes),
      kdf: {
        algorithm: parsed.kdf.algorithm,
        opsLimit: parsed.kdf.opsLimit,
        memLimitBytes: parsed.kdf.memLimitBytes,
        salt: enc(parsed.kdf.salt),
      },
      wrappedMasterKey: {
        nonce: enc(parsed.wrappedMasterKey.nonce),
        ciphertext: enc(parsed.wrappedMasterKey.ciphertext),
      },
      secrets: { nonce: enc(parsed.secrets.nonce), ciphertext: enc(parsed.secrets.ciphertext) },
      ...(parsed.recovery && {
        recovery: {
          createdAt: parsed.recovery.createdAt,
          salt: enc(parsed.recovery.salt),
          wrappedMasterKey: {
            nonce: enc(parsed.recovery.wrappedMasterKey.nonce),
            ciphertext: enc(parsed.recovery.wrappedMasterKey.ciphertext),
          },
        },
      }),
    },
    null,
    2,
  )}\n`;
}

export function parseKeystore(text: string): ParsedKeystore {
  const parsed = parseStrictJson(text, KeystoreSchema);
  if (!parsed.ok) throw new KeystoreMalformed(parsed.problem);
  const { kdf } = parsed.value;
  if (!kdfParamsAcceptable(kdf)) throw new KeystoreMalformed('key-derivation parameters outside the accepted range');
  let card: ContactCard;
  try {
    card = decodeCard(parsed.value.card);
  } catch {
    throw new KeystoreMalformed('the contact card inside is invalid');
  }
  const hasPqSecret = parsed.value.secrets.ciphertext.length === 64 + 32 + XWING_SEED_BYTES + 16;
  if (hasPqSecret !== (card.pqKey !== null))
    throw new KeystoreMalformed('the secret keys do not match the contact card');
  return {
    card,
    kdf,
    wrappedMasterKey: parsed.value.wrappedMasterKey,
    secrets: parsed.value.secrets,
    ...(parsed.value.recovery && { recovery: parsed.value.recovery }),
  };
}

/** The one rule for new passphrases (texts/passphrase-rule.ts); WeakPassphrase says why. */
export async function checkPassphraseStrength(passphrase: string): Promise<void> {
  const verdict = await judgePassphrase(passphrase, MIN_PASSPHRASE_LENGTH);
  if (!verdict.acceptable) throw new WeakPassphrase({ reason: verdict.reason ?? '' });
}

/** Makes a new identity: fresh key pairs, a self-signed card, and its encrypted keystore text. */
export async function createKeystore(options: {
  profile: PersonDetails;
  passphrase: string;
  kdf?: KdfStrength;
  now?: Date;
}): Promise<{ keystoreText: string; identity: UnlockedIdentity }> {
  await checkPassphraseStrength(options.passphrase);
  const s = sodium();
  const signing = s.crypto_sign_keypair();
  const encryptionSecret = s.randombytes_buf(32);
  const encryptionPublic = s.crypto_scalarmult_base(encryptionSecret);
  const pqSecret = s.randombytes_buf(XWING_SEED_BYTES);
  const card = createCard(
    options.profile,
    {
      signingKey: signing.publicKey,
      encryptionKey: encryptionPublic,
      pqKey: xwingPublicKey(pqSecret),
      signingSecretKey: signing.privateKey,
    },
    options.now ?? new Date(),
  );
  const masterKey = newSecretKey();
  const slot = await sealWithPassphrase(options.passphrase, masterKey, (kdf) => masterKeyAad(card, kdf), options.kdf);
  const secretsPlain = Buffer.concat([signing.privateKey, encryptionSecret, pqSecret]);
  const keystoreText = serialise({
    card,
    kdf: slot.kdf,
    wrappedMasterKey: slot.box,
    secrets: sealSecret(masterKey, secretsPlain, secretsAad(card)),
  });
  wipe(secretsPlain);
  return {
    keystoreText,
    identity: new UnlockedIdentity(card, signing.privateKey, encryptionSecret, masterKey, pqSecret),
  };
}

/**
 * Gives an identity made before post-quantum keys its X-Wing key: a version 2 card with the same
 * profile and the same Ed25519 and X25519 keys (so the same fingerprint and safety number),
 * signed by the same Ed25519 key, dated `now`, and the secrets re-sealed with the new seed under
 * the unchanged master key. The passphrase slot is not touched.
 */
export function addPostQuantumKey(
  keystoreText: string,
  identity: UnlockedIdentity,
  now: Date,
): { keystoreText: string; identity: UnlockedIdentity } {
  const parsed = parseKeystore(keystoreText);
  if (parsed.card.pqKey) throw new Error('the identity already has a post-quantum key');
  const pqSecret = sodium().randombytes_buf(XWING_SEED_BYTES);
  const card = createCard(
    parsed.card.profile,
    {
      signingKey: parsed.card.signingKey,
      encryptionKey: parsed.card.encryptionKey,
      pqKey: xwingPublicKey(pqSecret),
      signingSecretKey: identity.signingSecretKey,
    },
    now,
  );
  const secretsPlain = Buffer.concat([identity.signingSecretKey, identity.encryptionSecretKey, pqSecret]);
  const masterKey = Uint8Array.from(identity.masterKeyForRewrap());
  const text = serialise({ ...parsed, card, secrets: sealSecret(masterKey, secretsPlain, secretsAad(card)) });
  wipe(secretsPlain);
  const upgraded = new UnlockedIdentity(
    card,
    Uint8Array.from(identity.signingSecretKey),
    Uint8Array.from(identity.encryptionSecretKey),
    masterKey,
    pqSecret,
  );
  return { keystoreText: text, identity: upgraded };
}

/** The master key, unwrapped with the passphrase; WrongPassphrase otherwise. The caller wipes it. */
export async function unwrapMasterKey(parsed: ParsedKeystore, passphrase: string): Promise<Uint8Array> {
  const masterKey = await openWithPassphrase(passphrase, { kdf: parsed.kdf, box: parsed.wrappedMasterKey }, (kdf) =>
    masterKeyAad(parsed.card, kdf),
  );
  if (!masterKey) throw new WrongPassphrase();
  return masterKey;
}

/** Opens the keystore with an already-unwrapped master key (passphrase or OS keychain). */
export function unlockWithMasterKey(parsed: ParsedKeystore, masterKey: Uint8Array): UnlockedIdentity {
  const secrets = openSecret(masterKey, parsed.secrets, secretsAad(parsed.card));
  if (!secrets) throw new KeystoreMalformed('the secret keys do not decrypt');
  const signingSecret = secrets.slice(0, 64);
  const encryptionSecret = secrets.slice(64, 96);
  const pqSecret = parsed.card.pqKey ? secrets.slice(96, 96 + XWING_SEED_BYTES) : null;
  wipe(secrets);
  const s = sodium();
  const signingPublicMatches = Buffer.from(s.crypto_sign_ed25519_sk_to_pk(signingSecret)).equals(
    Buffer.from(parsed.card.signingKey),
  );
  const encryptionPublicMatches = Buffer.from(s.crypto_scalarmult_base(encryptionSecret)).equals(
    Buffer.from(parsed.card.encryptionKey),
  );
  const pqPublicMatches = !pqSecret || Buffer.from(xwingPublicKey(pqSecret)).equals(Buffer.from(parsed.card.pqKey!));
  if (!signingPublicMatches || !encryptionPublicMatches || !pqPublicMatches) {
    wipe(signingSecret, encryptionSecret, pqSecret ?? undefined);
    throw new KeystoreMalformed('the secret keys do not match the contact card');
  }
  return new UnlockedIdentity(parsed.card, signingSecret, encryptionSecret, masterKey, pqSecret);
}

export async function unlockKeystore(keystoreText: string, passphrase: string): Promise<UnlockedIdentity> {
  const parsed = parseKeystore(keystoreText);
  return unlockWithMasterKey(parsed, await unwrapMasterKey(parsed, passphrase));
}

/**
 * Re-wraps the master key under a new passphrase (and optionally new KDF
 * strength); the keys do not change. Returns the new keystore text and the
 * identity, unlocked on the way (so no second key derivation is needed).
 */
export async function changeKeystorePassphrase(
  keystoreText: string,
  oldPassphrase: string,
  newPassphrase: string,
  kdf?: KdfStrength,
): Promise<{ keystoreText: string; identity: UnlockedIdentity }> {
  await checkPassphraseStrength(newPassphrase);
  const parsed = parseKeystore(keystoreText);
  return setPassphraseWithMasterKey(parsed, await unwrapMasterKey(parsed, oldPassphrase), newPassphrase, kdf);
}

/**
 * Wraps `masterKey` (already unwrapped: by the old passphrase, a recovery code, or a backup's
 * slot) under a new passphrase. Checks the keys against the card before anything is written.
 */
export async function setPassphraseWithMasterKey(
  parsed: ParsedKeystore,
  masterKey: Uint8Array,
  newPassphrase: string,
  kdf?: KdfStrength,
): Promise<{ keystoreText: string; identity: UnlockedIdentity }> {
  await checkPassphraseStrength(newPassphrase);
  const identity = unlockWithMasterKey(parsed, masterKey);
  const slot = await sealWithPassphrase(
    newPassphrase,
    masterKey,
    (newKdf) => masterKeyAad(parsed.card, newKdf),
    kdf ?? { opsLimit: parsed.kdf.opsLimit, memLimitBytes: parsed.kdf.memLimitBytes },
  );
  const text = serialise({ ...parsed, kdf: slot.kdf, wrappedMasterKey: slot.box });
  return { keystoreText: text, identity };
}
