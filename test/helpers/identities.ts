/**
 * Test identities made without Argon2id (which takes a second per unlock),
 * so hundreds can be made quickly. The keystore tests cover Argon2id itself.
 */
import { createCard } from '../../main/identity/contact-card.js';
import { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { xwingPublicKey } from '../../main/crypto/xwing.js';

let counter = 0;

/** A post-quantum identity (version 2 card) unless `postQuantum: false` asks for one made before them. */
export async function fastIdentity(
  name?: string,
  seed?: Uint8Array,
  options: { postQuantum?: boolean } = {},
): Promise<UnlockedIdentity> {
  const s = await loadSodium();
  counter++;
  const label = name ?? `Test Person ${counter}`;
  const signing = seed ? s.crypto_sign_seed_keypair(seed) : s.crypto_sign_keypair();
  const encryptionSecret = seed ? s.crypto_generichash(32, seed, Buffer.from('x25519')) : s.randombytes_buf(32);
  const email = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.org`;
  const pqSecret =
    options.postQuantum === false
      ? null
      : seed
        ? s.crypto_generichash(32, seed, Buffer.from('x-wing'))
        : s.randombytes_buf(32);
  const card = createCard(
    { name: label, organisation: 'Test Hospital', role: 'Clinician', email },
    {
      signingKey: signing.publicKey,
      encryptionKey: s.crypto_scalarmult_base(encryptionSecret),
      pqKey: pqSecret && xwingPublicKey(pqSecret),
      signingSecretKey: signing.privateKey,
    },
    new Date('2026-01-01T00:00:00.000Z'),
  );
  const masterKey = seed ? s.crypto_generichash(32, seed, Buffer.from('master')) : s.randombytes_buf(32);
  return new UnlockedIdentity(card, signing.privateKey, encryptionSecret, masterKey, pqSecret);
}
