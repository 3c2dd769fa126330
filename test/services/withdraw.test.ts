/**
 * Withdraw as a service (services/delivery/withdraw.ts), with real profiles
 * on a shared folder: the sender's history says "withdrawn" and both audit
 * logs record it (the recipient's through the signed notice); a recipient
 * who opened stays opened, one who picked it up is reported so, a receipt
 * that comes after a withdrawal wins over it, and a forged or unknown
 * sender's notice is refused.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { createWithdrawalNotice, WITHDRAWAL_NOTICE } from '../../main/package/withdrawal-notice.js';
import { sealNote } from '../../main/package/signed-note.js';
import { AlreadyPickedUp, UnknownSentPackage, WithdrawIncomplete } from '../../main/services/delivery/errors.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
import { WithdrawService, withdrawalProblem, type Withdrawal } from '../../main/services/delivery/withdraw.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

describe('withdrawing a sent package', () => {
  let work: string;
  let alice: ProfileSession, bob: ProfileSession, carol: ProfileSession;
  const fp = (who: ProfileSession) => fingerprintHex(who.requireUnlocked().identity.card.fingerprint);
  const actions = (who: ProfileSession, action: string) =>
    who
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === action);
  const byRecipient = (outcome: Withdrawal) =>
    Object.fromEntries(outcome.recipients.map((entry) => [entry.fingerprint, entry]));
  const statusOf = (id: number) =>
    Object.fromEntries(
      alice
        .requireUnlocked()
        .deliveries.statusesOf([id], () => [fp(bob), fp(carol)])
        .get(id)!
        .map((entry) => [entry.fingerprint, entry.status]),
    );

  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-withdraw-')); // lives for the whole block
    [alice, bob, carol] = [
      await person(work, 'Alice', 'alice@a.example'),
      await person(work, 'Bob', 'bob@b.example'),
      await person(work, 'Carol', 'carol@c.example'),
    ];
    for (const [me, them] of [
      [alice, bob],
      [alice, carol],
      [bob, alice],
      [carol, alice],
    ] as const)
      await me.requireUnlocked().contacts.importCard(them.requireUnlocked().identity.card);
    await writeFile(join(work, 'letter.txt'), 'synthetic referral');
  }, scaled(60_000));
  afterAll(async () => {
    for (const who of [alice, bob, carol]) who?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A new share all three use, and Alice's package delivered there to Bob and Carol; its history id. */
  async function sentToBoth(name: string) {
    const share = join(work, name);
    await mkdir(share);
    const [a, b, c] = [services(alice), services(bob), services(carol)];
    for (const party of [a, b, c]) await party.exchanges.addFolder(share);
    const prepared = await a.send.prepare({
      files: [{ path: join(work, 'letter.txt') }],
      recipients: ['bob@b.example', 'carol@c.example'],
      note: '',
      confirmUnverified: true,
    });
    const path = join(work, `${name}.medseal`);
    const sealed = await a.send.start(prepared, path).done;
    const delivery = await a.delivery.deliverPackage(path, sealed.packageHash, [fp(bob), fp(carol)]);
    expect(delivery.unreached).toEqual([]);
    const id = alice.requireUnlocked().history.findSent(sealed.packageHash)!.id;
    return { a, b, c, id, share, withdraw: () => new WithdrawService(alice, a.exchanges).withdraw(id) };
  }

  it('takes it back from every inbox: "withdrawn" in the history, package.withdrawn in her log, package.withdrawn-by-sender in theirs', async () => {
    const { b, id, share, withdraw } = await sentToBoth('share-all');
    expect((await b.inbox.list()).packages.filter((entry) => entry.exchanges.includes(share))).toHaveLength(1); // Bob has seen it
    const before = actions(alice, 'package.withdrawn').length;
    const outcome = await withdraw();
    expect(byRecipient(outcome)).toEqual({
      [fp(bob)]: { fingerprint: fp(bob), outcome: 'withdrawn', exchanges: [share], notified: true },
      [fp(carol)]: { fingerprint: fp(carol), outcome: 'withdrawn', exchanges: [share], notified: true },
    });
    expect(withdrawalProblem(outcome, (fingerprint) => fingerprint)).toBeNull();
    expect(statusOf(id)).toEqual({ [fp(bob)]: 'withdrawn', [fp(carol)]: 'withdrawn' });
    const logged = actions(alice, 'package.withdrawn');
    expect(logged).toHaveLength(before + 1);
    expect([...logged.at(-1)!.counterparts].sort()).toEqual([fp(bob), fp(carol)].sort());
    expect(logged.at(-1)!.detail).toBeNull();

    // Bob's next look: the package is gone, and the signed notice is taken in and recorded.
    const listing = await b.inbox.list();
    expect(listing.packages.filter((entry) => entry.exchanges.includes(share))).toEqual([]);
    expect(actions(bob, 'package.withdrawn-by-sender').at(-1)).toMatchObject({
      counterparts: [fp(alice)],
      detail: 'not-opened',
    });
    const bobInbox = join(share, 'inboxes', fp(bob));
    expect((await readdir(bobInbox)).filter((name) => name.endsWith('.medseal-receipt'))).toEqual([]); // taken in, archived
    expect(await readdir(join(alice.folder.path, 'withdrawals'))).toEqual([]); // no notice left behind
    expect(alice.requireUnlocked().audit.verify().ok && bob.requireUnlocked().audit.verify().ok).toBe(true);

    // Again: nothing of ours waits anywhere; the history still says withdrawn.
    const again = await withdraw();
    expect(again.recipients.map((entry) => entry.outcome)).toEqual(['not-found', 'not-found']);
    expect(statusOf(id)).toEqual({ [fp(bob)]: 'withdrawn', [fp(carol)]: 'withdrawn' });
  });

  it('a recipient who opened it stays opened and is reported as having picked it up; the others are withdrawn', async () => {
    const { a, b, id, share, withdraw } = await sentToBoth('share-opened');
    const [waiting] = (await b.inbox.list()).packages.filter((entry) => entry.exchanges.includes(share));
    const { job } = await b.inbox.open(waiting!.id, await tempFolder(), { confirmUntrusted: true });
    expect((await job.done).receipt).toBe('sent');
    await a.inbox.list(); // Alice takes the receipt in
    expect(statusOf(id)[fp(bob)]).toBe('opened');
    const outcome = await withdraw();
    expect(byRecipient(outcome)).toMatchObject({
      [fp(bob)]: { outcome: 'picked-up', exchanges: [], notified: false }, // his copies elsewhere are not touched either
      [fp(carol)]: { outcome: 'withdrawn' },
    });
    expect(statusOf(id)).toEqual({ [fp(bob)]: 'opened', [fp(carol)]: 'withdrawn' });
    expect(actions(alice, 'package.withdrawn').at(-1)).toMatchObject({
      counterparts: [fp(carol)],
      detail: 'picked-up:1',
    });
  });

  it('a copy the recipient archived before their receipt came is "picked up", not withdrawn; the receipt then says opened', async () => {
    const { a, b, c, id, share, withdraw } = await sentToBoth('share-archived');
    for (const party of [b, c]) {
      const [waiting] = (await party.inbox.list()).packages.filter((entry) => entry.exchanges.includes(share));
      await (
        await party.inbox.open(waiting!.id, await tempFolder(), { confirmUntrusted: true })
      ).job.done;
    }
    const outcome = await withdraw(); // the receipts wait in Alice's inbox, not taken in yet
    expect(outcome.recipients.map((entry) => entry.outcome)).toEqual(['picked-up', 'picked-up']);
    expect(withdrawalProblem(outcome, (fingerprint) => fingerprint)).toBeInstanceOf(AlreadyPickedUp);
    expect(statusOf(id)).toEqual({ [fp(bob)]: 'delivered', [fp(carol)]: 'delivered' }); // nothing recorded
    await a.inbox.list();
    expect(statusOf(id)).toEqual({ [fp(bob)]: 'opened', [fp(carol)]: 'opened' });
  });

  it('a receipt that comes after the withdrawal (they had it open already) wins; a later delivery does not undo it', async () => {
    const { id, withdraw } = await sentToBoth('share-late');
    await withdraw();
    const hash = alice.requireUnlocked().history.sentById(id)!.packageHash;
    const receipt = new Receipts(bob).make(alice.requireUnlocked().identity.card, hash, 'opened', null);
    await new Receipts(alice).takeIn(receipt);
    alice.requireUnlocked().recordDelivered(hash, [fp(carol)], { name: 'again', kind: 'folder' });
    expect(statusOf(id)).toEqual({ [fp(bob)]: 'opened', [fp(carol)]: 'withdrawn' });
  });

  it('a copy that is not provably ours is left and said; the history does not claim withdrawn; every copy removed is audited', async () => {
    const { id, share, withdraw } = await sentToBoth('share-left');
    const name = `${alice.requireUnlocked().history.sentById(id)!.packageHash.slice(0, 32)}.medseal`;
    await chmod(join(share, 'inboxes', fp(bob), name), 0o666); // anyone could have changed it: not provably ours
    const outcome = await withdraw();
    const bobs = byRecipient(outcome)[fp(bob)]!;
    expect(bobs.outcome).toBe('left');
    expect(bobs.exchanges.length).toBeGreaterThan(0); // his copies on the other shares went
    expect(bobs.exchanges).not.toContain(share);
    expect(statusOf(id)).toEqual({ [fp(bob)]: 'delivered', [fp(carol)]: 'withdrawn' });
    expect(actions(alice, 'package.withdrawn').at(-1)!.counterparts).toContain(fp(bob));
    expect(withdrawalProblem(outcome, () => 'Bob')).toMatchObject({ code: 'WITHDRAW_INCOMPLETE', why: 'left' });
    expect(await readdir(join(share, 'inboxes', fp(bob)))).toContain(name);
  });

  it('an exchange that cannot be reached is named: the package may still wait there', async () => {
    const { share, withdraw } = await sentToBoth('share-gone');
    await rm(share, { recursive: true, force: true }); // the share is gone (unmounted)
    const outcome = await withdraw();
    expect(outcome.problems.map((problem) => problem.exchange)).toContain(share);
    const problem = withdrawalProblem(outcome, (fingerprint) => fingerprint);
    expect(problem).toBeInstanceOf(WithdrawIncomplete);
    expect(problem?.userMessage).toContain(share);
  });

  it('a notice not signed by the sender it names, or from someone not in the contacts, is refused and changes nothing', async () => {
    const before = actions(bob, 'package.withdrawn-by-sender').length;
    const hash = 'ab'.repeat(32);
    const mallory = await person(work, 'Mallory', 'mallory@m.example');
    const fromStranger = createWithdrawalNotice(
      mallory.requireUnlocked().identity,
      bob.requireUnlocked().identity.card,
      hash,
    );
    await expect(new Receipts(bob).takeIn(fromStranger)).rejects.toMatchObject({ reason: 'unknown-sender' });
    expect(actions(bob, 'receipt.refused').at(-1)).toMatchObject({
      detail: 'WITHDRAWAL_NOTICE_REFUSED:unknown-sender',
    });
    // Carol writes a notice in Alice's name: Alice is Bob's contact, but the signature is not hers.
    const inAlicesName = Buffer.from(
      JSON.stringify({ v: 1, package: hash, sender: fp(alice), recipient: fp(bob), at: new Date().toISOString() }),
    );
    const forged = sealNote(
      WITHDRAWAL_NOTICE,
      carol.requireUnlocked().identity.signingSecretKey,
      bob.requireUnlocked().identity.card.encryptionKey,
      inAlicesName,
    );
    await expect(new Receipts(bob).takeIn(forged)).rejects.toMatchObject({ reason: 'forged' });
    expect(actions(bob, 'receipt.refused').at(-1)).toMatchObject({ detail: 'WITHDRAWAL_NOTICE_REFUSED:forged' });
    await expect(new Receipts(alice).takeIn(forged)).rejects.toMatchObject({ reason: 'unreadable' }); // not addressed to her
    expect(actions(bob, 'package.withdrawn-by-sender')).toHaveLength(before);
    mallory.close();
  });

  it('a notice put back into the inbox is recorded once; a contact cannot withdraw a package another contact sent (security review of issue 28)', async () => {
    const hash = 'cd'.repeat(32);
    const before = actions(bob, 'package.withdrawn-by-sender').length;
    const notice = createWithdrawalNotice(alice.requireUnlocked().identity, bob.requireUnlocked().identity.card, hash);
    for (let replay = 0; replay < 3; replay++)
      expect(await new Receipts(bob).takeIn(notice)).toMatchObject({ kind: 'withdrawal' });
    expect(actions(bob, 'package.withdrawn-by-sender')).toHaveLength(before + 1);

    // Bob opened a package of Alice's; Carol, also his contact, claims to have withdrawn it.
    await bob.requireUnlocked().contacts.importCard(carol.requireUnlocked().identity.card);
    const opened = bob
      .requireUnlocked()
      .history.recent(50)
      .find((entry) => entry.direction === 'received' && entry.counterpart === fp(alice))!;
    const claim = createWithdrawalNotice(
      carol.requireUnlocked().identity,
      bob.requireUnlocked().identity.card,
      opened.packageHash,
    );
    await expect(new Receipts(bob).takeIn(claim)).rejects.toMatchObject({ reason: 'forged' });
    expect(actions(bob, 'package.withdrawn-by-sender')).toHaveLength(before + 1);
  });

  it('only a package sent from here can be withdrawn', async () => {
    const service = new WithdrawService(alice, services(alice).exchanges);
    await expect(service.withdraw(999_999)).rejects.toBeInstanceOf(UnknownSentPackage);
    const received = bob
      .requireUnlocked()
      .history.recent(50)
      .find((entry) => entry.direction === 'received')!;
    await expect(new WithdrawService(bob, services(bob).exchanges).withdraw(received.id)).rejects.toBeInstanceOf(
      UnknownSentPackage,
    );
  });
});
