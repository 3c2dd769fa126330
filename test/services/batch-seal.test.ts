/**
 * Sealing a batch (services/batch-seal.ts), as `medseal seal --batch` runs
 * it: every line checked and sealed on its own with the rules of a single
 * seal, paths taken from the manifest's folder, one failure reported with
 * its line and the rest sealed; a cancellation or an internal fault stops
 * the whole batch instead.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { OperationCancelled } from '../../main/errors/usage-error.js';
import { fingerprintHex, safetyNumber } from '../../main/identity/fingerprint.js';
import { openPackage } from '../../main/package/open.js';
import { sealBatch, type BatchOptions, type BatchOutcome } from '../../main/services/batch-seal.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

let people: string;
let alice: ProfileSession, bob: ProfileSession, carol: ProfileSession;

beforeAll(async () => {
  await loadSodium();
  people = await mkdtemp(join(tmpdir(), 'medseal-batch-people-')); // lives for the whole file
  [alice, bob, carol] = [
    await person(people, 'Alice', 'alice@a.example'),
    await person(people, 'Bob', 'bob@b.example'),
    await person(people, 'Carol', 'carol@c.example'),
  ];
  const contacts = alice.requireUnlocked().contacts;
  const bobCard = bob.requireUnlocked().identity.card;
  await contacts.importCard(bobCard);
  await contacts.verify('bob@b.example', safetyNumber(alice.requireUnlocked().identity.card, bobCard));
  await contacts.importCard(carol.requireUnlocked().identity.card); // not verified
}, scaled(60_000));

afterAll(async () => {
  for (const session of [alice, bob, carol]) session?.close();
  if (people) await rm(people, { recursive: true, force: true });
});

/** A manifest folder with two letters and a note; the outcomes of a run collected in order. */
async function batchFolder() {
  const folder = await tempFolder('medseal-batch-');
  await writeFile(join(folder, 'a.txt'), 'synthetic lab result A');
  await writeFile(join(folder, 'b.txt'), 'synthetic lab result B');
  await writeFile(join(folder, 'note.txt'), 'please review');
  await mkdir(join(folder, 'out'));
  const outcomes: BatchOutcome[] = [];
  const options: BatchOptions = {
    folder,
    requireVerified: false,
    readNote: (path) => readFile(path, 'utf8'),
    untilDone: (job) => job.done,
    onOutcome: (outcome) => outcomes.push(outcome),
  };
  return { folder, outcomes, options };
}

const line = (value: object) => JSON.stringify(value);

