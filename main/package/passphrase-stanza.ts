/**
 * The passphrase stanza (docs/FORMAT.md §2.13): the file key wrapped under a
 * key derived from a generated passphrase, for a partner who has no MedSeal
 * identity. Argon2id's salt and parameters are the stanza's first 24 bytes,
 * in the clear so that a reader can derive before it knows anything else;
 * they are authenticated three times: the Argon2id output depends on them,
 * the wrap key's HKDF names them (with the header's salt, so a stanza opens
 * only in its own package), and the whole stanza is part of `header_core`,
 * under the header MAC and the sender's signature. Parameters weaker than
 * MedSeal's default (or absurdly large) are refused before any derivation.
 */
import { aesGcmOpen, aesGcmSeal, hkdfSha256, hmacSha256, randomBytes, sha256 } from '../crypto/primitives.js';
import { KDF_DEFAULT } from '../crypto/kdf-strength.js';
import type { KdfRequest } from '../crypto/argon2id.js';
import { LABEL, PASSPHRASE_STANZA_BYTES } from './format.js';
import { ZERO_NONCE } from './key-schedule.js';
import { PackageMalformed } from './errors.js';

export const PASSPHRASE_SALT_BYTES = 16;
const PARAMS_BYTES = PASSPHRASE_SALT_BYTES + 4 + 4;
const KIB = 1024;

/** Argon2id's parameters as the stanza carries them: salt, passes, memory in KiB (one lane). */
export interface PassphraseKdf {
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  readonly memLimitKib: number;
}

/** The Argon2id output for a passphrase under `kdf`: what sealing and opening get, never the passphrase. */
export interface PassphraseKey {
  readonly kdf: PassphraseKdf;
  readonly key: Uint8Array;
}

/** Writers use the keystore's default strength (libsodium MODERATE: 3 passes, 256 MiB). */
export const PASSPHRASE_KDF_DEFAULT = { opsLimit: KDF_DEFAULT.opsLimit, memLimitKib: KDF_DEFAULT.memLimitBytes / KIB };
/** Readers accept nothing weaker than the default, and nothing a browser could not derive. */
export const PASSPHRASE_KDF_MIN = PASSPHRASE_KDF_DEFAULT;
export const PASSPHRASE_KDF_MAX = { opsLimit: 10, memLimitKib: 1024 * KIB };

export function passphraseKdfAcceptable(kdf: Pick<PassphraseKdf, 'opsLimit' | 'memLimitKib'>): boolean {
  return (
    kdf.opsLimit >= PASSPHRASE_KDF_MIN.opsLimit &&
    kdf.opsLimit <= PASSPHRASE_KDF_MAX.opsLimit &&
    kdf.memLimitKib >= PASSPHRASE_KDF_MIN.memLimitKib &&
    kdf.memLimitKib <= PASSPHRASE_KDF_MAX.memLimitKib
  );
}

/** Fresh parameters at the default strength (a new salt each time). */
export function newPassphraseKdf(random: (length: number) => Uint8Array = randomBytes): PassphraseKdf {
  return { salt: Uint8Array.from(random(PASSPHRASE_SALT_BYTES)), ...PASSPHRASE_KDF_DEFAULT };
}

/**
 * Argon2id's inputs under `kdf` besides the passphrase, refused when out of range. The Node side
 * derives in the KDF worker (passphrase-key.ts), MedSeal Reader on its page (main/reader/); both
 * from the canonical passphrase (passphrase-words.ts).
 */
export function passphraseArgon2Params(kdf: PassphraseKdf): Omit<KdfRequest, 'passphrase'> {
  if (!passphraseKdfAcceptable(kdf)) throw new PackageMalformed('its passphrase key derivation is out of range');
  return { salt: Uint8Array.from(kdf.salt), opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitKib * KIB };
}

function encodeParams(kdf: PassphraseKdf): Buffer {
  const params = Buffer.alloc(PARAMS_BYTES);
  Buffer.from(kdf.salt).copy(params, 0);
  params.writeUInt32BE(kdf.opsLimit, PASSPHRASE_SALT_BYTES);
  params.writeUInt32BE(kdf.memLimitKib, PASSPHRASE_SALT_BYTES + 4);
  return params;
}

