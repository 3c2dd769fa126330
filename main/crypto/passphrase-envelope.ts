/**
 * The one passphrase-sealed envelope: Argon2id (kdf.ts) turns the passphrase and the envelope's
 * own salt and parameters into a key-encryption key, which seals one secret in a secret box.
 * Every file that a passphrase opens uses it: the keystore's master-key slot, the organisation
 * directory key and a custodian's share. Each format keeps its own serialisation and version and
 * gives its binding: the associated data, which names the format, its version and the owner of
 * the secret, and (in every format since the keystore) the KDF parameters themselves. The
 * parameters are authenticated in any case: the key depends on every one of them and on the
 * salt, so a changed value opens nothing; values outside the accepted range are refused before
 * any work is done, so a tampered file cannot make the derivation weak or huge.
 */
import { deriveKeyFromPassphrase, kdfParamsAcceptable, newKdfParams, type KdfParams, type KdfStrength } from './kdf.js';
import { wipe } from './primitives.js';
import { openSecret, sealSecret, type SealedBox } from './secret-box.js';

export interface PassphraseSealed {
  readonly kdf: KdfParams;
  readonly box: SealedBox;
}

/** The associated data of a format, for the parameters the envelope chose or read. */
export type EnvelopeBinding = (kdf: KdfParams) => Uint8Array;

export class KdfParamsRefused extends Error {
  constructor() {
    super('key-derivation parameters outside the accepted range reached the envelope');
  }
}

/** Seals `secret` under `passphrase` with fresh parameters of `strength` (the default when omitted). */
export async function sealWithPassphrase(
  passphrase: string,
  secret: Uint8Array,
  binding: EnvelopeBinding,
  strength?: KdfStrength,
): Promise<PassphraseSealed> {
  const kdf = newKdfParams(strength);
  const kek = await deriveKeyFromPassphrase(passphrase, kdf);
  try {
    return { kdf, box: sealSecret(kek, secret, binding(kdf)) };
  } finally {
    wipe(kek);
  }
}

/** The secret (the caller wipes it), or null when the passphrase or any part of the envelope is wrong. */
export async function openWithPassphrase(
  passphrase: string,
  sealed: PassphraseSealed,
  binding: EnvelopeBinding,
): Promise<Uint8Array | null> {
  // Every format refuses these while parsing, with its own error; this is the last line.
  if (!kdfParamsAcceptable(sealed.kdf)) throw new KdfParamsRefused();
  const kek = await deriveKeyFromPassphrase(passphrase, sealed.kdf);
  try {
    return openSecret(kek, sealed.box, binding(sealed.kdf));
  } finally {
    wipe(kek);
  }
}
