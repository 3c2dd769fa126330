/**
 * The organisation admin key that signs the directory: Ed25519, its secret
 * half encrypted under a passphrase with Argon2id like a personal keystore.
 * It belongs on IT's admin workstation, never on clinicians' machines —
 * they only get the public key, through the policy.
 */
import { z } from 'zod';
import { sodium } from '../crypto/sodium.js';
import { WrongPassphrase } from '../identity/errors.js';
import { kdfParamsAcceptable, KDF_DEFAULT, type KdfParams, type KdfStrength } from '../crypto/kdf.js';
import { openWithPassphrase, sealWithPassphrase } from '../crypto/passphrase-envelope.js';
import { checkPassphraseStrength } from '../identity/keystore.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { KeystoreMalformed } from '../identity/errors.js';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const OrgKeySchema = z.strictObject({
  format: z.literal('medseal-org-key'),
  version: z.literal(1),
  publicKey: b64,
  kdf: z.strictObject({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int(),
    memLimitBytes: z.number().int(),
    salt: b64,
  }),
  secret: z.strictObject({ nonce: b64, ciphertext: b64 }),
});

const enc = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const dec = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const aad = (publicKey: string) => Buffer.from(`medseal-org-key/v1|${publicKey}`, 'utf8');

export async function createOrgKey(
  passphrase: string,
  strength: KdfStrength = KDF_DEFAULT,
): Promise<{ text: string; publicKey: string }> {
  await checkPassphraseStrength(passphrase);
  const pair = sodium().crypto_sign_keypair();
  const publicKey = enc(pair.publicKey);
  const { kdf, box } = await sealWithPassphrase(passphrase, pair.privateKey, () => aad(publicKey), strength);
  sodium().memzero(pair.privateKey);
  const text = JSON.stringify(
    {
      format: 'medseal-org-key',
      version: 1,
      publicKey,
      kdf: { algorithm: kdf.algorithm, opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitBytes, salt: enc(kdf.salt) },
      secret: { nonce: enc(box.nonce), ciphertext: enc(box.ciphertext) },
    },
    null,
    2,
  );
  return { text: `${text}\n`, publicKey };
}

export async function unlockOrgKey(
  text: string,
  passphrase: string,
): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  const parsed = parseStrictJson(text, OrgKeySchema);
  if (!parsed.ok) throw new KeystoreMalformed(`organisation key: ${parsed.problem}`);
  const file = parsed.value;
  const kdf: KdfParams = {
    algorithm: 'argon2id13',
    opsLimit: file.kdf.opsLimit,
    memLimitBytes: file.kdf.memLimitBytes,
    salt: dec(file.kdf.salt),
  };
  if (!kdfParamsAcceptable(kdf))
    throw new KeystoreMalformed('organisation key: key-derivation parameters outside the accepted range');
  const box = { nonce: dec(file.secret.nonce), ciphertext: dec(file.secret.ciphertext) };
  // Version 1 binds the public key; the parameters are bound through the key they derive (passphrase-envelope.ts).
  const secretKey = await openWithPassphrase(passphrase, { kdf, box }, () => aad(file.publicKey));
  if (!secretKey) throw new WrongPassphrase();
  return { publicKey: dec(file.publicKey), secretKey };
}
