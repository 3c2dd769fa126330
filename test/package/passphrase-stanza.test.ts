/**
 * Passphrase packages (docs/FORMAT.md §2.13): a stanza that opens with a
 * generated passphrase, alone or beside contacts; the reader with only the
 * passphrase opens it without any identity and still verifies the sender's
 * signatures. And the attacks on it: Argon2id parameters lowered, the stanza
 * swapped in from another package, the stanza removed from a mixed package
 * (by an outsider, and by a recipient who knows the file key), the flag
 * flipped either way, a passphrase stanza in a version 1 header. Each is
 * refused with a typed error and leaves nothing behind. Argon2id runs at full
 * strength (about 1.5 s): one key is derived and reused across packages here.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMedSealError } from '../../main/errors/medseal-error.js';
import { aesGcmOpen, aesGcmSeal, ed25519Sign, hmacSha256 } from '../../main/crypto/primitives.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { FIXED_HEADER_BYTES_V2, PASSPHRASE_STANZA_BYTES, STANZA_BYTES_V2 } from '../../main/package/format.js';
import { metadataSignatureMessage, type PackageReader } from '../../main/package/header.js';
import { inspectPackage, passphraseKdfOf } from '../../main/package/inspect.js';
import { derivePackageKeys, unwrapFileKeyPq, ZERO_NONCE } from '../../main/package/key-schedule.js';
import { encodeMetadataBody, parseMetadataBody } from '../../main/package/metadata.js';
import { openPackage } from '../../main/package/open.js';
import { newPassphraseKdf, type PassphraseKey } from '../../main/package/passphrase-stanza.js';
import { derivePassphraseKey } from '../../main/package/passphrase-key.js';
import { newPackagePassphrase, parsePackagePassphrase } from '../../main/package/passphrase-words.js';
import { fastIdentity } from '../helpers/identities.js';
import { digests, openSample, sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

const SAM = { name: 'Dr Sam Smith', email: 'sam@partner.example', phone: '+41 44 123 45 67' };

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let classical: UnlockedIdentity;
let passphrase: string;
let key: PassphraseKey;
let reader: PackageReader;

beforeAll(async () => {
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
  classical = await fastIdentity('Carol', undefined, { postQuantum: false });
  passphrase = newPackagePassphrase();
  key = await derivePassphraseKey(passphrase, newPassphraseKdf());
  reader = { passphraseKey: key };
});

async function sealed(recipients: UnlockedIdentity[], name = 'pkg') {
  const folder = await tempFolder('medseal-pp-');
  const sample = await sealSample({
    folder,
    name,
    sender: alice,
    recipients: recipients.map((who) => who.card),
    sizes: [5000, 17],
    passphrase: { recipient: SAM, key },
  });
  return { ...sample, folder, bytes: await readFile(sample.path) };
}

/** Opens `bytes` as `who`; the typed error's code and what the output folder holds afterwards. */
async function refusal(bytes: Buffer, who: PackageReader): Promise<{ code: string; left: string[] }> {
  const folder = await tempFolder('medseal-pp-m-');
  const path = join(folder, 'm.medseal');
  await writeFile(path, bytes);
  const out = await tempFolder('medseal-pp-out-');
  const error = await openPackage(path, who)
    .then(async (opened) => {
      try {
        await opened.extractTo(out);
      } finally {
        await opened.close();
      }
      return null;
    })
    .catch((caught: unknown) => caught);
  if (!isMedSealError(error)) throw new Error(`expected a typed refusal, got ${String(error)}`);
  return { code: error.code, left: await readdir(out) };
}

/** Where the passphrase stanza of a version 2 package with `n` recipient stanzas starts. */
const stanzaAt = (n: number) => FIXED_HEADER_BYTES_V2 + n * STANZA_BYTES_V2;

describe('the passphrase', () => {
  it('is six words of the list, read back forgivingly and refused by count or position', () => {
    const words = passphrase.split(' ');
    expect(words).toHaveLength(6);
    expect(newPackagePassphrase()).not.toBe(passphrase);
    expect(parsePackagePassphrase(`  ${words.map((word) => word.toUpperCase()).join(' - ')}\n`)).toBe(passphrase);
    expect(parsePackagePassphrase('abandon ability able about above absent')).toBe(
      'abandon ability able about above absent',
    );
    expect(parsePackagePassphrase('aban abil able abou abov abse')).toBe('abandon ability able about above absent');
    expect(() => parsePackagePassphrase('abandon ability able')).toThrow(
      expect.objectContaining({ code: 'PACKAGE_PASSPHRASE_INVALID', variant: 'count', params: { count: 3 } }),
    );
    expect(() => parsePackagePassphrase('abandon ability able about zzzz absent')).toThrow(
      expect.objectContaining({ code: 'PACKAGE_PASSPHRASE_INVALID', variant: 'word', params: { position: 5 } }),
    );
  });
});

