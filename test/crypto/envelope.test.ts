/**
 * The one secret box and the one passphrase envelope (main/crypto/): what was sealed opens only
 * with the same key or passphrase, the same associated data and the same parameters; any byte
 * changed opens nothing; parameters outside the accepted range are refused before any work.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { KDF_FLOOR, type KdfParams } from '../../main/crypto/kdf.js';
import { newSecretKey, openSecret, sealSecret, type SealedBox } from '../../main/crypto/secret-box.js';
import {
  KdfParamsRefused,
  openWithPassphrase,
  sealWithPassphrase,
  type EnvelopeBinding,
} from '../../main/crypto/passphrase-envelope.js';

beforeAll(loadSodium);

const label = (text: string) => Buffer.from(text, 'utf8');
const flip = (bytes: Uint8Array, at: number) => {
  const copy = Uint8Array.from(bytes);
  copy[at]! ^= 0x01;
  return copy;
};

describe('secret box', () => {
  const key = () => newSecretKey();
  const secret = label('the master key, 32 bytes long...');

  it('opens with the key and associated data it was sealed with', () => {
    const k = key();
    const box = sealSecret(k, secret, label('keystore|alice'));
    expect(Buffer.from(openSecret(k, box, label('keystore|alice'))!)).toEqual(secret);
  });

  it('a fresh nonce each time: the same secret seals to different boxes', () => {
    const k = key();
    const a = sealSecret(k, secret, label('x'));
    const b = sealSecret(k, secret, label('x'));
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
  });

  it('opens nothing with another key, other associated data, or any byte changed', () => {
    const k = key();
    const box = sealSecret(k, secret, label('keystore|alice'));
    expect(openSecret(key(), box, label('keystore|alice'))).toBeNull();
    expect(openSecret(k, box, label('keystore|mallory'))).toBeNull();
    for (let at = 0; at < box.ciphertext.length; at += 7)
      expect(openSecret(k, { ...box, ciphertext: flip(box.ciphertext, at) }, label('keystore|alice'))).toBeNull();
    for (let at = 0; at < box.nonce.length; at += 5)
      expect(openSecret(k, { ...box, nonce: flip(box.nonce, at) }, label('keystore|alice'))).toBeNull();
  });

  it('a box of the wrong shape is refused, not thrown', () => {
    const k = key();
    const box = sealSecret(k, secret, label('a'));
    const shapes: SealedBox[] = [
      { nonce: box.nonce.subarray(0, 12), ciphertext: box.ciphertext },
      { nonce: box.nonce, ciphertext: box.ciphertext.subarray(0, 15) },
      { nonce: box.nonce, ciphertext: new Uint8Array(0) },
    ];
    for (const shape of shapes) expect(openSecret(k, shape, label('a'))).toBeNull();
  });
});

describe('passphrase envelope', () => {
  const passphrase = 'a long and careful passphrase';
  const secret = label('a custodian share of 33 bytes...!');
  const binding: EnvelopeBinding = (kdf) =>
    label(`test-format/v1|owner|${kdf.opsLimit}|${kdf.memLimitBytes}|${Buffer.from(kdf.salt).toString('hex')}`);

  it('opens with the passphrase, and with nothing else', async () => {
    const sealed = await sealWithPassphrase(passphrase, secret, binding, KDF_FLOOR);
    expect(sealed.kdf).toMatchObject(KDF_FLOOR);
    expect(Buffer.from((await openWithPassphrase(passphrase, sealed, binding))!)).toEqual(secret);
    expect(await openWithPassphrase(`${passphrase}!`, sealed, binding)).toBeNull();
    expect(await openWithPassphrase(passphrase, sealed, () => label('test-format/v1|someone-else'))).toBeNull();
  });

  it('the passphrase is NFC-normalised: the same words typed either way open it', async () => {
    const sealed = await sealWithPassphrase('café au lait, sans sucre', secret, binding, KDF_FLOOR);
    expect(await openWithPassphrase('cafe\u0301 au lait, sans sucre', sealed, binding)).not.toBeNull();
  });

  it('changed parameters or salt open nothing, even where the binding leaves them out', async () => {
    const loose: EnvelopeBinding = () => label('test-format/v1|owner');
    const sealed = await sealWithPassphrase(passphrase, secret, loose, KDF_FLOOR);
    const changed: KdfParams[] = [
      { ...sealed.kdf, opsLimit: sealed.kdf.opsLimit + 1 },
      { ...sealed.kdf, memLimitBytes: sealed.kdf.memLimitBytes + 1024 * 1024 },
      { ...sealed.kdf, salt: flip(sealed.kdf.salt, 3) },
    ];
    for (const kdf of changed) expect(await openWithPassphrase(passphrase, { ...sealed, kdf }, loose)).toBeNull();
  });

  it('parameters below the floor or above the ceiling are refused before any derivation', async () => {
    const sealed = await sealWithPassphrase(passphrase, secret, binding, KDF_FLOOR);
    const weak = { ...sealed, kdf: { ...sealed.kdf, opsLimit: 1 } };
    const huge = { ...sealed, kdf: { ...sealed.kdf, memLimitBytes: 64 * 1024 * 1024 * 1024 } };
    await expect(openWithPassphrase(passphrase, weak, binding)).rejects.toBeInstanceOf(KdfParamsRefused);
    await expect(openWithPassphrase(passphrase, huge, binding)).rejects.toBeInstanceOf(KdfParamsRefused);
  });
});
