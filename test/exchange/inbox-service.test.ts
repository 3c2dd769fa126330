/**
 * The inbox service on a shared folder (services/delivery/inbox.ts), with
 * two real profiles: junk and replayed receipts are refused once and moved
 * out (never re-audited at every poll), a receipt the sender's exchange could
 * not take waits in the outbox and goes later, and receipts are written
 * only for senders who may get one.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { inspectPackage } from '../../main/package/inspect.js';
import { ReceiptNotAllowed, UnknownInboxItem } from '../../main/services/delivery/errors.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
import { ManagedSetting, PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { fastIdentity } from '../helpers/identities.js';
import { createAnnouncement } from '../../main/exchange/inbox-announcement.js';
import { ExchangeFolder } from '../../main/exchange/exchange-folder.js';
import { person, services } from '../helpers/delivery-people.js';
import { scaled } from '../helpers/time.js';

/** Alice's letter sealed for Bob into `name`.medseal in the work folder, as Send does. */
async function sealForBob(a: ReturnType<typeof services>, name: string) {
  const prepared = await a.send.prepare({
    files: [{ path: join(work, 'letter.txt') }],
    recipients: ['bob@b.example'],
    note: '',
    confirmUnverified: true,
  });
  const packagePath = join(work, `${name}.medseal`);
  return { packagePath, sealed: await a.send.start(prepared, packagePath).done };
}

let work: string;

