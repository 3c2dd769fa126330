/**
 * Test vector for the thread members of the metadata (docs/FORMAT.md §2.4):
 * Bob answers Alice's v2-basic package with a package whose metadata names
 * it (`replyTo`, its header hash) and carries a `subject`. The committed
 * bytes are reproduced; Alice opens it and reads both members; the packages
 * without them (v1-basic, v2-basic, unchanged) still open, with neither; and
 * the independent Python reader opens all three and refuses a signed package
 * whose subject breaks the rule. Regenerate (only for a deliberate format
 * change) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ed25519Sign, sha256 } from '../../main/crypto/primitives.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { metadataSignatureMessage } from '../../main/package/header.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { forgeHeader } from '../helpers/forge.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { drawsFrom, headerLength, hex, HERE, vectorIdentities, WRITE } from './vector-inputs.js';

/** Version 2 draws salt, file key, then 64 bytes of X-Wing randomness for the one recipient (Alice). */
const RANDOM = { salt: Buffer.alloc(32, 0x71), fileKey: Buffer.alloc(32, 0x72), encapsulation: Buffer.alloc(64, 0x73) };
const SUBJECT = 'Re: Cardiology referral — echo report "urgent"';
const REPLY_FILE = { name: 'echo-report.txt', content: Buffer.from('Echo report (synthetic test data, no real patient).\n') };
const ANSWERED_AT = new Date('2026-11-30T08:30:00.000Z');

/** The header hash of the committed v2-basic package (docs/FORMAT.md §2.5): what the reply answers. */
async function answeredHash(): Promise<string> {
  const bytes = await readFile(join(HERE, 'v2-basic.medseal'));
  return hex(sha256(bytes.subarray(0, headerLength(bytes))));
}

async function sealThreadVector(folder: string) {
  const { alice, bob } = await vectorIdentities(true);
  await writeFile(join(folder, REPLY_FILE.name), REPLY_FILE.content);
  const output = join(folder, 'v2-thread.medseal');
  const sealed = await sealPackage({
    sender: bob,
    recipients: [alice.card],
    files: [{ path: join(folder, REPLY_FILE.name) }],
    note: '',
    replyTo: await answeredHash(),
    subject: SUBJECT,
    output,
    chunkSizeLog2: 12,
    now: ANSWERED_AT,
    random: drawsFrom([RANDOM.salt, RANDOM.fileKey, RANDOM.encapsulation]),
  });
  return { alice, bob, sealed, bytes: await readFile(output) };
}

describe('package vector v2-thread (replyTo and subject)', () => {
  it('sealing with the fixed inputs produces exactly the committed package', async () => {
    const { bytes, sealed } = await sealThreadVector(await tempFolder());
    const description = {
      description:
        'Package format v2 with the optional thread members: Bob answers v2-basic.medseal (replyTo: its header hash) with one file and a subject, to Alice, chunk size 4096.',
      identities: 'as in v2-basic.json (sender bob, recipient alice)',
      randomness: { salt: hex(RANDOM.salt), fileKey: hex(RANDOM.fileKey), encapsulation: [hex(RANDOM.encapsulation)] },
      createdAt: ANSWERED_AT.toISOString(),
      chunkSizeLog2: 12,
      files: [{ name: REPLY_FILE.name, contentHex: hex(REPLY_FILE.content) }],
      note: '',
      replyTo: await answeredHash(),
      subject: SUBJECT,
      headerBytes: headerLength(bytes),
      packageFile: 'v2-thread.medseal',
      packageSha256: hex(sha256(bytes)),
      packageHash: sealed.packageHash,
    };
    if (WRITE) {
      await writeFile(join(HERE, 'v2-thread.medseal'), bytes);
      await writeFile(join(HERE, 'v2-thread.json'), `${JSON.stringify(description, null, 2)}\n`);
    }
    expect(bytes[7]).toBe(2);
    expect(bytes.equals(await readFile(join(HERE, 'v2-thread.medseal')))).toBe(true);
    expect(JSON.parse(await readFile(join(HERE, 'v2-thread.json'), 'utf8'))).toEqual(description);
  });

  it('Alice opens it and reads what it answers and its subject', async () => {
    const { alice, bob } = await vectorIdentities(true);
    const opened = await openPackage(join(HERE, 'v2-thread.medseal'), alice);
    expect(fingerprintHex(opened.metadata.sender.fingerprint)).toBe(fingerprintHex(bob.card.fingerprint));
    expect(opened.metadata.replyTo).toBe(await answeredHash());
    expect(opened.metadata.subject).toBe(SUBJECT);
    const result = await opened.extractTo(await tempFolder());
    await opened.close();
    expect(await readFile(result.paths[0]!)).toEqual(REPLY_FILE.content);
  });

  it('packages without the thread members (the earlier vectors, unchanged) open with neither', async () => {
    const pq = await vectorIdentities(true);
    const classical = await vectorIdentities(false);
    for (const [file, reader] of [
      ['v1-basic.medseal', classical.bob],
      ['v2-basic.medseal', pq.bob],
      ['v2-recovery.medseal', pq.bob],
    ] as const) {
      const opened = await openPackage(join(HERE, file), reader);
      expect({ replyTo: opened.metadata.replyTo, subject: opened.metadata.subject }).toEqual({
        replyTo: null,
        subject: null,
      });
      await opened.close();
    }
  });
});

