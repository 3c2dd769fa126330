/**
 * Referral threads (services/threads.ts, send.ts): Alice refers to Bob with
 * a subject, Bob answers, Alice follows up; each side sees the whole thread
 * from any of its packages, newest first, with each package's state, and
 * finds it by subject. A package naming a referral it was no party to (a
 * stranger who computed its header hash) is never linked into it. A
 * package is named by its number or the start of its header hash; an
 * unknown or ambiguous name is refused, as is a subject that breaks the rule.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import type { NamedRecipientStatus } from '../../main/services/delivery/recipient-status.js';
import { searchPackages } from '../../main/services/package-search.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { resolvePackageRef, sentState, threadOf, threadsOf } from '../../main/services/threads.js';
import { replySubject } from '../../main/texts/thread-texts.js';
import { person, services } from '../helpers/delivery-people.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

let people: string;
let alice: ProfileSession, bob: ProfileSession, carol: ProfileSession, mallory: ProfileSession;

beforeAll(async () => {
  await loadSodium();
  people = await mkdtemp(join(tmpdir(), 'medseal-threads-people-')); // lives for the whole file
  [alice, bob, carol, mallory] = [
    await person(people, 'Alice', 'alice@a.example'),
    await person(people, 'Bob', 'bob@b.example'),
    await person(people, 'Carol', 'carol@c.example'),
    await person(people, 'Mallory', 'mallory@m.example'),
  ];
  const knows = async (who: ProfileSession, ...others: ProfileSession[]) => {
    for (const other of others) await who.requireUnlocked().contacts.importCard(other.requireUnlocked().identity.card);
  };
  await knows(alice, bob, carol, mallory);
  await knows(bob, alice, carol);
  await knows(carol, alice, bob);
  await knows(mallory, alice);
}, scaled(60_000));

afterAll(async () => {
  for (const session of [alice, bob, carol, mallory]) session?.close();
  if (people) await rm(people, { recursive: true, force: true });
});

let sealed = 0;
/** `from` seals a small synthetic file for `to`; the package's path and header hash. */
async function send(from: ProfileSession, to: string[], thread: { subject?: string; replyTo?: string } = {}) {
  const folder = await tempFolder('medseal-thread-');
  await writeFile(join(folder, `letter-${++sealed}.txt`), `synthetic letter ${sealed}`);
  const send = services(from).send;
  const prepared = await send.prepare({
    files: [{ path: join(folder, `letter-${sealed}.txt`) }],
    recipients: to,
    note: '',
    confirmUnverified: true,
    ...thread,
  });
  const output = join(folder, 'p.medseal');
  const result = await send.start(prepared, output).done;
  return { path: output, hash: result.packageHash };
}

async function open(who: ProfileSession, path: string) {
  const receive = services(who).receive;
  const preview = await receive.preview(path);
  const out = join(await tempFolder('medseal-thread-out-'), 'out');
  await mkdir(out);
  await (
    await receive.start(preview, out, { confirmUntrusted: true })
  ).done;
  return preview;
}

/** The number of the package with this hash in `who`'s history (in the direction given). */
function idOf(who: ProfileSession, hash: string, direction: 'sent' | 'received'): number {
  return who
    .requireUnlocked()
    .history.list()
    .find((entry) => entry.packageHash === hash && entry.direction === direction)!.id;
}

const shape = (thread: Awaited<ReturnType<typeof threadOf>>) =>
  thread.entries.map((entry) => [entry.summary.direction, entry.summary.subject, entry.state]);

