/**
 * The thread members of a package's metadata (docs/FORMAT.md §2.4:
 * `replyTo`, `subject`), one rule on both sides: a sealer refuses a subject
 * a reader could misread (too long, on two lines, with control or invisible
 * formatting characters, padded) and a `replyTo` that is no header hash;
 * an opener refuses a package whose signed metadata carries one anyway
 * (a malicious sender's, signed with her own key), as damaged. What is
 * allowed round-trips exactly.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519Sign, randomBytes, sha256 } from '../../main/crypto/primitives.js';
import { sealChunk } from '../../main/package/payload/chunk.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { metadataSignatureMessage } from '../../main/package/header.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { subjectProblem } from '../../main/package/thread-fields.js';
import { fastIdentity } from '../helpers/identities.js';
import { forgeHeader } from '../helpers/forge.js';
import { tempFolder } from '../helpers/temp-folder.js';

let mallory: UnlockedIdentity;
let bob: UnlockedIdentity;
const HASH = 'ab'.repeat(32);

beforeAll(async () => {
  mallory = await fastIdentity('Mallory Sender');
  bob = await fastIdentity('Bob Reader', undefined, { postQuantum: false });
});

async function seal(extra: { subject?: string | null; replyTo?: string | null }) {
  const folder = await tempFolder();
  await writeFile(join(folder, 'letter.txt'), 'synthetic letter');
  const output = join(folder, 'p.medseal');
  const result = await sealPackage({
    sender: mallory,
    recipients: [bob.card],
    files: [{ path: join(folder, 'letter.txt') }],
    output,
    chunkSizeLog2: 12,
    ...extra,
  });
  return { folder, output, result };
}

/** The signed metadata Mallory chose, in a header of her own: version 1, one stanza for Bob. */
async function crafted(extra: Record<string, unknown>, first = false): Promise<string> {
  const members = {
    version: 1,
    sender: Buffer.from(mallory.card.bytes).toString('base64'),
    recipients: [fingerprintHex(bob.card.fingerprint)],
    createdAt: '2026-11-29T12:00:00.000Z',
    files: [{ name: 'a.txt', size: 0 }],
    note: '',
  };
  // `first`: the extra members before every other one (a non-canonical order).
  const body = Buffer.from(JSON.stringify(first ? { ...extra, ...members } : { ...members, ...extra }));
  const header = forgeHeader({
    recipients: [bob.card],
    version: 1,
    body,
    signature: (core) => ed25519Sign(mallory.signingSecretKey, metadataSignatureMessage(core, body)),
  });
  // The one (empty, final) chunk a package of one empty file has: only the metadata is wrong.
  const chunk = sealChunk(
    header.keys.payloadKey,
    sha256(header.bytes),
    mallory.signingSecretKey,
    0,
    true,
    Buffer.alloc(0),
  );
  const path = join(await tempFolder(), `c-${Buffer.from(randomBytes(6)).toString('hex')}.medseal`);
  await writeFile(path, Buffer.concat([header.bytes, chunk]));
  return path;
}

const BAD_SUBJECTS: [string, string][] = [
  ['x'.repeat(201), 'too-long'],
  ['🩺'.repeat(201), 'too-long'],
  ['Re: referral\nCall me', 'control'],
  ['Re: referral\r', 'control'],
  ['Re: \u001b[31mURGENT', 'control'],
  ['Re: \u202Etxt.exe', 'control'],
  ['Re:\u200Bx', 'control'],
  ['Re: a\u2028b', 'control'],
  ['Re: \uD800', 'control'],
  ['', 'empty'],
  [' Re: referral', 'padded'],
  ['Re: referral\u00A0', 'padded'],
];

