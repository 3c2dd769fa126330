/**
 * Delivery by e-mail (exchange/mail/, services/delivery/) against real
 * Postfix (submission) and Dovecot (IMAP) started for this file on
 * 127.0.0.1 with a test CA: a package reaches a partner no exchange reaches,
 * is opened from their mailbox and archived there, and the receipt comes
 * back by e-mail; a certificate the CA did not sign is refused before any
 * login; a server down is queued and delivered once back; a message with
 * no MedSeal attachment is neither listed nor touched; a forged From does
 * not change who sent a package; a package over the server's size limit is
 * refused with both sizes, saved and not queued.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { codeOf } from '../../main/errors/medseal-error.js';
import { ARCHIVE_FOLDER } from '../../main/exchange/mail/imap-mailbox.js';
import { MailTransport } from '../../main/exchange/mail/mail-transport.js';
import { identifyPackage } from '../../main/package/inspect.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { deliveryFailure } from '../../main/services/delivery/delivery-failure.js';
import { recipientStatuses } from '../../main/services/delivery/recipient-status.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { submitRaw } from '../helpers/mail-client.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`e-mail delivery tests skipped: ${unavailable}`);

const SIZE_LIMIT = 4 * 1024 * 1024;
let server: MailServer;
let work: string;
const users: Record<string, MailUser> = {};
let alice: ProfileSession, bob: ProfileSession;

async function withMailbox(session: ProfileSession, user: MailUser, caFile: string | null = server.caFile) {
  return services(session).exchanges.addMailbox({
    smtp: `smtps://127.0.0.1:${server.smtpsPort}`,
    imap: `imaps://127.0.0.1:${server.imapPort}`,
    password: async () => user.password,
    ...(caFile === null ? {} : { caFile }),
  });
}

/** Alice seals `bytes` for Bob, as the CLI and the app do. */
async function seal(name: string, bytes: Buffer | string = `synthetic ${name}`, note = '') {
  const { send } = services(alice);
  await writeFile(join(work, `${name}.txt`), bytes);
  const prepared = await send.prepare({
    files: [{ path: join(work, `${name}.txt`) }],
    recipients: [bob.requireUnlocked().identity.card.profile.email],
    note,
    confirmUnverified: true,
  });
  const output = join(work, `${name}.medseal`);
  return { output, ...(await send.start(prepared, output).done) };
}