describe('a referral and its replies', () => {
  it('form one thread on each side, found from any of its packages, newest first, each with its state', async () => {
    const referral = await send(alice, ['bob@b.example'], { subject: 'Cardiology referral — echo report' });
    await open(bob, referral.path);
    const bobsReceived = idOf(bob, referral.hash, 'received');
    const reply = await send(bob, ['alice@a.example'], {
      replyTo: `#${bobsReceived}`,
      subject: replySubject('Cardiology referral — echo report'),
    });
    await open(alice, reply.path);
    // Alice follows up, naming Bob's reply by the start of its header hash (as an inbox id does).
    const followUp = await send(alice, ['bob@b.example'], { replyTo: reply.hash.slice(0, 10), subject: 'Re: Re: x' });

    const profile = alice.requireUnlocked();
    const root = idOf(alice, referral.hash, 'sent');
    for (const ref of [`#${root}`, reply.hash.slice(0, 8), followUp.hash]) {
      const thread = await threadOf(profile, ref);
      expect(thread.rootId).toBe(root);
      expect(shape(thread)).toEqual([
        ['sent', 'Re: Re: x', 'sent'],
        ['received', 'Re: Cardiology referral — echo report', 'received'],
        ['sent', 'Cardiology referral — echo report', 'sent'],
      ]);
      expect(thread.entries.map((entry) => entry.answers)).toEqual([idOf(alice, reply.hash, 'received'), root, null]);
      expect(thread.entries[2]!.deliveries).toMatchObject([{ name: 'Bob', status: 'sealed' }]);
    }
    expect(profile.history.byIds([root])[0]).toMatchObject({
      replyTo: null,
      subject: 'Cardiology referral — echo report',
    });

    // Bob's side: what he received and what he answered; Alice's follow-up joins once he opens it.
    await open(bob, followUp.path);
    const bobsThread = await threadOf(bob.requireUnlocked(), `#${bobsReceived}`);
    expect(shape(bobsThread)).toEqual([
      ['received', 'Re: Re: x', 'received'],
      ['sent', 'Re: Cardiology referral — echo report', 'sent'],
      ['received', 'Cardiology referral — echo report', 'received'],
    ]);

    // The listing says which packages are in a thread, and how big it is.
    const listed = threadsOf(profile, profile.history.recent(50));
    for (const hash of [referral.hash, followUp.hash])
      expect(listed.get(idOf(alice, hash, 'sent'))).toEqual({ rootId: root, size: 3 });

    // Search finds the thread by its subject (case and accents ignored).
    const found = await searchPackages(profile, 'CARDIOLOGY referral');
    expect(found.map((entry) => entry.id).sort()).toEqual([root, idOf(alice, reply.hash, 'received')].sort());
  });

  it('a recipient of the referral (Carol, in copy) answering joins it; a stranger naming its hash does not', async () => {
    const referral = await send(alice, ['bob@b.example', 'carol@c.example'], { subject: 'Shared care plan' });
    await open(carol, referral.path);
    const carols = await send(carol, ['alice@a.example'], { replyTo: `#${idOf(carol, referral.hash, 'received')}` });
    await open(alice, carols.path);
    // Mallory never got the referral, but anyone who held the file can compute its header hash.
    const mallorys = await send(mallory, ['alice@a.example'], { subject: 'Re: Shared care plan' });
    const forged = await sealClaiming(mallory, referral.hash);
    await open(alice, mallorys.path);
    await open(alice, forged.path);

    const profile = alice.requireUnlocked();
    const thread = await threadOf(profile, referral.hash.slice(0, 12));
    expect(thread.entries.map((entry) => entry.summary.counterpart)).toEqual([
      fingerprintOf(carol),
      fingerprintOf(bob), // the referral: its counterpart is its first recipient
    ]);
    // Mallory's packages are each on their own, whatever they claim.
    const alone = await threadOf(profile, forged.hash);
    expect(alone.entries).toHaveLength(1);
    expect(alone.entries[0]!.summary.replyTo).toBe(referral.hash); // what it claimed is kept, only not believed
    expect(threadsOf(profile, profile.history.byIds([idOf(alice, forged.hash, 'received')])).size).toBe(0);
  });
});

/** Mallory seals for Alice a package whose metadata names `hash` as the package it answers (her own MedSeal would refuse: it is not in her history). */
async function sealClaiming(who: ProfileSession, hash: string) {
  const { sealPackage } = await import('../../main/package/seal.js');
  const folder = await tempFolder('medseal-thread-claim-');
  await writeFile(join(folder, 'x.txt'), 'synthetic');
  const path = join(folder, 'claim.medseal');
  const result = await sealPackage({
    sender: who.requireUnlocked().identity,
    recipients: [alice.requireUnlocked().identity.card],
    files: [{ path: join(folder, 'x.txt') }],
    replyTo: hash,
    subject: 'Re: Shared care plan',
    output: path,
  });
  return { path, hash: result.packageHash };
}

function fingerprintOf(who: ProfileSession): string {
  return Buffer.from(who.requireUnlocked().identity.card.fingerprint).toString('hex');
}

