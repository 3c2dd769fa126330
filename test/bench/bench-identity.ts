/**
 * Identities for the benchmarks: fresh keys without Argon2id (no keystore),
 * with an X-Wing key (version 2 card, what every identity has now) unless
 * `postQuantum: false` asks for one made before post-quantum keys.
 */
import { loadSodium } from '../../main/crypto/sodium.js';
import { xwingPublicKey } from '../../main/crypto/xwing.js';
import { createCard } from '../../main/identity/contact-card.js';
import { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';

export async function benchIdentity(name: string, options: { postQuantum?: boolean } = {}): Promise<UnlockedIdentity> {
  const s = await loadSodium();
  const signing = s.crypto_sign_keypair();
  const secret = s.randombytes_buf(32);
  const pqSecret = options.postQuantum === false ? null : s.randombytes_buf(32);
  const card = createCard(
    { name, organisation: 'Bench', role: '', email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@bench.example` },
    {
      signingKey: signing.publicKey,
      encryptionKey: s.crypto_scalarmult_base(secret),
      pqKey: pqSecret && xwingPublicKey(pqSecret),
      signingSecretKey: signing.privateKey,
    },
    new Date(),
  );
  return new UnlockedIdentity(card, signing.privateKey, secret, s.randombytes_buf(32), pqSecret);
}
