/**
 * The delivery queue (services/delivery/delivery-queue.ts) against a real
 * OpenSSH server that the test stops and starts: a package the server could
 * not take is queued (not "send it another way"), tried again at 1, 2, 5,
 * 15 minutes and then hourly (a clock the test moves), and delivered exactly
 * once when the server is back, from the queue's own copy; a recipient the
 * server turns out not to reach leaves the queue as not reached; a changed
 * host key is never queued as "down" but reported.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { deliveryFailure } from '../../main/services/delivery/delivery-failure.js';
import { WithdrawService } from '../../main/services/delivery/withdraw.js';
import { QUEUE_FOLDER, QueuedPackages } from '../../main/services/delivery/queued-packages.js';
import { recipientStatuses } from '../../main/services/delivery/recipient-status.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { scaled } from '../helpers/time.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`delivery queue tests skipped: ${unavailable}`);

const MINUTE = 60_000;
let work: string;
let server: SshdServer;
let alice: ProfileSession, bob: ProfileSession, carol: ProfileSession;
let now = new Date('2026-03-04T10:00:00.000Z');
const clock = () => now;
const fp = (session: ProfileSession) => fingerprintHex(session.requireUnlocked().identity.card.fingerprint);

/** Alice seals a letter for `to` (contacts of hers) into `work`, as the CLI and the app do. */
async function seal(name: string, ...to: ProfileSession[]) {
  const { send } = services(alice, clock);
  await writeFile(join(work, `${name}.txt`), `synthetic ${name}`);
  const prepared = await send.prepare({
    files: [{ path: join(work, `${name}.txt`) }],
    recipients: to.map((session) => session.requireUnlocked().identity.card.profile.email),
    note: '',
    confirmUnverified: true,
  });
  const output = join(work, `${name}.medseal`);
  return { output, ...(await send.start(prepared, output).done) };
}

/** Each recipient's status in Activity, by fingerprint (the history keeps recipients in its own order). */
async function statusOf(packageHash: string) {
  const profile = alice.requireUnlocked();
  const summary = profile.history.recent(50).find((entry) => entry.packageHash === packageHash)!;
  return Object.fromEntries(
    (await recipientStatuses(profile, [summary])).get(summary.id)!.map((status) => [status.fingerprint, status]),
  );
}

const deliveredCount = () =>
  alice
    .requireUnlocked()
    .audit.entries()
    .filter((entry) => entry.action === 'package.delivered').length;