describe('the inbox on a shared folder', () => {
  let alice: ProfileSession, bob: ProfileSession;
  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-inbox-')); // lives for the whole block
    [alice, bob] = [await person(work, 'Alice', 'alice@a.example'), await person(work, 'Bob', 'bob@b.example')];
    await alice.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
    await bob.requireUnlocked().contacts.importCard(alice.requireUnlocked().identity.card);
    await writeFile(join(work, 'letter.txt'), 'synthetic');
  }, scaled(60_000));
  afterAll(async () => {
    alice?.close();
    bob?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('junk receipts are refused once and moved to the archive, not refused again at every poll (security review of delivery, 3)', async () => {
    const share = join(work, 'share-1');
    await mkdir(share);
    const { exchanges, inbox } = services(alice);
    await exchanges.addFolder(share);
    const myInbox = join(share, 'inboxes', fingerprintHex(alice.requireUnlocked().identity.card.fingerprint));
    for (const name of ['a', 'b', 'c'])
      await writeFile(join(myInbox, `${name.repeat(32)}.medseal-receipt`), `junk ${name}`);
    await writeFile(join(myInbox, `${'d'.repeat(32)}.medseal-receipt`), Buffer.alloc(10_000, 1)); // too large to be one: never read
    const refusedBefore = alice
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === 'receipt.refused').length;
    expect((await inbox.list()).receipts).toEqual({ answers: [], withdrawals: [], alreadyTakenIn: 0, refused: 4 });
    expect((await inbox.list()).receipts).toEqual({ answers: [], withdrawals: [], alreadyTakenIn: 0, refused: 0 });
    expect(
      alice
        .requireUnlocked()
        .audit.entries()
        .filter((entry) => entry.action === 'receipt.refused'),
    ).toHaveLength(refusedBefore + 4);
    expect((await readdir(myInbox)).filter((name) => name.endsWith('.medseal-receipt'))).toEqual([]);
    expect(await readdir(join(myInbox, 'archive'))).toHaveLength(4);
  });

  it('a planted package with a thousand post-quantum stanzas is refused once, not decapsulated again at every poll (security review of format v2, F2)', async () => {
    const share = join(work, 'share-junk');
    await mkdir(share);
    const b = services(bob);
    await b.exchanges.addFolder(share);
    const bobInbox = join(share, 'inboxes', fingerprintHex(bob.requireUnlocked().identity.card.fingerprint));
    const junk = Buffer.alloc(44 + 1024 * 1168 + 4 + 200, 7); // version 2, 1,024 random stanzas
    Buffer.from('MEDSEAL').copy(junk, 0);
    junk.set([2, 20, 0, 0x04, 0x00], 7);
    junk.writeUInt32BE(150, 44 + 1024 * 1168);
    const planted = join(bobInbox, `${'e'.repeat(32)}.medseal`);
    await writeFile(planted, junk);
    const timed = async () => {
      const start = performance.now();
      const listing = await b.inbox.list();
      return { ms: performance.now() - start, problem: listing.packages[0]?.problem?.code };
    };
    const first = await timed();
    const second = await timed();
    expect(first.problem).toBe('NOT_A_RECIPIENT');
    expect(second.problem).toBe('NOT_A_RECIPIENT');
    // Not a timing goal: the first poll tries 1,024 decapsulations (seconds), the second none.
    expect(second.ms).toBeLessThan(first.ms / 4);
    await rm(planted); // the next tests read Bob's inbox
  });

  it('a receipt the sender cannot be reached for waits in the outbox and goes once they can be', async () => {
    const share = join(work, 'share-2');
    await mkdir(share);
    const a = services(alice);
    const b = services(bob);
    await b.exchanges.addFolder(share);
    const { packagePath, sealed } = await sealForBob(a, 'out-2');
    await mkdir(join(share, 'inboxes', fingerprintHex(bob.requireUnlocked().identity.card.fingerprint)), {
      recursive: true,
    });
    // Alice has not added the share yet: she delivers by copying the file into Bob's inbox herself
    await writeFile(
      join(
        share,
        'inboxes',
        fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
        `${sealed.packageHash.slice(0, 32)}.medseal`,
      ),
      await readFile(packagePath),
    );
    const [waiting] = (await b.inbox.list()).packages;
    const { job } = await b.inbox.open(waiting!.id, await tempFolder(), { confirmUntrusted: true });
    expect((await job.done).receipt).toBe('queued'); // no exchange reaches Alice yet: it waits
    expect(await readdir(join(bob.folder.path, 'outbox'))).toHaveLength(1);

    await a.exchanges.addFolder(share); // now her inbox exists there
    await b.inbox.list(); // the next poll sends what waited
    expect(await readdir(join(bob.folder.path, 'outbox'))).toEqual([]);
    expect((await a.inbox.list()).receipts).toMatchObject({ answers: [{ outcome: 'opened' }], refused: 0 });
    expect(
      bob
        .requireUnlocked()
        .audit.entries()
        .some((entry) => entry.action === 'receipt.sent'),
    ).toBe(true);
  });

  it('a package delivered through two exchanges is one entry naming both; opening it archives both copies and answers once (issue 28, item 2)', async () => {
    const shares = [join(work, 'share-two-a'), join(work, 'share-two-b')];
    const a = services(alice);
    const b = services(bob);
    for (const share of shares) {
      await mkdir(share);
      await a.exchanges.addFolder(share);
      await b.exchanges.addFolder(share);
    }
    await a.inbox.list(); // each announces its inboxes
    await b.inbox.list();
    const { packagePath, sealed } = await sealForBob(a, 'out-two');
    const bobFingerprint = fingerprintHex(bob.requireUnlocked().identity.card.fingerprint);
    const delivery = await a.delivery.deliverPackage(packagePath, sealed.packageHash, [bobFingerprint]);
    const via = delivery.delivered.map((entry) => entry.exchange).sort(); // and the shares of earlier tests
    expect(via).toEqual(expect.arrayContaining(shares));

    const listing = await b.inbox.list();
    expect(listing.packages).toHaveLength(1);
    expect([...listing.packages[0]!.exchanges].sort()).toEqual(via);
    expect(listing.packages[0]!.id).toBe(sealed.packageHash.slice(0, 10));
    for (const partial of ['', sealed.packageHash.slice(0, 3)])
      // an id is typed whole: a prefix matches nothing
      await expect(b.inbox.open(partial, await tempFolder(), { confirmUntrusted: true })).rejects.toBeInstanceOf(
        UnknownInboxItem,
      );

    const { job } = await b.inbox.open(listing.packages[0]!.id, await tempFolder(), { confirmUntrusted: true });
    expect((await job.done).receipt).toBe('sent');
    expect((await b.inbox.list()).packages).toEqual([]); // every copy left the inbox
    for (const share of shares)
      expect(await readdir(join(share, 'inboxes', bobFingerprint, 'archive'))).toEqual([
        `${sealed.packageHash.slice(0, 32)}.medseal`,
      ]);
    const answered = (await a.inbox.list()).receipts;
    expect(answered.answers).toMatchObject([{ recipient: bobFingerprint, outcome: 'opened' }]);
    expect(answered.refused).toBe(0);
    expect(alice.requireUnlocked().deliveries.has(sealed.packageHash, bobFingerprint, 'opened')).toBe(true);
  });

  it('a planted copy with the real header and damaged chunks never blocks the package or answers "refused" (security review of issue 28)', async () => {
    const share = join(work, 'share-planted');
    await mkdir(share);
    const a = services(alice);
    const b = services(bob);
    await a.exchanges.addFolder(share);
    await b.exchanges.addFolder(share);
    await a.inbox.list();
    await b.inbox.list();
    const { packagePath, sealed } = await sealForBob(a, 'out-planted');
    const bobFingerprint = fingerprintHex(bob.requireUnlocked().identity.card.fingerprint);
    await a.delivery.deliverPackage(packagePath, sealed.packageHash, [bobFingerprint]);
    // A co-recipient (anyone who has the package) drops a copy with one byte of a chunk changed,
    // dated earlier: its header and signature check out, so it is previewed; only opening fails.
    const planted = await readFile(packagePath);
    planted[(await inspectPackage(packagePath)).headerBytes + 40]! ^= 1;
    const shownFirst = (await b.inbox.list()).packages.find(
      (listed) => listed.preview?.packageHash === sealed.packageHash,
    )!.path; // into the inbox listed first (Bob's profile has the shares of earlier tests too)
    const plantedPath = join(dirname(shownFirst), `${'0'.repeat(32)}.medseal`);
    await writeFile(plantedPath, planted);
    await utimes(plantedPath, new Date('2020-01-01'), new Date('2020-01-01'));

    const [entry, ...others] = (await b.inbox.list()).packages.filter(
      (listed) => listed.preview?.packageHash === sealed.packageHash,
    );
    expect(others).toEqual([]);
    expect(entry!.path).toBe(plantedPath); // the plant is the copy shown first
    const into = await tempFolder();
    const { job } = await b.inbox.open(entry!.id, into, { confirmUntrusted: true });
    expect((await job.done).receipt).toBe('sent'); // the next copy was opened
    expect(await readFile(join(into, 'letter.txt'), 'utf8')).toBe('synthetic');
    const answered = (await a.inbox.list()).receipts;
    expect(answered.answers).toMatchObject([{ recipient: bobFingerprint, outcome: 'opened' }]);
    expect(answered.refused).toBe(0);
    expect(alice.requireUnlocked().deliveries.has(sealed.packageHash, bobFingerprint, 'refused')).toBe(false);
    expect((await b.inbox.list()).packages).toMatchObject([
      { path: plantedPath, problem: { code: 'PACKAGE_TAMPERED' } },
    ]);
    await rm(plantedPath); // the next tests look at Bob's inboxes
  });

  it("a problem on the reader's side (a file of that name already in the folder) sends the sender no refusal", async () => {
    const share = join(work, 'share-local');
    await mkdir(share);
    const a = services(alice);
    const b = services(bob);
    await a.exchanges.addFolder(share);
    await b.exchanges.addFolder(share);
    const { packagePath, sealed } = await sealForBob(a, 'out-local');
    await a.delivery.deliverPackage(packagePath, sealed.packageHash, [
      fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
    ]);
    const [waiting] = (await b.inbox.list()).packages;
    const into = await tempFolder();
    await writeFile(join(into, 'letter.txt'), 'a file of the same name, already there');
    const failed = await b.inbox
      .open(waiting!.id, into, { confirmUntrusted: true })
      .then(({ job }) => job.done)
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failed).toMatchObject({ code: 'DESTINATION_EXISTS' });
    expect((await a.inbox.list()).receipts).toEqual({ answers: [], withdrawals: [], alreadyTakenIn: 0, refused: 0 }); // nothing was sent to Alice
    const { job } = await b.inbox.open(waiting!.id, into, { confirmUntrusted: true }, {}, { keepBoth: true });
    expect((await job.done).receipt).toBe('sent');
    // Taken in once; the copies that came through Alice's other exchanges changed nothing and were not refused.
    expect((await a.inbox.list()).receipts).toMatchObject({ answers: [{ outcome: 'opened' }], refused: 0 });
  });

  it("an inbox someone else made in a recipient's name, or announced with another key, does not count as reaching them (security review of delivery, 5)", async () => {
    const share = join(work, 'share-3');
    await mkdir(share);
    const a = services(alice);
    await a.exchanges.addFolder(share);
    const bobFingerprint = fingerprintHex(bob.requireUnlocked().identity.card.fingerprint);
    const squatted = join(share, 'inboxes', bobFingerprint);
    await mkdir(squatted, { recursive: true });
    const prepared = await a.send.prepare({
      files: [{ path: join(work, 'letter.txt') }],
      recipients: ['bob@b.example'],
      note: '',
      confirmUnverified: true,
    });
    const sealed = await a.send.start(prepared, join(work, 'out-3.medseal')).done;
    const throughThisShare = async () =>
      (
        await a.delivery.deliverPackage(join(work, 'out-3.medseal'), sealed.packageHash, [bobFingerprint])
      ).delivered.filter((entry) => entry.exchange === share);
    expect(await throughThisShare()).toEqual([]);
    const mallory = await fastIdentity('Mallory');
    const binding = await new ExchangeFolder(share).binding(false);
    await writeFile(
      join(squatted, '.medseal-inbox'),
      createAnnouncement(mallory, binding!, process.getuid?.() ?? null),
    ); // signed, but not by Bob
    expect(await throughThisShare()).toEqual([]);
    expect(await readdir(squatted)).toEqual(['.medseal-inbox']);
    await services(bob).exchanges.addFolder(share); // Bob's own announcement replaces Mallory's
    expect(await throughThisShare()).toHaveLength(1);
  });

  it('receipts are written only for contacts whose keys signed the package, and not when the policy turns them off', () => {
    const receipts = new Receipts(bob);
    for (const trust of ['unknown', 'key-mismatch', 'identity-mismatch', 'key-changed'] as const)
      expect(() => receipts.assertMayAnswer(trust)).toThrow(ReceiptNotAllowed);
    expect(() => receipts.assertMayAnswer('unverified')).not.toThrow();
    const off = new ProfileSession(
      bob.folder,
      new PolicyGate({
        state: 'ok',
        source: 'test',
        effective: { ...PolicyGate.none().effective, sendReceipts: false },
        managed: ['sendReceipts'],
      }),
    );
    expect(() => new Receipts(off).assertMayAnswer('verified')).toThrow(ManagedSetting);
    expect(new Receipts(off).mayAnswer('verified')).toBe(false);
  });
});
