/**
 * Format version 2 (docs/FORMAT.md §2.11): packages to recipients whose cards
 * carry an X-Wing key are post-quantum; one classical recipient makes the
 * package version 1 for everyone; readers open both. And the attacks on it:
 * a version 2 header downgraded to version 1 (by byte, by swapping the X-Wing
 * stanza for an X25519 one, by an insider who knows the file key), a version 1
 * package claiming version 2, and cut KEM ciphertexts. Each must be refused
 * with a typed error and leave nothing behind.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { isMedSealError } from '../../main/errors/medseal-error.js';
import { aesGcmOpen, aesGcmSeal, hmacSha256, x25519PublicKey } from '../../main/crypto/primitives.js';
import { XWING_CIPHERTEXT_BYTES } from '../../main/crypto/xwing.js';
import { derivePackageKeys, unwrapFileKeyPq, wrapFileKey, ZERO_NONCE } from '../../main/package/key-schedule.js';
import { FIXED_HEADER_BYTES_V2, STANZA_BYTES_V2 } from '../../main/package/format.js';
import { inspectPackage } from '../../main/package/inspect.js';
import { openPackage } from '../../main/package/open.js';
import { fastIdentity } from '../helpers/identities.js';
import { digests, layoutOf, openSample, sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

let alice: UnlockedIdentity; // post-quantum sender
let bob: UnlockedIdentity; // post-quantum recipient
let carol: UnlockedIdentity; // an identity made before post-quantum keys
let carol2: UnlockedIdentity; // another post-quantum recipient

beforeAll(async () => {
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
  carol = await fastIdentity('Carol', undefined, { postQuantum: false });
  carol2 = await fastIdentity('Carol Two');
});

/** Opens `path` as `reader` into a fresh folder; the error code, and what the folder holds afterwards. */
async function refusal(path: string, reader: UnlockedIdentity): Promise<{ code: string; left: string[] }> {
  const out = await tempFolder('medseal-pq-out-');
  const error = await openPackage(path, reader)
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

describe('which version a package is written in', () => {
  it('every recipient post-quantum: version 2, and it opens', async () => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [5000, 3] });
    expect((await inspectPackage(sample.path)).formatVersion).toBe(2);
    expect((await readFile(sample.path))[7]).toBe(2);
    expect(digests(await openSample(sample.path, bob, join(folder, 'out')))).toEqual(digests(sample.contents));
  });

  it('one recipient without a post-quantum key: version 1 for everyone, and both open it', async () => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card, carol.card], sizes: [5000] });
    expect((await inspectPackage(sample.path)).formatVersion).toBe(1);
    expect(digests(await openSample(sample.path, bob, join(folder, 'bob')))).toEqual(digests(sample.contents));
    expect(digests(await openSample(sample.path, carol, join(folder, 'carol')))).toEqual(digests(sample.contents));
  });

  it('a sender without a post-quantum key still writes version 2 to post-quantum recipients', async () => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: carol, recipients: [bob.card], sizes: [10] });
    expect((await inspectPackage(sample.path)).formatVersion).toBe(2);
    expect(digests(await openSample(sample.path, bob, join(folder, 'out')))).toEqual(digests(sample.contents));
  });

  it('a version 2 header costs 1,168 bytes per recipient', async () => {
    const folder = await tempFolder('medseal-pq-');
    const readers = [bob, ...(await Promise.all([1, 2, 3].map((n) => fastIdentity(`Reader ${n}`))))];
    const one = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [1], name: 'one' });
    const four = await sealSample({
      folder,
      sender: alice,
      recipients: readers.map((reader) => reader.card),
      sizes: [1],
      name: 'four',
    });
    const [a, b] = [layoutOf(await readFile(one.path), 1), layoutOf(await readFile(four.path), 1)];
    expect(b.headerLength - a.headerLength - (b.macStart - b.metadataStart - (a.macStart - a.metadataStart))).toBe(
      3 * STANZA_BYTES_V2,
    );
    expect(a.stanzaOffsets[0]).toBe(FIXED_HEADER_BYTES_V2);
  });
});