/** Looks at `session`'s inbox until `ready` says yes (mail takes a moment through Postfix and LMTP). */
async function inboxUntil<T>(
  session: ProfileSession,
  ready: (listing: Awaited<ReturnType<ReturnType<typeof services>['inbox']['list']>>) => T | undefined,
) {
  const until = Date.now() + scaled(30_000);
  for (;;) {
    const listing = await services(session).inbox.list();
    const found = ready(listing);
    if (found !== undefined) return found;
    if (Date.now() > until)
      throw new Error(`inbox never ready: ${JSON.stringify(listing.problems.map((p) => codeOf(p.error)))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A direct IMAP look at `user`'s mailbox, as another mail program would see it. */
async function mailboxOf(user: MailUser) {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: server.imapPort,
    secure: true,
    tls: { ca: await readFile(server.caFile, 'utf8') },
    auth: { user: user.address, pass: user.password },
    logger: false,
  });
  await client.connect();
  const look = async (folder: string) => {
    const found = await client.status(folder, { messages: true }).catch(() => false as const); // no such folder yet
    return found === false ? 0 : (found.messages ?? 0);
  };
  return { client, look };
}

/** Sends a message as `from` (a login of this server) with a forged From header and these attachments. */
function sendRaw(from: MailUser, to: string, headerFrom: string, attachments: { filename: string; path: string }[]) {
  return submitRaw(server, from, { from: headerFrom, to, subject: 'Lab results', text: 'see attached', attachments });
}

describe.skipIf(unavailable !== null)('delivery by e-mail, real Postfix and Dovecot', () => {
  beforeAll(async () => {
    await loadSodium();
    server = await startMailServer({ messageSizeLimit: SIZE_LIMIT });
    work = await mkdtemp(join(tmpdir(), 'medseal-mail-delivery-')); // lives for the whole file (tempFolder's go after each test)
    for (const name of ['alice', 'bob', 'mallory']) users[name] = await server.users.create(name);
    alice = await person(work, 'Dr Alice Adams', users.alice!.address);
    bob = await person(work, 'Dr Bob Brown', users.bob!.address);
    await alice.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
    await bob.requireUnlocked().contacts.importCard(alice.requireUnlocked().identity.card);
    await withMailbox(alice, users.alice!);
    await withMailbox(bob, users.bob!);
  });

  afterAll(async () => {
    alice?.close();
    bob?.close();
    await server?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('sends a package by e-mail, the partner opens it from the mailbox, and the receipt comes back by e-mail', async () => {
    const sealed = await seal('referral');
    const report = await services(alice).queue.send(sealed.output, sealed.packageHash, [
      fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
    ]);
    expect(report.delivered).toEqual([
      expect.objectContaining({ kind: 'email', exchange: users.alice!.address, location: users.bob!.address }),
    ]);

    const entry = await inboxUntil(bob, (listing) =>
      listing.packages.find((item) => item.preview?.packageHash === sealed.packageHash),
    );
    expect(entry.preview!.sender.profile.name).toBe('Dr Alice Adams');
    expect(entry.exchanges).toEqual([users.bob!.address]);
    const opened = await services(bob).inbox.open(entry.id, await tempFolder('medseal-opened-'), {
      confirmUntrusted: true,
    });
    const result = await opened.job.done;
    expect(result.receipt).toBe('sent');

    const bobsBox = await mailboxOf(users.bob!);
    try {
      expect(await bobsBox.look('INBOX')).toBe(0);
      expect(await bobsBox.look(ARCHIVE_FOLDER)).toBe(1);
    } finally {
      await bobsBox.client.logout();
    }
    const receipts = await inboxUntil(alice, (listing) =>
      listing.receipts.answers.length > 0 ? listing.receipts : undefined,
    );
    expect(receipts.answers).toEqual([expect.objectContaining({ outcome: 'opened', package: sealed.packageHash })]);
    const profile = alice.requireUnlocked();
    const summary = profile.history.recent(10).find((item) => item.packageHash === sealed.packageHash)!;
    expect((await recipientStatuses(profile, [summary])).get(summary.id)![0]!.status).toBe('opened');
  });

  it('says nothing of the patient in the e-mail: no file name, no note, a fixed subject and body', async () => {
    const sealed = await seal('Jane-Doe-MRN-4711-echo', 'synthetic echo report', 'Jane Doe, MRN 4711: urgent');
    await services(alice).queue.send(sealed.output, sealed.packageHash, [
      fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
    ]);
    const box = await mailboxOf(users.bob!);
    try {
      const until = Date.now() + scaled(30_000);
      let source = '';
      while (!source.includes(sealed.packageHash.slice(0, 32)) && Date.now() < until) {
        const lock = await box.client.getMailboxLock('INBOX');
        try {
          for await (const message of box.client.fetch('1:*', { source: true }))
            if (message.source?.includes(sealed.packageHash.slice(0, 32))) source = message.source.toString('utf8');
        } finally {
          lock.release();
        }
      }
      expect(source).toMatch(/^Subject: Encrypted MedSeal package\r$/m);
      expect(source).toMatch(/^X-MedSeal: package; delivery=[0-9a-f]{32}\r$/im);
      // Everything but the attachment's base64 lines (ciphertext may hold any three letters by chance).
      const words = source
        .split('\r\n')
        .filter((line) => !/^[A-Za-z0-9+/=]+$/.test(line))
        .join('\n');
      for (const secret of ['Jane', 'Doe', 'MRN', '4711', 'echo', 'urgent']) expect(words).not.toContain(secret);
    } finally {
      await box.client.logout();
    }
  });

  it('a mailbox kept open sees new mail, and mail another program moved away, between looks', async () => {
    const account = bob.requireUnlocked().mailbox.get()!.account;
    const kept = new MailTransport(account.address, account);
    const box = await mailboxOf(users.bob!);
    try {
      const before = (await kept.waiting()).length;
      const first = await seal('kept-1');
      await services(alice).queue.send(first.output, first.packageHash, [
        fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
      ]);
      const until = async (count: number) => {
        const end = Date.now() + scaled(30_000);
        while ((await kept.waiting()).length !== count)
          if (Date.now() > end) throw new Error(`never ${count} waiting`);
          else await new Promise((resolve) => setTimeout(resolve, 100));
      };
      await until(before + 1);
      // Another mail program moves every message away, and a new package arrives: same count, other mail.
      await box.client.mailboxCreate('Elsewhere');
      const lock = await box.client.getMailboxLock('INBOX');
      try {
        await box.client.messageMove('1:*', 'Elsewhere');
      } finally {
        lock.release();
      }
      await until(0);
      const second = await seal('kept-2');
      await services(alice).queue.send(second.output, second.packageHash, [
        fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
      ]);
      await until(1);
      const [item] = await kept.waiting();
      const fetched = await kept.fetch('', item!, await tempFolder('medseal-kept-'));
      expect((await identifyPackage(fetched.path)).hash).toBe(second.packageHash);
    } finally {
      await kept.close();
      await box.client.logout();
    }
  });

  it('refuses a server whose certificate the CA in use did not sign, before any login', async () => {
    const carol = await person(work, 'Dr Carol Cole', (await server.users.create('carol')).address);
    try {
      const error = await withMailbox(carol, users.alice!, null).catch((failure: unknown) => failure);
      expect(codeOf(error)).toBe('MAIL_TLS_REFUSED');
      expect(carol.requireUnlocked().mailbox.get()).toBeNull();
    } finally {
      carol.close();
    }
  });

  it('queues a package while the mail server is down and delivers it once it is back', async () => {
    await server.stop('smtp');
    let sealed;
    try {
      sealed = await seal('while-down');
      const report = await services(alice).queue.send(sealed.output, sealed.packageHash, [
        fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
      ]);
      expect(report.delivered).toEqual([]);
      expect(report.queued).toEqual([
        expect.objectContaining({ exchange: users.alice!.address, reason: 'MAIL_SERVER_UNAVAILABLE' }),
      ]);
      expect(deliveryFailure(report.problems, report.unreached)).toBeNull();
    } finally {
      await server.start('smtp');
    }
    const retried = await services(alice).queue.retry({ all: true });
    expect(retried.delivered).toEqual([expect.objectContaining({ packageHash: sealed.packageHash, kind: 'email' })]);
    await inboxUntil(bob, (listing) =>
      listing.packages.find((item) => item.preview?.packageHash === sealed.packageHash),
    );
  });

  it('leaves a message without MedSeal attachments unlisted, unread and in place', async () => {
    const note = join(work, 'notes.txt');
    await writeFile(note, 'not a package');
    await sendRaw(users.mallory!, users.bob!.address, users.mallory!.address, [{ filename: 'notes.txt', path: note }]);
    const box = await mailboxOf(users.bob!);
    try {
      const until = Date.now() + scaled(30_000);
      while ((await box.look('INBOX')) === 0 && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 200));
      const before = await box.look('INBOX');
      const listing = await services(bob).inbox.list();
      expect(listing.problems).toEqual([]);
      expect(await box.look('INBOX')).toBe(before);
      const lock = await box.client.getMailboxLock('INBOX');
      try {
        for await (const message of box.client.fetch('1:*', { flags: true, envelope: true })) {
          if (message.envelope?.subject !== 'Lab results') continue;
          expect(message.flags?.has('\\Seen')).toBe(false);
          expect([...(message.flags ?? [])].filter((flag) => flag.startsWith('$MedSeal'))).toEqual([]);
        }
      } finally {
        lock.release();
      }
    } finally {
      await box.client.logout();
    }
  });

  it("shows a genuine package with its signer, whatever the e-mail's From says", async () => {
    const sealed = await seal('forged-from');
    await sendRaw(
      users.mallory!,
      users.bob!.address,
      `"Dr Carol Cole" <${users.bob!.address.replace('bob', 'carol')}>`,
      [{ filename: 'results.medseal', path: sealed.output }],
    );
    const entry = await inboxUntil(bob, (listing) =>
      listing.packages.find((item) => item.preview?.packageHash === sealed.packageHash),
    );
    expect(entry.preview!.sender.profile.name).toBe('Dr Alice Adams');
    expect(entry.preview!.senderFingerprint).toBe(fingerprintHex(alice.requireUnlocked().identity.card.fingerprint));
  });

  it('refuses a package larger than the server takes, with both sizes, and does not queue it', async () => {
    const sealed = await seal('huge', randomBytes(SIZE_LIMIT + 1024));
    const report = await services(alice).queue.send(sealed.output, sealed.packageHash, [
      fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
    ]);
    expect(report.delivered).toEqual([]);
    expect(report.queued).toEqual([]);
    const problem = report.problems.find((entry) => codeOf(entry.error) === 'MAIL_TOO_LARGE');
    expect(problem?.error.message ?? '').toMatch(/larger than the mail server accepts \(4\.0 MB\)/);
    expect(codeOf(deliveryFailure(report.problems, report.unreached))).toBe('NOT_DELIVERED');
  });
});
