/**
 * The keystore's recovery slot: the master key wrapped a second time, under
 * a key derived from the recovery code of the newest recovery kit (docs/FORMAT.md
 * §4.1). The passphrase slot is untouched, so either opens the
 * identity. A new kit replaces the slot: the old code stops opening it.
 *
 * The code carries 256 bits of entropy, so HKDF-SHA256 is enough to turn it
 * into a key (no password hashing is needed against guessing 2^256 codes).
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { wipe } from '../crypto/primitives.js';
import { openSecret, sealSecret } from '../crypto/secret-box.js';
import { fingerprintHex } from './fingerprint.js';
import { NoRecoveryKit, RecoveryCodeWrong } from './errors.js';
import {
  KEYSTORE_FORMAT,
  KEYSTORE_VERSION,
  parseKeystore,
  serialise,
  type ParsedKeystore,
  type RecoverySlot,
} from './keystore.js';

function recoveryKek(entropy: Uint8Array, salt: Uint8Array, parsed: ParsedKeystore): Uint8Array {
  const info = `${KEYSTORE_FORMAT}/v${KEYSTORE_VERSION}/recovery-kek|${fingerprintHex(parsed.card.fingerprint)}`;
  return new Uint8Array(hkdfSync('sha256', entropy, salt, info, 32));
}

function recoveryAad(parsed: ParsedKeystore, slot: Pick<RecoverySlot, 'createdAt' | 'salt'>): Uint8Array {
  return Buffer.from(
    `${KEYSTORE_FORMAT}/v${KEYSTORE_VERSION}/recovery-key|${fingerprintHex(parsed.card.fingerprint)}|${slot.createdAt}|${Buffer.from(slot.salt).toString('base64')}`,
    'utf8',
  );
}

/** The keystore text with a new recovery slot for `entropy` (replacing any older one). */
export function withRecoverySlot(keystoreText: string, masterKey: Uint8Array, entropy: Uint8Array, now: Date): string {
  const parsed = parseKeystore(keystoreText);
  const slot = { createdAt: now.toISOString(), salt: new Uint8Array(randomBytes(16)) };
  const kek = recoveryKek(entropy, slot.salt, parsed);
  const wrappedMasterKey = sealSecret(kek, masterKey, recoveryAad(parsed, slot));
  wipe(kek);
  return serialise({ ...parsed, recovery: { ...slot, wrappedMasterKey } });
}

/** The master key, unwrapped with a recovery code's entropy; the caller wipes it. */
export function unwrapWithRecoveryCode(parsed: ParsedKeystore, entropy: Uint8Array): Uint8Array {
  if (!parsed.recovery) throw new NoRecoveryKit();
  const kek = recoveryKek(entropy, parsed.recovery.salt, parsed);
  const masterKey = openSecret(kek, parsed.recovery.wrappedMasterKey, recoveryAad(parsed, parsed.recovery));
  wipe(kek);
  if (!masterKey) throw new RecoveryCodeWrong();
  return masterKey;
}

/** The keystore text without its recovery slot (a restore never brings back a kit that may have been replaced). */
export function withoutRecoverySlot(keystoreText: string): string {
  const { recovery: _dropped, ...rest } = parseKeystore(keystoreText);
  return serialise(rest);
}

/** When the newest recovery kit was made, or null when there is none. */
export function recoveryKitMadeAt(keystoreText: string): string | null {
  return parseKeystore(keystoreText).recovery?.createdAt ?? null;
}