describe('attacks on version 2', () => {
  it('changing the version byte to 1 is refused, nothing written', async () => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [100] });
    const bytes = await readFile(sample.path);
    bytes[7] = 1;
    await writeFile(sample.path, bytes);
    const { code, left } = await refusal(sample.path, bob);
    expect(['PACKAGE_MALFORMED', 'PACKAGE_TRUNCATED', 'NOT_A_RECIPIENT', 'PACKAGE_TAMPERED']).toContain(code);
    expect(left).toEqual([]);
  });

  /**
   * Bob, a recipient, knows the file key. He rebuilds the header as version 1 with an X25519
   * stanza (the classical one a downgrade would leave), re-encrypts the metadata and re-computes
   * the MAC: everything an attacker without Alice's signing key can do.
   */
  async function downgradedByInsider(bodyVersion: 1 | 2): Promise<string> {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [100] });
    const bytes = await readFile(sample.path);
    const layout = layoutOf(bytes, 100);
    const salt = bytes.subarray(12, 44);
    const fileKey = unwrapFileKeyPq(
      [bytes.subarray(layout.stanzaOffsets[0], layout.metadataLengthOffset)],
      bob.pqSecretKey!,
    )!;
    const keys = derivePackageKeys(fileKey, salt);
    const sealed = aesGcmOpen(keys.metadataKey, ZERO_NONCE, bytes.subarray(layout.metadataStart, layout.macStart))!;
    const body = Buffer.from(
      sealed
        .subarray(0, sealed.length - 64)
        .toString('utf8')
        .replace('{"version":2,', `{"version":${bodyVersion},`),
    );
    const signature = sealed.subarray(sealed.length - 64);
    const ephemeralSecret = Buffer.alloc(32, 9);
    const ephemeralPublic = Buffer.from(x25519PublicKey(ephemeralSecret));
    const fixed = Buffer.concat([bytes.subarray(0, 44), ephemeralPublic]);
    fixed[7] = 1;
    const stanza = wrapFileKey(fileKey, ephemeralSecret, ephemeralPublic, bob.card.encryptionKey)!;
    const metadata = aesGcmSeal(keys.metadataKey, ZERO_NONCE, Buffer.concat([body, signature]));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(metadata.length);
    const unauthenticated = Buffer.concat([fixed, stanza, length, metadata]);
    const header = Buffer.concat([unauthenticated, hmacSha256(keys.headerMacKey, unauthenticated)]);
    await writeFile(sample.path, Buffer.concat([header, bytes.subarray(layout.headerLength)]));
    return sample.path;
  }

  it('an insider swapping the X-Wing stanza for an X25519 one: the metadata still says version 2, refused', async () => {
    const { code, left } = await refusal(await downgradedByInsider(2), bob);
    expect(code).toBe('PACKAGE_MALFORMED');
    expect(left).toEqual([]);
  });

  it('…and with the metadata rewritten to version 1 too: the sender never signed that, refused', async () => {
    const { code, left } = await refusal(await downgradedByInsider(1), bob);
    expect(code).toBe('SIGNATURE_INVALID');
    expect(left).toEqual([]);
  });

  it('a version 1 package whose metadata claims version 2 is refused', async () => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card, carol.card], sizes: [100] });
    const bytes = await readFile(sample.path);
    const layout = layoutOf(bytes, 100);
    expect(bytes[7]).toBe(1);
    // Carol (a recipient) re-encrypts the metadata with "version":2 and fixes the MAC.
    const { unwrapFileKey } = await import('../../main/package/key-schedule.js');
    const stanzas = layout.stanzaOffsets.map((offset) => bytes.subarray(offset, offset + 48));
    const fileKey = unwrapFileKey(
      stanzas,
      bytes.subarray(44, 76),
      carol.encryptionSecretKey,
      carol.card.encryptionKey,
    )!;
    const keys = derivePackageKeys(fileKey, bytes.subarray(12, 44));
    const sealed = aesGcmOpen(keys.metadataKey, ZERO_NONCE, bytes.subarray(layout.metadataStart, layout.macStart))!;
    const claimed = Buffer.from(sealed.toString('latin1').replace('{"version":1,', '{"version":2,'), 'latin1');
    const metadata = aesGcmSeal(keys.metadataKey, ZERO_NONCE, claimed);
    const unauthenticated = Buffer.concat([bytes.subarray(0, layout.metadataStart), metadata]);
    await writeFile(
      sample.path,
      Buffer.concat([
        unauthenticated,
        hmacSha256(keys.headerMacKey, unauthenticated),
        bytes.subarray(layout.headerLength),
      ]),
    );
    for (const reader of [bob, carol])
      expect(await refusal(sample.path, reader)).toEqual({ code: 'PACKAGE_MALFORMED', left: [] });
  });

  it.each([
    { what: 'one byte cut from the KEM ciphertext', cut: 1 },
    { what: 'the KEM ciphertext cut to a classical stanza', cut: XWING_CIPHERTEXT_BYTES },
  ])('$what: refused, nothing written', async ({ cut }) => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [100] });
    const bytes = await readFile(sample.path);
    const at = FIXED_HEADER_BYTES_V2 + XWING_CIPHERTEXT_BYTES - cut;
    await writeFile(sample.path, Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + cut)]));
    const { code, left } = await refusal(sample.path, bob);
    expect(['PACKAGE_MALFORMED', 'PACKAGE_TRUNCATED', 'NOT_A_RECIPIENT', 'PACKAGE_TAMPERED']).toContain(code);
    expect(left).toEqual([]);
  });

  it("a stanza whose X25519 part is a low-order point is not anyone's: typed refusals, no crash (security review, F1)", async () => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [carol2.card, bob.card], sizes: [100] });
    const bytes = await readFile(sample.path);
    bytes.fill(0, FIXED_HEADER_BYTES_V2 + 1088, FIXED_HEADER_BYTES_V2 + 1120); // stanza 1 (Carol's): ct_X = 0
    await writeFile(sample.path, bytes);
    expect((await refusal(sample.path, carol2)).code).toBe('NOT_A_RECIPIENT');
    expect((await refusal(sample.path, bob)).code).toBe('PACKAGE_TAMPERED'); // Bob's stanza works; the header MAC does not
  });

  it('an identity without a post-quantum key is not a recipient of a version 2 package', async () => {
    const folder = await tempFolder('medseal-pq-');
    const sample = await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [10] });
    expect((await refusal(sample.path, carol)).code).toBe('NOT_A_RECIPIENT');
  });
});