describe('naming a package', () => {
  it('by its number (#12 or 12) or at least 8 leading hex digits of its header hash, in any case', async () => {
    const { hash } = await send(alice, ['bob@b.example']);
    const profile = alice.requireUnlocked();
    const id = idOf(alice, hash, 'sent');
    for (const ref of [`#${id}`, String(id), ` ${id} `, hash, hash.slice(0, 8), hash.slice(0, 20).toUpperCase()])
      expect(resolvePackageRef(profile, ref), ref).toBe(hash);
  });

  it('refuses a number or digits that name none, too few digits, anything else, and digits two hashes share', () => {
    const profile = alice.requireUnlocked();
    for (const ref of ['#999999', '0', '', 'abc', 'abcdef1', 'f'.repeat(65), '../../x', '#1e3', 'ghijklmn'])
      expect(() => resolvePackageRef(profile, ref), ref).toThrow(expect.objectContaining({ code: 'UNKNOWN_PACKAGE' }));
    for (const suffix of ['1', '2'])
      profile.history.record({
        packageHash: `deadbeef${suffix.repeat(56)}`,
        direction: 'received',
        counterpart: 'c'.repeat(64),
        recipients: [],
        files: [{ name: 'a.txt', size: 1 }],
        note: '',
        sealedAt: '2026-01-01T00:00:00.000Z',
        recordedAt: '2026-01-01T00:00:00.000Z',
      });
    expect(() => resolvePackageRef(profile, 'deadbeef')).toThrow(
      expect.objectContaining({ code: 'PACKAGE_AMBIGUOUS' }),
    );
    expect(resolvePackageRef(profile, 'deadbeef1')).toBe(`deadbeef${'1'.repeat(56)}`);
  });
});

describe('sealing a reply', () => {
  it('refuses an unknown package to answer, and a subject that breaks the rule, before anything is sealed', async () => {
    await expect(send(alice, ['bob@b.example'], { replyTo: '#999999' })).rejects.toMatchObject({
      code: 'UNKNOWN_PACKAGE',
    });
    await expect(send(alice, ['bob@b.example'], { replyTo: 'ab'.repeat(32) })).rejects.toMatchObject({
      code: 'UNKNOWN_PACKAGE',
    });
    for (const subject of ['x'.repeat(201), 'two\nlines', 'bidi \u202E'])
      await expect(send(alice, ['bob@b.example'], { subject })).rejects.toMatchObject({
        code: 'INVALID_PACKAGE_REQUEST',
        variant: 'subject',
      });
  });

  it('drops the spaces around a subject; an empty one is none', async () => {
    const spaced = await send(alice, ['bob@b.example'], { subject: '  Lab results  ' });
    const empty = await send(alice, ['bob@b.example'], { subject: '   ' });
    const profile = alice.requireUnlocked();
    expect(profile.history.byIds([idOf(alice, spaced.hash, 'sent')])[0]!.subject).toBe('Lab results');
    expect(profile.history.byIds([idOf(alice, empty.hash, 'sent')])[0]!.subject).toBeNull();
  });
});

describe('words and states', () => {
  it('a reply subject starts with "Re: " once and stays within 200 characters', () => {
    expect(replySubject('Echo')).toBe('Re: Echo');
    expect(replySubject('RE: Echo')).toBe('RE: Echo');
    expect(replySubject(null)).toBe('');
    expect([...replySubject('é'.repeat(200))]).toHaveLength(200);
    expect(replySubject(`${'x'.repeat(195)} tail`)).toBe(`Re: ${'x'.repeat(195)}`); // never ends in a space
  });

  it("a sent package's state follows its recipients", () => {
    const of = (...statuses: NamedRecipientStatus['status'][]) =>
      sentState(
        statuses.map((status, index) => ({
          fingerprint: String(index),
          name: null,
          passphrase: false,
          status,
          at: null,
          detail: null,
          nextTryAt: null,
        })),
      );
    expect(of('sealed')).toBe('sent');
    expect(of('queued', 'sealed')).toBe('queued');
    expect(of('delivered', 'queued')).toBe('delivered');
    expect(of('opened', 'delivered')).toBe('delivered');
    expect(of('opened', 'opened')).toBe('opened');
    expect(of('opened', 'refused')).toBe('refused');
    expect(of('withdrawn', 'withdrawn')).toBe('withdrawn');
  });
});
