/**
 * The key of a package passphrase, derived in Node: Argon2id in the
 * short-lived KDF worker (crypto/kdf.ts says why), under the parameters the
 * stanza carries, checked first (passphrase-stanza.ts). MedSeal Reader
 * derives the same key on its page instead (main/reader/).
 */
import { deriveKeyFromPassphrase } from '../crypto/kdf.js';
import { passphraseArgon2Params, type PassphraseKdf, type PassphraseKey } from './passphrase-stanza.js';

/** Argon2id (in the KDF worker) of the canonical passphrase (passphrase-words.ts) under `kdf`. */
export async function derivePassphraseKey(passphrase: string, kdf: PassphraseKdf): Promise<PassphraseKey> {
  const key = await deriveKeyFromPassphrase(passphrase, { algorithm: 'argon2id13', ...passphraseArgon2Params(kdf) });
  return { kdf, key };
}