describe('the independent reader (Python) on the thread members', () => {
  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  const reader = join(HERE, 'independent_reader.py');

  it.runIf(available || process.env.CI)('prints them, opens packages without them, and refuses a subject that breaks the rule', async () => {
    const { alice, bob } = await vectorIdentities(true);
    const read = (path: string, who = alice) =>
      JSON.parse(
        spawnSync(python, [reader, path, hex(who.encryptionSecretKey), hex(who.card.signingKey), hex(who.card.encryptionKey), hex(who.pqSecretKey!)], {
          encoding: 'utf8',
        }).stdout,
      ) as Record<string, unknown>;
    expect(read(join(HERE, 'v2-thread.medseal'))).toMatchObject({
      sender: 'Bob Vector',
      replyTo: await answeredHash(),
      subject: SUBJECT,
      files: [{ name: REPLY_FILE.name, sha256: hex(sha256(REPLY_FILE.content)) }],
    });
    expect(read(join(HERE, 'v2-basic.medseal'), bob)).toMatchObject({ sender: 'Alice Vector', replyTo: null, subject: null });

    // Bob signs metadata whose members break the rule: both readers refuse it at step 10.
    const folder = await tempFolder();
    const canonical = (extra: Record<string, unknown>) =>
      Buffer.from(
        JSON.stringify({
          version: 2,
          sender: Buffer.from(bob.card.bytes).toString('base64'),
          recipients: [fingerprintHex(alice.card.fingerprint)],
          createdAt: ANSWERED_AT.toISOString(),
          files: [{ name: 'a.txt', size: 0 }],
          note: '',
          ...extra,
        }),
      );
    const cases: [string, Record<string, unknown>][] = [
      ['subject too long', { subject: 'x'.repeat(201) }],
      ['subject on two lines', { subject: 'Re: referral\nPlease call' }],
      ['subject with a bidi override', { subject: 'Re: \u202Efdp.exe' }],
      ['empty subject', { subject: '' }],
      ['replyTo not hex', { replyTo: 'Z'.repeat(64) }],
      ['subject before replyTo', { subject: 'Re: x', replyTo: 'a'.repeat(64) }],
    ];
    for (const [index, [name, extra]] of cases.entries()) {
      const body = canonical(extra);
      const header = forgeHeader({
        recipients: [alice.card],
        version: 2,
        body,
        signature: (core) => ed25519Sign(bob.signingSecretKey, metadataSignatureMessage(core, body)),
      });
      const path = join(folder, `bad-${index}.medseal`);
      await writeFile(path, header.bytes);
      expect(read(path).error, name).toBe('PACKAGE_MALFORMED');
      await expect(openPackage(path, alice), name).rejects.toMatchObject({ code: 'PACKAGE_MALFORMED' });
    }
  });
});
