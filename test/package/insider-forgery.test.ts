/**
 * Insider forgery: Bob receives a package from Alice addressed to Bob and
 * Carol. Bob knows the file key and the payload key, so he can encrypt
 * anything Carol will decrypt. He must still be unable to make Carol accept
 * anything as coming from Alice that Alice did not seal for her.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aesGcmOpen, aesGcmSeal, ed25519Sign } from '../../main/crypto/primitives.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { chunkSignatureMessage, openChunk, sealChunk } from '../../main/package/payload/chunk.js';
import { PackageTampered, SignatureInvalid } from '../../main/package/errors.js';
import {
  metadataSignatureMessage,
  openHeader,
  readPublicHeader,
  type OpenedHeader,
} from '../../main/package/header.js';
import { chunkNonce, ZERO_NONCE } from '../../main/package/key-schedule.js';
import { readAtFrom } from '../../main/package/open.js';
import { open } from 'node:fs/promises';
import { fastIdentity } from '../helpers/identities.js';
import { forgeHeader } from '../helpers/forge.js';
import { layoutOf, openSample, sealSample } from '../helpers/packages.js';
import { listFolder, tempFolder } from '../helpers/temp-folder.js';

const CS = 4096;
let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let carol: UnlockedIdentity;
let original: Buffer;
let bobsView: OpenedHeader;

async function headerAs(path: string, who: UnlockedIdentity): Promise<OpenedHeader> {
  const handle = await open(path, 'r');
  try {
    return openHeader(await (await readPublicHeader(readAtFrom(handle))).readRest(), who);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  [alice, bob, carol] = [await fastIdentity('Alice'), await fastIdentity('Bob'), await fastIdentity('Carol')];
  const folder = await tempFolder('medseal-forgery-');
  const sample = await sealSample({
    folder,
    sender: alice,
    recipients: [bob.card, carol.card],
    sizes: [2 * CS + 10],
    note: 'Original note',
  });
  original = await readFile(sample.path);
  bobsView = await headerAs(sample.path, bob);
});

/** Carol opens the forged bytes; returns the error and checks nothing was written. threads: chunk worker threads. */
async function carolOpens(bytes: Buffer, threads = 0): Promise<unknown> {
  const folder = await tempFolder();
  const path = join(folder, 'forged.medseal');
  await writeFile(path, bytes);
  const error = await openSample(path, carol, join(folder, 'out'), threads).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(await listFolder(join(folder, 'out'))).toEqual([]);
  return error;
}

function alicesMetadataBodyAndSignature(): { body: Buffer; signature: Buffer } {
  const raw = bobsView.raw.bytes;
  const start = bobsView.raw.headerCore.length + 4;
  const sealed = aesGcmOpen(bobsView.keys.metadataKey, ZERO_NONCE, raw.subarray(start, raw.length - 32))!;
  return { body: sealed.subarray(0, sealed.length - 64), signature: sealed.subarray(sealed.length - 64) };
}