describe('sealing and opening', () => {
  it('a passphrase-only package: no recipient stanza, opened with the passphrase and no identity', async () => {
    const sample = await sealed([]);
    expect(sample.bytes.readUInt16BE(10)).toBe(0);
    expect(sample.bytes[9]).toBe(0x02);
    const info = await inspectPackage(sample.path);
    expect(info).toMatchObject({
      formatVersion: 2,
      recipientCount: 0,
      passphrase: { opsLimit: 3, memLimitBytes: 256 * 1024 * 1024 },
    });
    const metadataLength = sample.bytes.readUInt32BE(stanzaAt(0) + PASSPHRASE_STANZA_BYTES);
    expect(info.headerBytes).toBe(FIXED_HEADER_BYTES_V2 + PASSPHRASE_STANZA_BYTES + 4 + metadataLength + 32);
    const opened = await openPackage(sample.path, reader);
    expect(opened.metadata.recipients).toEqual([]);
    expect(opened.metadata.passphraseRecipient).toEqual(SAM);
    expect(opened.metadata.sender.profile.name).toBe('Alice');
    await opened.close();
    expect(digests(await openSample(sample.path, reader, join(sample.folder, 'out')))).toEqual(
      digests(sample.contents),
    );
  });

  it('a mixed package: the contact opens it with their identity, the partner with the passphrase', async () => {
    const sample = await sealed([bob]);
    expect((await passphraseKdfOf(sample.path))?.salt).toEqual(key.kdf.salt);
    for (const who of [bob, reader] as PackageReader[]) {
      const out = join(sample.folder, `out-${'passphraseKey' in who ? 'pp' : 'bob'}`);
      expect(digests(await openSample(sample.path, who, out))).toEqual(digests(sample.contents));
    }
    await expect(openPackage(sample.path, alice)).rejects.toMatchObject({ code: 'NOT_A_RECIPIENT' });
  });

  it('a wrong passphrase, or a passphrase for a package without the stanza, is refused and writes nothing', async () => {
    const sample = await sealed([bob]);
    const wrong = await derivePassphraseKey(newPackagePassphrase(), key.kdf);
    expect(await refusal(sample.bytes, { passphraseKey: wrong })).toEqual({
      code: 'PACKAGE_PASSPHRASE_WRONG',
      left: [],
    });
    const folder = await tempFolder('medseal-pp-plain-');
    const plain = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [10] });
    await expect(openPackage(plain.path, reader)).rejects.toMatchObject({
      code: 'NOT_A_RECIPIENT',
      variant: 'passphrase',
    });
  });

  it('a recipient without a post-quantum key cannot stand beside a passphrase (version 2 only)', async () => {
    await expect(sealed([classical])).rejects.toMatchObject({
      code: 'INVALID_PACKAGE_REQUEST',
      variant: 'passphrase-post-quantum',
    });
  });
});

