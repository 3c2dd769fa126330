/**
 * Fuzzing the two parsers an attacker can feed: the package reader and the
 * contact card parser. Every input must either parse or fail with one of the
 * documented typed errors — no other exception, no hang, and no allocation
 * sized by a length field the attacker wrote. CI runs a short pass; the
 * long run is `FUZZ_RUNS=1000000 npx vitest run test/fuzz` (docs/PERFORMANCE.md).
 */
import fc from 'fast-check';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { MedSealError } from '../../main/errors/medseal-error.js';
import { decodeCard, parseArmoredCard } from '../../main/identity/contact-card.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { FIXED_HEADER_BYTES, MAGIC } from '../../main/package/format.js';
import { openPackage } from '../../main/package/open.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealSample } from '../helpers/packages.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
// The card parser is cheap: CI gives it ten times the package runs; a long run gives each target FUZZ_RUNS.
const CARD_RUNS = process.env.FUZZ_RUNS ? RUNS : RUNS * 10;
// Generous per-test limits that grow with the run count (a long run is ~1 ms per package input here).
const TIME_LIMIT_MS = Math.max(600_000, RUNS * 10);
const TYPED = [
  'NOT_A_PACKAGE',
  'UNSUPPORTED_VERSION',
  'PACKAGE_MALFORMED',
  'PACKAGE_TRUNCATED',
  'PACKAGE_TAMPERED',
  'SIGNATURE_INVALID',
  'NOT_A_RECIPIENT',
  'CARD_MALFORMED',
  'CARD_SIGNATURE_INVALID',
];

let bob: UnlockedIdentity;
let valid: Buffer;
let folder: string;

beforeAll(async () => {
  const alice = await fastIdentity('Fuzz Alice');
  bob = await fastIdentity('Fuzz Bob');
  folder = await mkdtemp(join(tmpdir(), 'medseal-fuzz-')); // shared by every test of this file
  valid = await readFile(
    (await sealSample({ folder, sender: alice, recipients: [bob.card], sizes: [5000, 3], note: 'n' })).path,
  );
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
}, TIME_LIMIT_MS);

function expectTyped(error: unknown): void {
  expect(error).toBeInstanceOf(MedSealError);
  expect(TYPED).toContain((error as MedSealError).code);
}

let counter = 0;
async function openBytes(bytes: Uint8Array): Promise<void> {
  const path = join(folder, `f${++counter % 8}.medseal`);
  await writeFile(path, bytes);
  const out = join(folder, `o${counter}`);
  await mkdir(out);
  try {
    const opened = await openPackage(path, bob);
    try {
      await opened.extractTo(out);
    } finally {
      await opened.close();
    }
  } catch (error) {
    expectTyped(error);
  } finally {
    await rm(out, { recursive: true, force: true }); // a long run makes a million of these
  }
}

describe('package reader', () => {
  it(
    'random bytes, magic-prefixed random headers, and mutated real packages only ever fail with typed errors',
    async () => {
      const header = (count: number, log2: number, metadataLength: number) => {
        const fixed = Buffer.alloc(FIXED_HEADER_BYTES + 4);
        MAGIC.copy(fixed);
        fixed[7] = 1;
        fixed[8] = log2;
        fixed.writeUInt16BE(count, 10);
        fixed.writeUInt32BE(metadataLength >>> 0, FIXED_HEADER_BYTES);
        return fixed;
      };
      const input = fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc
          .tuple(
            fc.integer({ min: 0, max: 65535 }),
            fc.integer({ min: 0, max: 255 }),
            fc.integer({ min: 0, max: 0xffffffff }),
            fc.uint8Array({ maxLength: 400 }),
          )
          .map(([count, log2, length, rest]) => Buffer.concat([header(count, log2, length), rest])),
        fc.tuple(fc.nat({ max: 10_000 }), fc.nat({ max: 255 }), fc.nat({ max: 7 })).map(([at, byte, kind]) => {
          const copy = Buffer.from(valid);
          const position = at % copy.length;
          if (kind === 0) return copy.subarray(0, position);
          if (kind === 1) return Buffer.concat([copy, Buffer.alloc(byte + 1, byte)]);
          copy[position] = byte;
          return copy;
        }),
      );
      await fc.assert(fc.asyncProperty(input, openBytes), { numRuns: RUNS });
      console.info(`fuzz: package reader, ${RUNS} executions, all parsed or failed with a typed error`);
    },
    TIME_LIMIT_MS,
  );

  it('a header that claims enormous sizes fails fast without allocating them', async () => {
    const claims = Buffer.alloc(FIXED_HEADER_BYTES + 48 * 2 + 4);
    MAGIC.copy(claims);
    claims[7] = 1;
    claims[8] = 24;
    claims.writeUInt16BE(2, 10);
    claims.writeUInt32BE(0xffffffff, FIXED_HEADER_BYTES + 96); // "4 GiB of metadata"
    const before = process.memoryUsage().rss;
    const started = Date.now();
    await openBytes(claims);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('contact card parser', () => {
  it(
    'random bytes and random text (armored or not) only ever fail with typed errors',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 600 }),
            fc
              .string({ maxLength: 600 })
              .map((text) => `-----BEGIN MEDSEAL CONTACT CARD-----\n${text}\n-----END MEDSEAL CONTACT CARD-----`),
            fc.string({ maxLength: 200 }),
          ),
          (input) => {
            try {
              if (typeof input === 'string') parseArmoredCard(input);
              else decodeCard(input);
            } catch (error) {
              expectTyped(error);
            }
          },
        ),
        { numRuns: CARD_RUNS },
      );
      console.info(`fuzz: contact card parser, ${CARD_RUNS} executions, all parsed or failed with a typed error`);
    },
    TIME_LIMIT_MS,
  );
});
