/**
 * Property tests (fast-check): any files, any recipients, any note round-trip;
 * any mutation of a sealed package is rejected and writes nothing.
 */
import fc from 'fast-check';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MedSealError } from '../../main/errors/medseal-error.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { NotARecipient } from '../../main/package/errors.js';
import { fileNameProblem } from '../../main/package/file-names.js';
import { sealPackage } from '../../main/package/seal.js';
import { fastIdentity } from '../helpers/identities.js';
import { openSample } from '../helpers/packages.js';
import { listFolder, tempFolder } from '../helpers/temp-folder.js';

let people: UnlockedIdentity[];
let outsider: UnlockedIdentity;

beforeAll(async () => {
  people = await Promise.all(Array.from({ length: 6 }, (_, i) => fastIdentity(`Person ${i}`)));
  outsider = await fastIdentity('Outsider');
});

const fileArb = fc.record({
  name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _().-]{0,30}[A-Za-z0-9]$/),
  content: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 4000, maxLength: 13000 })),
});

describe('round trip', () => {
  it('any files, any set of recipients, any note: every recipient gets the exact files; others get NotARecipient', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fileArb, { minLength: 1, maxLength: 5, selector: (file) => file.name.toLowerCase() }),
        fc.subarray([0, 1, 2, 3, 4, 5], { minLength: 1 }),
        fc.nat({ max: 5 }),
        fc.string({ maxLength: 200, unit: 'grapheme' }),
        async (files, recipientIndexes, senderIndex, note) => {
          const folder = await tempFolder();
          const inputs = join(folder, 'in');
          await mkdir(inputs);
          for (const file of files) await writeFile(join(inputs, file.name), file.content);
          const output = join(folder, 'p.medseal');
          await sealPackage({
            sender: people[senderIndex]!,
            recipients: recipientIndexes.map((index) => people[index]!.card),
            files: files.map((file) => ({ path: join(inputs, file.name) })),
            note,
            output,
            chunkSizeLog2: 12,
          });
          const reader = people[recipientIndexes[recipientIndexes.length - 1]!]!;
          const contents = await openSample(output, reader, join(folder, 'out'));
          expect(contents.map((c) => new Uint8Array(c))).toEqual(files.map((file) => file.content));
          await expect(openSample(output, outsider, join(folder, 'out-outsider'))).rejects.toBeInstanceOf(
            NotARecipient,
          );
          expect(await listFolder(join(folder, 'out-outsider'))).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('mutations', () => {
  it('any bit flip, truncation, insertion or deletion is rejected and leaves nothing behind', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'a.txt'), Buffer.alloc(9000, 0x61));
    await writeFile(join(folder, 'b.txt'), Buffer.from('second file'));
    const path = join(folder, 'p.medseal');
    await sealPackage({
      sender: people[0]!,
      recipients: [people[1]!.card, people[2]!.card],
      files: [{ path: join(folder, 'a.txt') }, { path: join(folder, 'b.txt') }],
      note: 'n',
      output: path,
      chunkSizeLog2: 12,
    });
    const original = await readFile(path);

    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat({ max: original.length - 1 }),
        bit: fc.nat({ max: 7 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: original.length - 1 }) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat({ max: original.length }),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 100 }),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat({ max: original.length - 1 }),
        length: fc.integer({ min: 1, max: 200 }),
      }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let mutated: Buffer;
        if (m.kind === 'flip') {
          mutated = Buffer.from(original);
          mutated[m.at]! ^= 1 << m.bit;
        } else if (m.kind === 'truncate') mutated = original.subarray(0, m.at);
        else if (m.kind === 'insert')
          mutated = Buffer.concat([original.subarray(0, m.at), m.bytes, original.subarray(m.at)]);
        else mutated = Buffer.concat([original.subarray(0, m.at), original.subarray(m.at + m.length)]);
        const candidate = join(folder, `m${++run}.medseal`);
        await writeFile(candidate, mutated);
        const out = join(folder, `out${run}`);
        const error = await openSample(candidate, people[2]!, out).then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(MedSealError);
        expect(await listFolder(out)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('file names', () => {
  it('every name the format accepts stays inside the destination folder', () => {
    fc.assert(
      fc.property(
        fc.string({
          maxLength: 40,
          unit: fc.constantFrom('a', '.', '/', '\\', ':', ' ', '\u0000', 'é', '\u202e', 'C', 'O', 'N'),
        }),
        (name) => {
          if (fileNameProblem(name) !== null) return;
          expect(basename(name)).toBe(name);
          const inside = relative('/dest', join('/dest', name));
          expect(inside).toBe(name);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
