/**
 * Hand-made hostile packages, each built by an attacker who controls every
 * byte (and, for the metadata cases, is a real sender who signs them):
 * each is refused with its documented error and nothing is written.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Sign } from '../../main/crypto/primitives.js';
import { MedSealError } from '../../main/errors/medseal-error.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { sealChunk } from '../../main/package/payload/chunk.js';
import { FIXED_HEADER_BYTES, MAGIC } from '../../main/package/format.js';
import { metadataSignatureMessage } from '../../main/package/header.js';
import { sha256 } from '../../main/crypto/primitives.js';
import { openPackage } from '../../main/package/open.js';
import { fastIdentity } from '../helpers/identities.js';
import { forgeHeader } from '../helpers/forge.js';

let mallory: UnlockedIdentity;
let bob: UnlockedIdentity;
let folder: string;

beforeAll(async () => {
  mallory = await fastIdentity('Mallory Sender');
  bob = await fastIdentity('Bob Target');
  folder = await mkdtemp(join(tmpdir(), 'medseal-hostile-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function refusal(bytes: Buffer): Promise<string> {
  const name = `h${Math.random().toString(16).slice(2)}`;
  await writeFile(join(folder, `${name}.medseal`), bytes);
  const out = join(folder, `${name}-out`);
  await mkdir(out);
  const error = await openPackage(join(folder, `${name}.medseal`), bob)
    .then(async (opened) => opened.extractTo(out).finally(() => opened.close()))
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  expect(await readdir(out)).toEqual([]);
  expect(error).toBeInstanceOf(MedSealError);
  return (error as MedSealError).code;
}

/** A package whose metadata body Mallory chose and signed herself, with `chunks` appended. */
function signedByMallory(
  body: string,
  chunks: (headerHash: Buffer, payloadKey: Buffer) => Buffer[] = () => [],
): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const header = forgeHeader({
    recipients: [bob.card],
    version: 1,
    body: bytes,
    signature: (core) => ed25519Sign(mallory.signingSecretKey, metadataSignatureMessage(core, bytes)),
  });
  return Buffer.concat([header.bytes, ...chunks(sha256(header.bytes), header.keys.payloadKey)]);
}

const metadata = (fields: Record<string, unknown>) =>
  JSON.stringify({
    version: 1,
    sender: Buffer.from(mallory.card.bytes).toString('base64'),
    recipients: [fingerprintHex(bob.card.fingerprint)],
    createdAt: '2026-11-29T12:00:00.000Z',
    files: [{ name: 'a.txt', size: 0 }],
    note: '',
    ...fields,
  });

describe('hostile packages', () => {
  it('zero recipients and 10,000 recipients in the header', async () => {
    for (const count of [0, 10_000]) {
      const header = Buffer.alloc(FIXED_HEADER_BYTES);
      MAGIC.copy(header);
      header[7] = 1;
      header[8] = 12;
      header.writeUInt16BE(count, 10);
      expect(await refusal(header)).toBe('PACKAGE_MALFORMED');
    }
  });

  it('a header claiming 4 GiB of metadata', async () => {
    const header = Buffer.alloc(FIXED_HEADER_BYTES + 48 + 4);
    MAGIC.copy(header);
    header[7] = 1;
    header[8] = 12;
    header.writeUInt16BE(1, 10);
    header.writeUInt32BE(0xffffffff, FIXED_HEADER_BYTES + 48);
    expect(await refusal(header)).toBe('PACKAGE_MALFORMED');
  });

  it('signed metadata with a repeated key, a nested extra field, whitespace, no files, or a path in a name', async () => {
    const canonical = metadata({});
    const emptyFinal = (hash: Buffer, key: Buffer) => [
      sealChunk(key, hash, mallory.signingSecretKey, 0, true, Buffer.alloc(0)),
    ];
    expect(
      await refusal(signedByMallory(canonical.replace('"note":""', '"note":"","note":"second"'), emptyFinal)),
    ).toBe('PACKAGE_MALFORMED');
    expect(await refusal(signedByMallory(metadata({ extra: { nested: [1, { deeper: true }] } }), emptyFinal))).toBe(
      'PACKAGE_MALFORMED',
    );
    expect(await refusal(signedByMallory(canonical.replace('{"version":1,', '{ "version": 1,'), emptyFinal))).toBe(
      'PACKAGE_MALFORMED',
    );
    expect(await refusal(signedByMallory(metadata({ files: [] }), emptyFinal))).toBe('PACKAGE_MALFORMED');
    expect(await refusal(signedByMallory(metadata({ files: [{ name: '../../.bashrc', size: 0 }] }), emptyFinal))).toBe(
      'PACKAGE_MALFORMED',
    );
    expect(
      await refusal(
        signedByMallory(
          metadata({
            files: [
              { name: 'a.txt', size: 0 },
              { name: 'A.TXT', size: 0 },
            ],
          }),
          emptyFinal,
        ),
      ),
    ).toBe('PACKAGE_MALFORMED');
    // the control: the same builder with canonical metadata opens
    const out = join(folder, 'control');
    await mkdir(out);
    await writeFile(join(folder, 'control.medseal'), signedByMallory(canonical, emptyFinal));
    const opened = await openPackage(join(folder, 'control.medseal'), bob);
    await opened.extractTo(out);
    await opened.close();
    expect(await readdir(out)).toEqual(['a.txt']);
  });

  it('a final chunk followed by more data, and a zero-length chunk that is not the last', async () => {
    const oneFile = metadata({ files: [{ name: 'a.txt', size: 4096 }] });
    expect(
      await refusal(
        signedByMallory(oneFile, (hash, key) => [
          sealChunk(key, hash, mallory.signingSecretKey, 0, true, Buffer.alloc(4096)),
          sealChunk(key, hash, mallory.signingSecretKey, 1, true, Buffer.alloc(0)),
        ]),
      ),
    ).toBe('PACKAGE_TAMPERED');
    expect(
      await refusal(
        signedByMallory(oneFile, (hash, key) => [
          sealChunk(key, hash, mallory.signingSecretKey, 0, false, Buffer.alloc(0)),
          sealChunk(key, hash, mallory.signingSecretKey, 1, true, Buffer.alloc(4096)),
        ]),
      ),
    ).toBe('PACKAGE_TAMPERED');
  });
});
