import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import {
  IdentityExists,
  IdentityMissing,
  KeystoreMalformed,
  WeakPassphrase,
  WrongPassphrase,
} from '../../main/identity/errors.js';
import { IdentityStore } from '../../main/identity/identity-store.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { changeKeystorePassphrase, createKeystore, unlockKeystore } from '../../main/identity/keystore.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { tempFolder } from '../helpers/temp-folder.js';

const PROFILE = { name: 'Dr Keystore', organisation: 'Test Hospital', role: 'GP', email: 'keystore@example.org' };
const PASS = 'a long enough passphrase';
let keystore: string;
let fingerprint: string;

beforeAll(async () => {
  await loadSodium();
  const created = await createKeystore({ profile: PROFILE, passphrase: PASS, kdf: KDF_FLOOR });
  keystore = created.keystoreText;
  fingerprint = fingerprintHex(created.identity.card.fingerprint);
});

describe('keystore', () => {
  it('unlocks with the passphrase and holds keys that match the card', async () => {
    const identity = await unlockKeystore(keystore, PASS);
    expect(fingerprintHex(identity.card.fingerprint)).toBe(fingerprint);
    expect(identity.signingSecretKey).toHaveLength(64);
  });

  it('a wrong passphrase is WrongPassphrase', async () => {
    await expect(unlockKeystore(keystore, 'not the passphrase!')).rejects.toThrow(WrongPassphrase);
  });

  it('stores no secret key and no passphrase in clear', async () => {
    const identity = await unlockKeystore(keystore, PASS);
    for (const secret of [identity.signingSecretKey, identity.encryptionSecretKey]) {
      expect(keystore).not.toContain(Buffer.from(secret).toString('base64'));
      expect(keystore).not.toContain(Buffer.from(secret).toString('hex'));
    }
    expect(keystore).not.toContain(PASS);
  });

  it('stores the Argon2id parameters, and refuses parameters below the floor (a downgrade)', async () => {
    const json = JSON.parse(keystore);
    expect(json.kdf).toMatchObject({
      algorithm: 'argon2id13',
      opsLimit: KDF_FLOOR.opsLimit,
      memLimitBytes: KDF_FLOOR.memLimitBytes,
    });
    await expect(unlockKeystore(JSON.stringify({ ...json, kdf: { ...json.kdf, opsLimit: 1 } }), PASS)).rejects.toThrow(
      KeystoreMalformed,
    );
  });

  it('raised parameters in the file (not matching the wrapped key) do not unlock: they are authenticated', async () => {
    const json = JSON.parse(keystore);
    await expect(unlockKeystore(JSON.stringify({ ...json, kdf: { ...json.kdf, opsLimit: 3 } }), PASS)).rejects.toThrow(
      WrongPassphrase,
    );
  });

  it('a card swapped into the keystore does not unlock with the original secrets', async () => {
    const other = JSON.parse(
      (await createKeystore({ profile: { ...PROFILE, email: 'other@example.org' }, passphrase: PASS, kdf: KDF_FLOOR }))
        .keystoreText,
    );
    const json = JSON.parse(keystore);
    await expect(unlockKeystore(JSON.stringify({ ...json, card: other.card }), PASS)).rejects.toThrow(WrongPassphrase);
  });

  it('malformed files get KeystoreMalformed', async () => {
    await expect(unlockKeystore('not json', PASS)).rejects.toThrow(KeystoreMalformed);
    await expect(unlockKeystore('{"format":"medseal-keystore"}', PASS)).rejects.toThrow(KeystoreMalformed);
  });

  it('changing the passphrase keeps the keys; the old passphrase stops working', async () => {
    const { keystoreText: changed, identity } = await changeKeystorePassphrase(
      keystore,
      PASS,
      'the brand new passphrase',
    );
    expect(fingerprintHex(identity.card.fingerprint)).toBe(fingerprint);
    expect(fingerprintHex((await unlockKeystore(changed, 'the brand new passphrase')).card.fingerprint)).toBe(
      fingerprint,
    );
    await expect(unlockKeystore(changed, PASS)).rejects.toThrow(WrongPassphrase);
    expect(JSON.parse(changed).secrets).toEqual(JSON.parse(keystore).secrets);
  });

  it('short passphrases are refused', async () => {
    await expect(createKeystore({ profile: PROFILE, passphrase: 'short', kdf: KDF_FLOOR })).rejects.toThrow(
      WeakPassphrase,
    );
    await expect(changeKeystorePassphrase(keystore, PASS, 'short')).rejects.toThrow(WeakPassphrase);
  });

  it('wipe() zeroes the keys and blocks further use', async () => {
    const identity = await unlockKeystore(keystore, PASS);
    const secret = identity.signingSecretKey;
    identity.wipe();
    expect(secret.every((byte) => byte === 0)).toBe(true);
    expect(() => identity.signingSecretKey).toThrow(/locked/);
  });
});

describe('identity store on disk', () => {
  it('creates a private folder (0700) and keystore (0600); refuses a second identity', async () => {
    const folder = new ProfileFolder(`${await tempFolder()}/profile`);
    const store = new IdentityStore(folder);
    await expect(store.publicCard()).rejects.toBeInstanceOf(IdentityMissing);
    await store.create({ profile: PROFILE, passphrase: PASS, kdf: KDF_FLOOR });
    if (process.platform !== 'win32') {
      expect((await stat(folder.path)).mode & 0o777).toBe(0o700);
      expect((await stat(folder.keystorePath)).mode & 0o777).toBe(0o600);
    }
    await expect(store.create({ profile: PROFILE, passphrase: PASS, kdf: KDF_FLOOR })).rejects.toBeInstanceOf(
      IdentityExists,
    );
    expect(await readdir(folder.path)).toEqual(['identity.keystore.json']);
  });

  it('a wrong passphrase during a passphrase change leaves the file byte-for-byte unchanged', async () => {
    const folder = new ProfileFolder(await tempFolder());
    const store = new IdentityStore(folder);
    await store.create({ profile: PROFILE, passphrase: PASS, kdf: KDF_FLOOR });
    const before = await readFile(folder.keystorePath);
    await expect(store.changePassphrase('wrong passphrase here', 'another new passphrase')).rejects.toBeInstanceOf(
      WrongPassphrase,
    );
    expect(await readFile(folder.keystorePath)).toEqual(before);
    await store.changePassphrase(PASS, 'another new passphrase');
    expect(await readFile(folder.keystorePath)).not.toEqual(before);
    await expect(store.unlock('another new passphrase')).resolves.toBeDefined();
    expect((await readdir(folder.path)).filter((name) => name.startsWith('.medseal-partial-'))).toEqual([]);
  });

  it('a stray temp file from a crashed write is cleaned up', async () => {
    const folder = new ProfileFolder(await tempFolder());
    await folder.ensure();
    await writeFile(`${folder.path}/.medseal-partial-deadbeef`, 'half');
    await writeFile(`${folder.path}/keep-me.txt`, 'not ours');
    expect(await folder.removeStrayTempFiles()).toBe(0); // too recent: may be another process's write in progress
    expect(await folder.removeStrayTempFiles(60_000, Date.now() + 120_000)).toBe(1);
    expect(await readdir(folder.path)).toEqual(['keep-me.txt']);
  });
});