describe('sealing: the subject and replyTo are checked before anything is written', () => {
  it.each(BAD_SUBJECTS)('refuses the subject %j (%s)', async (subject, problem) => {
    expect(subjectProblem(subject)).toBe(problem);
    const folder = await tempFolder();
    await expect(seal({ subject })).rejects.toMatchObject({
      code: 'INVALID_PACKAGE_REQUEST',
      variant: 'subject',
      params: { problem },
    });
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a replyTo that is not 64 lowercase hex digits', async () => {
    for (const replyTo of ['AB'.repeat(32), 'ab'.repeat(31), `${'ab'.repeat(32)}00`, 'zz'.repeat(32), '../x'])
      await expect(seal({ replyTo })).rejects.toMatchObject({ code: 'INVALID_PACKAGE_REQUEST', variant: 'reply-to' });
  });

  it('says why in words, without the subject itself', async () => {
    const error = await seal({ subject: 'Re: Zebulon Quibble\nMRN 4417723' }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      'The subject must be one line, without control or invisible formatting characters. Nothing was sealed.',
    );
    expect((error as Error).message).not.toContain('Quibble');
  });
});

describe('what is allowed round-trips exactly', () => {
  it('200 characters (emoji count as one each), quotes, backslashes and accents', async () => {
    for (const subject of [
      '🩺'.repeat(200),
      'Re: "Befund" \\ Müller — Röntgen <Thorax> & Co.',
      'x',
      'Cardiology referral — echo report',
    ]) {
      const { output, result } = await seal({ subject, replyTo: HASH });
      expect([result.subject, result.replyTo]).toEqual([subject, HASH]);
      const opened = await openPackage(output, bob);
      expect([opened.metadata.subject, opened.metadata.replyTo]).toEqual([subject, HASH]);
      await opened.close();
    }
  });

  it('either member alone, or neither (then the metadata has no such member at all)', async () => {
    for (const extra of [{ subject: 'Only a subject' }, { replyTo: HASH }, {}, { subject: null, replyTo: null }]) {
      const { output, result } = await seal(extra);
      const opened = await openPackage(output, bob);
      expect([opened.metadata.subject, opened.metadata.replyTo]).toEqual([
        extra.subject ?? null,
        extra.replyTo ?? null,
      ]);
      expect([result.subject, result.replyTo]).toEqual([extra.subject ?? null, extra.replyTo ?? null]);
      await opened.close();
    }
  });
});

describe('opening: signed metadata that breaks the rule is a damaged package', () => {
  it.each(BAD_SUBJECTS)('the subject %j', async (subject) => {
    await expect(openPackage(await crafted({ subject }), bob)).rejects.toMatchObject({
      code: 'PACKAGE_MALFORMED',
      category: 'damaged-package',
    });
  });

  it('a replyTo that is not a header hash, or not a string; a subject that is not a string', async () => {
    for (const extra of [
      { replyTo: 'AB'.repeat(32) },
      { replyTo: 'ab'.repeat(31) },
      { replyTo: 42 },
      { replyTo: null },
      { subject: 7 },
      { subject: ['Re: x'] },
      { subject: null },
    ])
      await expect(openPackage(await crafted(extra), bob)).rejects.toMatchObject({ code: 'PACKAGE_MALFORMED' });
  });

  it('the members out of order, or before the note: not the canonical encoding', async () => {
    await expect(openPackage(await crafted({ subject: 'Re: x', replyTo: HASH }), bob)).rejects.toMatchObject({
      code: 'PACKAGE_MALFORMED',
    });
    const early = JSON.parse(JSON.stringify({ subject: 'Re: x' })) as Record<string, unknown>;
    await expect(openPackage(await crafted(early, true), bob)).rejects.toMatchObject({ code: 'PACKAGE_MALFORMED' });
  });

  it('the same members, well-formed and in order, open (the control for the cases above)', async () => {
    const opened = await openPackage(await crafted({ replyTo: HASH, subject: 'Re: x' }), bob);
    expect([opened.metadata.replyTo, opened.metadata.subject]).toEqual([HASH, 'Re: x']);
    await opened.close();
  });
});
