/**
 * How many chunk worker threads a seal or an open takes, as the services
 * start them (package/payload/chunk-cipher.ts): what the person asked for
 * (`--workers`), never more than the policy's `maxChunkWorkers`, and by
 * default by cores. Watched where the pool takes its threads.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { defaultChunkThreads } from '../../main/package/payload/chunk-cipher.js';
import { keptChunkWorkers } from '../../main/package/payload/chunk-workers/kept-chunk-workers.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { tempFolder } from '../helpers/temp-folder.js';

const BIG = 9 * 2 ** 20; // above PARALLEL_MIN_BYTES: workers by default

function policyCapping(max: number | null): PolicyGate {
  return new PolicyGate({
    state: 'ok',
    source: 'test',
    effective: { ...POLICY_DEFAULTS, ...(max === null ? {} : { maxChunkWorkers: max }) },
    managed: max === null ? [] : ['maxChunkWorkers'],
  });
}

let folder: string;
let input: string;
beforeAll(async () => {
  await loadSodium();
});
beforeEach(async () => {
  folder = await tempFolder('medseal-workers-'); // removed after each test
  input = join(folder, 'scan.bin');
  await writeFile(input, Buffer.alloc(BIG, 7));
});
afterEach(() => vi.restoreAllMocks());

/** Alice seals the big file for Bob (asking for `workers`), Bob opens it (asking for the same); the threads each took. */
async function sealAndOpen(alice: ProfileSession, bob: ProfileSession, workers?: number): Promise<number[]> {
  const take = vi.spyOn(keptChunkWorkers, 'take');
  take.mockClear(); // a spy from an earlier call in the same test is the same spy
  await alice.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
  const send = services(alice).send;
  const prepared = await send.prepare({
    files: [{ path: input }],
    recipients: [bob.requireUnlocked().identity.card.profile.email],
    note: '',
    confirmUnverified: true,
    workers,
  });
  const output = join(folder, `${Math.random().toString(36).slice(2)}.medseal`);
  await send.start(prepared, output).done;
  const receive = services(bob).receive;
  const preview = await receive.preview(output);
  const out = join(folder, `out-${Math.random().toString(36).slice(2)}`);
  await mkdir(out);
  const opened = await receive.start(preview, out, { confirmUntrusted: true }, {}, { workers });
  await opened.done;
  return take.mock.calls.map(([count]) => count);
}

describe('chunk worker threads for a seal and an open', () => {
  it('by default follow the cores', async () => {
    const [alice, bob] = [
      await person(folder, 'A1', 'a1@x.example', policyCapping(null)),
      await person(folder, 'B1', 'b1@x.example', policyCapping(null)),
    ];
    const expected = defaultChunkThreads();
    expect(await sealAndOpen(alice, bob)).toEqual(expected === 0 ? [] : [expected, expected]);
  });

  it('take what was asked for, within the policy’s cap', async () => {
    const [alice, bob] = [
      await person(folder, 'A2', 'a2@x.example', policyCapping(2)),
      await person(folder, 'B2', 'b2@x.example', policyCapping(2)),
    ];
    expect(await sealAndOpen(alice, bob, 1)).toEqual([1, 1]);
    expect(await sealAndOpen(alice, bob, 5)).toEqual([2, 2]); // more asked for than the policy allows
  });

  it('none where the policy says 0: the work stays on one thread', async () => {
    const [alice, bob] = [
      await person(folder, 'A3', 'a3@x.example', policyCapping(0)),
      await person(folder, 'B3', 'b3@x.example', policyCapping(0)),
    ];
    expect(await sealAndOpen(alice, bob, 4)).toEqual([]);
  });

  it('never more than the package has chunks', async () => {
    const [alice, bob] = [
      await person(folder, 'A4', 'a4@x.example', policyCapping(null)),
      await person(folder, 'B4', 'b4@x.example', policyCapping(null)),
    ];
    await writeFile(input, Buffer.alloc(1.5 * 2 ** 20, 7)); // two chunks of 1 MiB
    expect(await sealAndOpen(alice, bob, 6)).toEqual([2, 2]);
  });
});