/** wrap_key = HKDF(Argon2id output, header salt || params, "MEDSEAL-v2-passphrase-stanza"). */
function wrapKey(key: PassphraseKey, headerSalt: Uint8Array): Buffer {
  return hkdfSha256(key.key, Buffer.concat([headerSalt, encodeParams(key.kdf)]), LABEL.passphraseStanza);
}

/**
 * receipt_key = HKDF(Argon2id output, params, "MEDSEAL-v2-passphrase-receipt"): what a passphrase
 * reader's receipt is made with (passphrase-receipt.ts). Only whoever has the passphrase derives it;
 * the sender keeps it from sealing (the params' fresh salt makes it one per package).
 */
export function passphraseReceiptKey(key: PassphraseKey): Buffer {
  return hkdfSha256(key.key, encodeParams(key.kdf), LABEL.passphraseReceipt);
}

/**
 * binding = HMAC(HKDF(Argon2id output, params, "MEDSEAL-v2-passphrase-binding"), sender's Ed25519
 * public key || SHA-256(header_core)): in the signed metadata, checked by a passphrase reader. Only
 * whoever derived the Argon2id output (the sender who drew the words, or the partner) can make it,
 * and it names the signer and this header: a recipient who copies the stanza into a package they
 * sign themselves cannot make one that verifies (FORMAT.md §2.13).
 */
export function passphraseBindingOf(key: PassphraseKey, senderSigningKey: Uint8Array, headerCore: Uint8Array): string {
  const bindingKey = hkdfSha256(key.key, encodeParams(key.kdf), LABEL.passphraseBinding);
  try {
    return hmacSha256(bindingKey, Buffer.concat([senderSigningKey, sha256(headerCore)])).toString('hex');
  } finally {
    bindingKey.fill(0);
  }
}

/** The 72-byte stanza: params || AES-GCM(wrap_key, ZERO12, file_key). */
export function wrapFileKeyForPassphrase(fileKey: Uint8Array, headerSalt: Uint8Array, key: PassphraseKey): Buffer {
  if (key.kdf.salt.length !== PASSPHRASE_SALT_BYTES || !passphraseKdfAcceptable(key.kdf))
    throw new PackageMalformed('its passphrase key derivation is out of range');
  const wrap = wrapKey(key, headerSalt);
  try {
    return Buffer.concat([encodeParams(key.kdf), aesGcmSeal(wrap, ZERO_NONCE, fileKey)]);
  } finally {
    wrap.fill(0);
  }
}

/** The public half of a stanza read from a header: its parameters, checked (FORMAT.md §2.8 step 5). */
export function readPassphraseKdf(stanza: Uint8Array): PassphraseKdf {
  const bytes = Buffer.from(stanza.buffer, stanza.byteOffset, stanza.byteLength);
  if (bytes.length !== PASSPHRASE_STANZA_BYTES) throw new PackageMalformed('its passphrase stanza is cut short');
  const kdf = {
    salt: Uint8Array.from(bytes.subarray(0, PASSPHRASE_SALT_BYTES)),
    opsLimit: bytes.readUInt32BE(PASSPHRASE_SALT_BYTES),
    memLimitKib: bytes.readUInt32BE(PASSPHRASE_SALT_BYTES + 4),
  };
  if (kdf.opsLimit < PASSPHRASE_KDF_MIN.opsLimit || kdf.memLimitKib < PASSPHRASE_KDF_MIN.memLimitKib)
    throw new PackageMalformed('its passphrase key derivation is weaker than MedSeal allows');
  if (!passphraseKdfAcceptable(kdf)) throw new PackageMalformed('its passphrase key derivation is out of range');
  return kdf;
}

/** The file key, or null when this key (this passphrase, in this package) does not open the stanza. */
export function unwrapFileKeyWithPassphrase(
  stanza: Uint8Array,
  headerSalt: Uint8Array,
  key: PassphraseKey,
): Buffer | null {
  const kdf = readPassphraseKdf(stanza);
  // A key derived under other parameters (another package's stanza, or one edited since) never opens it.
  if (!encodeParams(kdf).equals(encodeParams(key.kdf))) return null;
  const wrap = wrapKey(key, headerSalt);
  try {
    return aesGcmOpen(wrap, ZERO_NONCE, stanza.subarray(PARAMS_BYTES));
  } finally {
    wrap.fill(0);
  }
}