describe('a batch of packages', () => {
  it('seals each valid line, reports each failure with its line number, and counts the failures', async () => {
    const { folder, outcomes, options } = await batchFolder();
    const manifest = [
      line({ files: ['a.txt'], to: ['bob@b.example'], noteFile: 'note.txt', output: 'out/a.medseal' }),
      '',
      'not json',
      line({ files: ['b.txt'], to: ['carol@c.example'], output: join(folder, 'out', 'b.medseal') }),
      line({ files: ['a.txt'], to: ['nobody@x.example'], output: 'out/c.medseal' }),
      line({ files: ['a.txt'], to: ['bob@b.example'], output: 'out/d.medseal', cc: ['carol@c.example'] }),
    ].join('\r\n');
    const failed = await sealBatch(services(alice).send, manifest, options);

    expect(failed).toBe(3);
    expect(outcomes.map((outcome) => [outcome.line, outcome.ok ? 'sealed' : outcome.code])).toEqual([
      [1, 'sealed'],
      [3, 'BATCH_LINE_INVALID'],
      [4, 'sealed'],
      [5, 'CONTACT_NOT_FOUND'],
      [6, 'BATCH_LINE_INVALID'], // an unknown field is refused, not ignored
    ]);
    expect(outcomes[0]).toMatchObject({ ok: true, output: 'out/a.medseal', fileCount: 1, warnings: [] });
    expect(outcomes[2]).toMatchObject({ ok: true, warnings: ['Carol (Test Org) is not verified yet.'] });
    expect(outcomes[1]).toMatchObject({ ok: false, category: 'invalid-input' });
    expect((await readdir(join(folder, 'out'))).sort()).toEqual(['a.medseal', 'b.medseal']);

    const opened = await openPackage(join(folder, 'out', 'a.medseal'), bob.requireUnlocked().identity);
    try {
      expect(opened.metadata.note).toBe('please review');
      expect(opened.metadata.files.map((file) => file.name)).toEqual(['a.txt']);
    } finally {
      await opened.close();
    }
    const sent = alice
      .requireUnlocked()
      .history.list()
      .filter((item) => item.direction === 'sent');
    expect(sent.map((item) => item.packageHash)).toEqual(
      expect.arrayContaining(outcomes.flatMap((outcome) => (outcome.ok ? [outcome.packageHash] : []))),
    );
  });

  it('with --require-verified, a line for an unverified contact fails and the others are still sealed', async () => {
    const { outcomes, options } = await batchFolder();
    const manifest = [
      line({ files: ['b.txt'], to: ['carol@c.example'], output: 'out/carol.medseal' }),
      line({ files: ['a.txt'], to: ['bob@b.example'], output: 'out/bob.medseal' }),
    ].join('\n');
    const failed = await sealBatch(services(alice).send, manifest, { ...options, requireVerified: true });
    expect(failed).toBe(1);
    expect(outcomes.map((outcome) => (outcome.ok ? 'sealed' : outcome.code))).toEqual([
      'RECIPIENT_UNVERIFIED',
      'sealed',
    ]);
    // The contact by name and organisation, not "recipient 1"
    expect(outcomes[0]).toMatchObject({
      message: 'Carol (Test Org) is not verified. Compare safety numbers with them first.',
    });
  });

  it('with --deliver, each package is delivered as the hot folder does; a line whose recipient no exchange reaches fails, its package kept', async () => {
    const { folder, outcomes, options } = await batchFolder();
    const share = join(people, 'share');
    await mkdir(share, { recursive: true });
    await services(bob).exchanges.addFolder(share); // Carol reads no inbox there
    await services(alice).exchanges.addFolder(share);
    const manifest = [
      line({ files: ['a.txt'], to: ['bob@b.example'], output: 'out/bob.medseal' }),
      line({ files: ['b.txt'], to: ['carol@c.example'], output: 'out/carol.medseal' }),
    ].join('\n');
    const bobFingerprint = fingerprintHex(bob.requireUnlocked().identity.card.fingerprint);
    const failed = await sealBatch(services(alice).send, manifest, { ...options, queue: services(alice).queue });
    expect(failed).toBe(1);
    expect(outcomes[0]).toMatchObject({
      line: 1,
      ok: true,
      delivery: { delivered: [{ recipient: bobFingerprint, exchange: share }], queued: [] },
    });
    expect(outcomes[1]).toMatchObject({
      line: 2,
      ok: false,
      code: 'NOT_DELIVERED',
      category: 'io',
      message: expect.stringContaining('not delivered to Carol (Test Org)'),
      output: 'out/carol.medseal',
      packageHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await readdir(join(folder, 'out'))).sort()).toEqual(['bob.medseal', 'carol.medseal']);
    const inbox = await readdir(join(share, 'inboxes', bobFingerprint));
    expect(inbox.filter((name) => name.endsWith('.medseal'))).toHaveLength(1);
  });

  it('a cancellation stops the batch: nothing of the cancelled package stays, and no later line is sealed', async () => {
    const { folder, outcomes, options } = await batchFolder();
    const manifest = [
      line({ files: ['a.txt'], to: ['bob@b.example'], output: 'out/first.medseal' }),
      line({ files: ['b.txt'], to: ['bob@b.example'], output: 'out/second.medseal' }),
    ].join('\n');
    const run = sealBatch(services(alice).send, manifest, {
      ...options,
      untilDone: (job) => {
        job.cancel(); // Ctrl-C while the first package is being sealed
        return job.done;
      },
    });
    await expect(run).rejects.toBeInstanceOf(OperationCancelled);
    expect(outcomes).toEqual([]);
    expect(await readdir(join(folder, 'out'))).toEqual([]);
  });

  it('an unexpected fault is not reported as one failed line: it stops the batch as it is', async () => {
    const { folder, outcomes, options } = await batchFolder();
    const fault = new TypeError('a bug');
    const manifest = [
      line({ files: ['a.txt'], to: ['bob@b.example'], noteFile: 'note.txt', output: 'out/first.medseal' }),
      line({ files: ['b.txt'], to: ['bob@b.example'], output: 'out/second.medseal' }),
    ].join('\n');
    const run = sealBatch(services(alice).send, manifest, {
      ...options,
      readNote: () => Promise.reject(fault),
    });
    await expect(run).rejects.toBe(fault);
    expect(outcomes).toEqual([]);
    expect(await readdir(join(folder, 'out'))).toEqual([]);
  });
});