describe.skipIf(unavailable !== null)('the delivery queue, with a real sshd', () => {
  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-queue-')); // lives for the whole file
    server = await startSshd();
    [alice, bob, carol] = [
      await person(work, 'Alice', 'alice@a.example'),
      await person(work, 'Bob', 'bob@b.example'),
      await person(work, 'Carol', 'carol@c.example'),
    ];
    for (const other of [bob, carol])
      await alice.requireUnlocked().contacts.importCard(other.requireUnlocked().identity.card);
    await bob.requireUnlocked().contacts.importCard(alice.requireUnlocked().identity.card);
    for (const who of [alice, bob])
      // Carol has no inbox on the server
      await services(who).exchanges.addSftp({
        url: server.url,
        hostKey: server.hostKeyFingerprint,
        keyFile: async () => server.clientKeyFile,
        name: 'partner-sftp',
      });
  }, scaled(120_000));

  afterAll(async () => {
    for (const session of [alice, bob, carol]) session?.close();
    await server?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(
    'queues while the server is down, retries at 1, 2, 5, 15 min then hourly, and delivers exactly once when it is back',
    async () => {
      const { queue } = services(alice, clock);
      const sealed = await seal('referral', bob, carol);
      await server.stop();

      const sent = await queue.send(sealed.output, sealed.packageHash, [fp(bob), fp(carol)]);
      expect(sent.delivered).toEqual([]);
      expect(sent.unreached).toEqual([]); // not "send it another way": the server may reach them once it is back
      expect(sent.queued.map((entry) => [entry.recipient, entry.exchange, entry.nextTryAt, entry.reason])).toEqual([
        [fp(bob), 'partner-sftp', '2026-03-04T10:01:00.000Z', 'TRANSPORT_UNREACHABLE'],
        [fp(carol), 'partner-sftp', '2026-03-04T10:01:00.000Z', 'TRANSPORT_UNREACHABLE'],
      ]);
      expect(deliveryFailure(sent.problems, sent.unreached)).toBeNull(); // queued is no failure
      expect(await statusOf(sealed.packageHash)).toMatchObject({
        [fp(bob)]: { status: 'queued', nextTryAt: '2026-03-04T10:01:00.000Z' },
        [fp(carol)]: { status: 'queued', nextTryAt: '2026-03-04T10:01:00.000Z' },
      });
      const copy = join(alice.folder.path, QUEUE_FOLDER, `${sealed.packageHash}.medseal`);
      expect(existsSync(copy)).toBe(true);
      await rm(sealed.output); // the person deletes their saved package: the queue has its own copy

      now = new Date(now.getTime() + 30_000); // not due yet: nothing is tried
      expect(await queue.retry()).toEqual({ delivered: [], queued: [], unreached: [], problems: [] });

      const waits: number[] = [];
      let next = '2026-03-04T10:01:00.000Z';
      for (let attempt = 2; attempt <= 6; attempt++) {
        now = new Date(next);
        const report = await queue.retry();
        expect(report.delivered).toEqual([]);
        expect(report.queued).toHaveLength(2);
        next = report.queued[0]!.nextTryAt;
        waits.push((new Date(next).getTime() - now.getTime()) / MINUTE);
      }
      expect(waits).toEqual([2, 5, 15, 60, 60]);
      expect((await statusOf(sealed.packageHash))[fp(bob)]).toMatchObject({ status: 'queued', nextTryAt: next });

      await server.start();
      const before = deliveredCount();
      now = new Date(next);
      const [first, second] = [queue.retry(), queue.retry()]; // one run at a time: the second call gets the first's report
      expect(second).toBe(first);
      const back = await first;
      expect(back.delivered.map((entry) => [entry.recipient, entry.exchange])).toEqual([[fp(bob), 'partner-sftp']]);
      expect(back.unreached).toEqual([{ packageHash: sealed.packageHash, recipient: fp(carol) }]); // no inbox of hers there
      expect(back.queued).toEqual([]);
      expect(queue.list()).toEqual([]);
      expect(existsSync(copy)).toBe(false);
      expect(await statusOf(sealed.packageHash)).toMatchObject({
        [fp(bob)]: { status: 'delivered', detail: 'partner-sftp', nextTryAt: null },
        [fp(carol)]: { status: 'sealed', nextTryAt: null },
      });
      expect(await queue.retry({ all: true })).toEqual({ delivered: [], queued: [], unreached: [], problems: [] });
      expect(deliveredCount()).toBe(before + 1);

      const waiting = await services(bob).inbox.list();
      expect(waiting.packages.filter((entry) => entry.preview?.packageHash === sealed.packageHash)).toHaveLength(1);
    },
    scaled(180_000),
  );

  it(
    'a withdrawn package leaves the queue and its copy: the server coming back never delivers it',
    async () => {
      const { queue, exchanges } = services(alice, clock);
      const sealed = await seal('withdrawn-while-queued', bob);
      await server.stop();
      try {
        expect((await queue.send(sealed.output, sealed.packageHash, [fp(bob)])).queued).toHaveLength(1);
        const copy = join(alice.folder.path, QUEUE_FOLDER, `${sealed.packageHash}.medseal`);
        expect(existsSync(copy)).toBe(true);
        const { id } = alice.requireUnlocked().history.findSent(sealed.packageHash)!;
        await new WithdrawService(alice, exchanges).withdraw(id); // the server is down: nothing to remove there
        expect(queue.list()).toEqual([]);
        expect(existsSync(copy)).toBe(false);
      } finally {
        await server.start();
      }
      now = new Date(now.getTime() + 24 * 60 * MINUTE);
      expect((await queue.retry({ all: true })).delivered).toEqual([]);
      const waiting = await services(bob).inbox.list();
      expect(waiting.packages.filter((entry) => entry.preview?.packageHash === sealed.packageHash)).toEqual([]);
    },
    scaled(120_000),
  );

  it(
    'a package being delivered from the queue (by another process) is not withdrawn under it, nor sent twice (security review of issue 28)',
    async () => {
      const { queue, exchanges } = services(alice, clock);
      const sealed = await seal('uploading', bob);
      await server.stop();
      try {
        expect((await queue.send(sealed.output, sealed.packageHash, [fp(bob)])).queued).toHaveLength(1);
      } finally {
        await server.start();
      }
      // Another process (`medseal watch`, say) holds the package's lock while it uploads.
      const other = await new QueuedPackages(alice.folder.path).lock(sealed.packageHash);
      if (other === 'busy') throw new Error('the lock was already held');
      const { id } = alice.requireUnlocked().history.findSent(sealed.packageHash)!;
      await expect(new WithdrawService(alice, exchanges).withdraw(id)).rejects.toMatchObject({
        code: 'WITHDRAW_INCOMPLETE',
      });
      expect(queue.list()).toHaveLength(1); // nothing taken out under the upload
      expect((await queue.retry({ all: true })).delivered).toEqual([]); // nor uploaded a second time here
      await other.release();
      expect((await queue.retry({ all: true })).delivered).toHaveLength(1);
      expect(queue.list()).toEqual([]);
    },
    scaled(120_000),
  );

  it(
    'a changed host key is reported as such and never queued as "down"',
    async () => {
      const { queue } = services(alice, clock);
      const sealed = await seal('changed', bob);
      await server.stop();
      await server.newHostKey();
      await server.start();
      const sent = await queue.send(sealed.output, sealed.packageHash, [fp(bob)]);
      expect(sent.queued).toEqual([]);
      expect(sent.unreached).toEqual([fp(bob)]);
      expect(deliveryFailure(sent.problems, ['Bob (Test Org)'])).toMatchObject({
        code: 'HOST_KEY_CHANGED',
        category: 'untrusted-party',
        message: expect.stringMatching(/Someone may be intercepting the connection/),
      });
      expect(queue.list()).toEqual([]);
      expect(existsSync(join(alice.folder.path, QUEUE_FOLDER, `${sealed.packageHash}.medseal`))).toBe(false);
      expect((await statusOf(sealed.packageHash))[fp(bob)]).toMatchObject({ status: 'sealed', nextTryAt: null });
    },
    scaled(60_000),
  );
  it(
    'a recipient removed from the contacts (or whose key changed) gets nothing more from the queue (security review of issue 28)',
    async () => {
      const { queue } = services(alice, clock);
      const sealed = await seal('to-a-former-contact', carol);
      await server.stop();
      try {
        expect((await queue.send(sealed.output, sealed.packageHash, [fp(carol)])).queued).toHaveLength(1);
      } finally {
        await server.start();
      }
      await alice.requireUnlocked().contacts.remove(fp(carol));
      try {
        const report = await queue.retry({ all: true });
        expect(report.unreached).toEqual([{ packageHash: sealed.packageHash, recipient: fp(carol) }]);
        expect(report.delivered).toEqual([]);
        expect(queue.list()).toEqual([]);
        expect(existsSync(join(alice.folder.path, QUEUE_FOLDER, `${sealed.packageHash}.medseal`))).toBe(false);
      } finally {
        await alice.requireUnlocked().contacts.importCard(carol.requireUnlocked().identity.card);
      }
    },
    scaled(120_000),
  );
});