describe('a recipient cannot forge a package that another recipient accepts as from the sender', () => {
  it.each([0, 2])(
    'changing a chunk under the original header (keeping Alice’s signature) → SignatureInvalid (%i worker threads)',
    async (threads) => {
      const layout = layoutOf(original, 2 * CS + 10);
      const chunk = layout.chunks[1]!;
      const plain = aesGcmOpen(
        bobsView.keys.payloadKey,
        chunkNonce(1, false),
        original.subarray(chunk.offset, chunk.offset + chunk.length),
      )!;
      plain.write('FORGED DIAGNOSIS', 0); // Bob rewrites the data, keeps the signature bytes at the end
      const forged = Buffer.from(original);
      aesGcmSeal(bobsView.keys.payloadKey, chunkNonce(1, false), plain).copy(forged, chunk.offset);
      const error = await carolOpens(forged, threads);
      expect(error).toBeInstanceOf(SignatureInvalid);
      expect((error as SignatureInvalid).chunkIndex).toBe(1);
    },
  );

  it.each([0, 2])(
    'replacing the whole payload with chunks Bob signed himself → SignatureInvalid (%i worker threads)',
    async (threads) => {
      const layout = layoutOf(original, 2 * CS + 10);
      const replaced = [original.subarray(0, layout.headerLength)];
      for (const [index, chunk] of layout.chunks.entries()) {
        const data = Buffer.alloc(chunk.length - 80, 0x41);
        replaced.push(
          sealChunk(
            bobsView.keys.payloadKey,
            bobsView.hash,
            bob.signingSecretKey,
            index,
            index === layout.chunks.length - 1,
            data,
          ),
        );
      }
      const error = await carolOpens(Buffer.concat(replaced), threads);
      expect(error).toBeInstanceOf(SignatureInvalid);
      expect((error as SignatureInvalid).chunkIndex).toBe(0);
    },
  );

  it('a new header for Carol alone, reusing Alice’s metadata and signature → SignatureInvalid (metadata)', async () => {
    const { body, signature } = alicesMetadataBodyAndSignature();
    const forged = forgeHeader({ recipients: [bob.card, carol.card], body, signature: () => signature });
    const error = await carolOpens(Buffer.concat([forged.bytes, original.subarray(bobsView.raw.headerLength)]));
    expect(error).toBeInstanceOf(SignatureInvalid);
    expect((error as SignatureInvalid).region).toBe('metadata');
  });

  it('a new header naming Alice as sender, signed by Bob → SignatureInvalid (metadata)', async () => {
    const { body } = alicesMetadataBodyAndSignature();
    const forged = forgeHeader({
      recipients: [bob.card, carol.card],
      body,
      signature: (core) => ed25519Sign(bob.signingSecretKey, metadataSignatureMessage(core, body)),
    });
    const error = await carolOpens(Buffer.concat([forged.bytes, original.subarray(bobsView.raw.headerLength)]));
    expect(error).toBeInstanceOf(SignatureInvalid);
  });

  it('Alice’s chunks re-encrypted under a forged header whose metadata Alice really signed elsewhere → chunk signatures fail', async () => {
    // Even with a header that passed (simulated here by re-signing as Alice would), Alice's chunk
    // signatures bind the original header hash, so moving her chunks under any other header fails.
    const { body } = alicesMetadataBodyAndSignature();
    const forged = forgeHeader({
      recipients: [bob.card, carol.card],
      body,
      signature: (core) => ed25519Sign(alice.signingSecretKey, metadataSignatureMessage(core, body)), // only Alice could do this
    });
    const layout = layoutOf(original, 2 * CS + 10);
    const chunks = layout.chunks.map((chunk, index) => {
      const isFinal = index === layout.chunks.length - 1;
      const plain = aesGcmOpen(
        bobsView.keys.payloadKey,
        chunkNonce(index, isFinal),
        original.subarray(chunk.offset, chunk.offset + chunk.length),
      )!;
      return aesGcmSeal(forged.keys.payloadKey, chunkNonce(index, isFinal), plain);
    });
    const error = await carolOpens(Buffer.concat([forged.bytes, ...chunks]));
    expect(error).toBeInstanceOf(SignatureInvalid);
    expect((error as SignatureInvalid).chunkIndex).toBe(0);
  });
});

describe('the chunk signature binds position and the last-chunk flag', () => {
  it('a chunk relabelled as final, or moved to another index, fails its signature', () => {
    const key = Buffer.alloc(32, 7);
    const headerHash = Buffer.alloc(32, 9);
    const data = Buffer.from('chunk data');
    const signature = ed25519Sign(alice.signingSecretKey, chunkSignatureMessage(headerHash, 3, false, data));
    const plain = Buffer.concat([data, signature]);
    const asFinal = aesGcmSeal(key, chunkNonce(3, true), plain);
    expect(() => openChunk(key, headerHash, alice.card.signingKey, 3, true, asFinal)).toThrow(SignatureInvalid);
    const moved = aesGcmSeal(key, chunkNonce(4, false), plain);
    expect(() => openChunk(key, headerHash, alice.card.signingKey, 4, false, moved)).toThrow(SignatureInvalid);
    const genuine = aesGcmSeal(key, chunkNonce(3, false), plain);
    expect(openChunk(key, headerHash, alice.card.signingKey, 3, false, genuine)).toEqual(data);
    expect(() => openChunk(key, headerHash, alice.card.signingKey, 3, true, genuine)).toThrow(PackageTampered);
  });
});