describe('attacks on the stanza', () => {
  it('Argon2id parameters lowered (passes, memory) are refused before any derivation, whoever reads', async () => {
    const { bytes } = await sealed([bob]);
    const at = stanzaAt(1);
    const fewerPasses = Buffer.from(bytes);
    fewerPasses.writeUInt32BE(2, at + 16);
    const lessMemory = Buffer.from(bytes);
    lessMemory.writeUInt32BE(64 * 1024, at + 20);
    for (const mutated of [fewerPasses, lessMemory]) {
      expect(await refusal(mutated, reader)).toEqual({ code: 'PACKAGE_MALFORMED', left: [] });
      expect(await refusal(mutated, bob)).toEqual({ code: 'PACKAGE_MALFORMED', left: [] });
    }
    // Raised within the range: the key no longer fits (the parameters are bound), and the MAC would fail.
    const morePasses = Buffer.from(bytes);
    morePasses.writeUInt32BE(4, at + 16);
    expect((await refusal(morePasses, reader)).code).toBe('PACKAGE_PASSPHRASE_WRONG');
    expect((await refusal(morePasses, bob)).code).toBe('PACKAGE_TAMPERED');
  });

  it('a stanza swapped in from another package (same passphrase) does not open there', async () => {
    const first = await sealed([bob], 'first');
    const second = await sealed([bob], 'second');
    const at = stanzaAt(1);
    const swapped = Buffer.from(first.bytes);
    second.bytes.copy(swapped, at, at, at + PASSPHRASE_STANZA_BYTES);
    // The wrap key names the header's salt: the other package's stanza is not this package's.
    expect(await refusal(swapped, reader)).toEqual({ code: 'PACKAGE_PASSPHRASE_WRONG', left: [] });
    expect(await refusal(swapped, bob)).toEqual({ code: 'PACKAGE_TAMPERED', left: [] });
  });

  it('the stanza removed from a mixed package, or the flag flipped, is refused', async () => {
    const mixed = (await sealed([bob])).bytes;
    const at = stanzaAt(1);
    const removed = Buffer.concat([mixed.subarray(0, at), mixed.subarray(at + PASSPHRASE_STANZA_BYTES)]);
    removed[9] = 0;
    expect(await refusal(removed, bob)).toEqual({ code: 'PACKAGE_TAMPERED', left: [] });
    const cleared = Buffer.from(mixed);
    cleared[9] = 0;
    expect((await refusal(cleared, bob)).code).toMatch(/^PACKAGE_(MALFORMED|TAMPERED)$/);
    expect((await refusal(cleared, reader)).code).toMatch(/^(PACKAGE_MALFORMED|NOT_A_RECIPIENT)$/);

    const folder = await tempFolder('medseal-pp-flag-');
    const plain = await readFile(
      (await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [10] })).path,
    );
    const set = Buffer.from(plain);
    set[9] = 0x02;
    expect((await refusal(set, bob)).code).toMatch(/^PACKAGE_(MALFORMED|TAMPERED)$/);
    const v1 = await readFile(
      (await sealSample({ folder, name: 'v1', sender: alice, recipients: [classical.card], sizes: [10] })).path,
    );
    const v1Set = Buffer.from(v1);
    v1Set[9] = 0x02;
    expect(await refusal(v1Set, classical)).toEqual({ code: 'PACKAGE_MALFORMED', left: [] });
  });

  it('a recipient who knows the file key removes the stanza and re-MACs the header: the metadata or the signature gives it away', async () => {
    const mixed = (await sealed([bob])).bytes;
    const at = stanzaAt(1);
    const fileKey = unwrapFileKeyPq([mixed.subarray(FIXED_HEADER_BYTES_V2, at)], bob.pqSecretKey!)!;
    const salt = mixed.subarray(12, 44);
    const keys = derivePackageKeys(fileKey, salt);
    const oldLength = mixed.readUInt32BE(at + PASSPHRASE_STANZA_BYTES);
    const metadataAt = at + PASSPHRASE_STANZA_BYTES + 4;
    const plain = aesGcmOpen(keys.metadataKey, ZERO_NONCE, mixed.subarray(metadataAt, metadataAt + oldLength))!;
    const core = Buffer.from(mixed.subarray(0, at));
    core[9] = 0;
    const rebuild = (body: Buffer, signature: Uint8Array) => {
      const metadata = aesGcmSeal(keys.metadataKey, ZERO_NONCE, Buffer.concat([body, signature]));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(metadata.length);
      const header = Buffer.concat([core, length, metadata]);
      return Buffer.concat([
        header,
        hmacSha256(keys.headerMacKey, header),
        mixed.subarray(metadataAt + oldLength + 32),
      ]);
    };
    // The body still names the passphrase recipient: step 10.
    const kept = plain.subarray(0, plain.length - 64);
    expect((await refusal(rebuild(kept, plain.subarray(plain.length - 64)), bob)).code).toBe('PACKAGE_MALFORMED');
    // The member removed too: Bob cannot sign as Alice (his own signature does not verify as hers).
    const metadata = parseMetadataBody(kept, 2, false, true);
    const body = encodeMetadataBody({ ...metadata, passphraseRecipient: null, passphraseBinding: null }, 2);
    const forged = ed25519Sign(bob.signingSecretKey, metadataSignatureMessage(core, body));
    expect(await refusal(rebuild(body, forged), bob)).toEqual({ code: 'SIGNATURE_INVALID', left: [] });
  });

  it('metadata that names a passphrase recipient with a line break or a bad address is refused', () => {
    const base = {
      sender: alice.card,
      recipients: [],
      createdAt: '2026-11-29T12:00:00.000Z',
      files: [{ name: 'a.txt', size: 0 }],
      note: '',
      recovery: null,
      passphraseBinding: null,
      directoryHead: null,
      replyTo: null,
      subject: null,
    };
    for (const recipient of [
      { ...SAM, name: 'Sam\nSmith' },
      { ...SAM, email: 'Sam@Partner.example' },
      { ...SAM, phone: 'call me' },
      { ...SAM, name: ' Sam' },
    ]) {
      const body = encodeMetadataBody(
        { ...base, passphraseRecipient: recipient, passphraseBinding: 'ab'.repeat(32) },
        2,
      );
      expect(() => parseMetadataBody(body, 2, false, true)).toThrow(
        expect.objectContaining({ code: 'PACKAGE_MALFORMED' }),
      );
    }
    const none = encodeMetadataBody({ ...base, passphraseRecipient: null }, 2);
    expect(() => parseMetadataBody(none, 2, false, false)).toThrow(
      expect.objectContaining({ code: 'PACKAGE_MALFORMED' }),
    );
  });
});
