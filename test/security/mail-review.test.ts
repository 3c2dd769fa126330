/**
 * Security review of delivery by e-mail (exchange/mail/, services/delivery/),
 * as an attacker would try it, against real Postfix (submission) and
 * Dovecot (IMAP) started for this file on 127.0.0.1 with a test CA:
 *
 * - a withdrawal of a package that went by e-mail must not read as done: the
 *   message stays in the partner's mailbox and their MedSeal still opens it;
 * - a recipient the mail server refuses must not hide that the recipients
 *   before them were sent the package (else the history, the withdrawal
 *   notice and the queue all act as if they had not);
 * - an address refused before anything is sent is not "the server is down":
 *   it must not be queued and retried, re-mailing the others each time;
 * - "Test connection" must not log in to a mailbox the policy no longer allows;
 * - on a server without MOVE and UIDPLUS, taking a package in (or the health
 *   check's test message) must not expunge other messages the person marked
 *   deleted in their mail program: "every other message is left as it is";
 * - a huge attachment named `.medseal-contact` is not downloaded to be read
 *   as a card (a card is a few kilobytes).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { codeOf } from '../../main/errors/medseal-error.js';
import { ImapMailbox } from '../../main/exchange/mail/imap-mailbox.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { Invitations } from '../../main/services/delivery/invitations.js';
import { WithdrawService, withdrawalProblem } from '../../main/services/delivery/withdraw.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { submitRaw } from '../helpers/mail-client.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`e-mail security review tests skipped: ${unavailable}`);

/** Dovecot's capabilities after login, without MOVE and UIDPLUS (as some servers still are). */
const WITHOUT_MOVE_OR_UIDPLUS = 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE NAMESPACE CHILDREN LITERAL+ ESEARCH';

let work: string;
let server: MailServer;
let plainServer: MailServer;
const opened: ProfileSession[] = [];

async function withMailbox(session: ProfileSession, user: MailUser, on: MailServer = server) {
  return services(session).exchanges.addMailbox({
    smtp: `smtps://127.0.0.1:${on.smtpsPort}`,
    imap: `imaps://127.0.0.1:${on.imapPort}`,
    password: async () => user.password,
    caFile: on.caFile,
  });
}

/**
 * Mailbox users made before the tests: Dovecot looks at its passwd-file again at most once a second,
 * so a user made just now may not log in yet; these had a second for it.
 */
const pools = new Map<MailServer, MailUser[]>();

async function makeUsers(on: MailServer, count: number) {
  const made: MailUser[] = [];
  for (let index = 0; index < count; index++)
    made.push(await on.users.create(`u${index}${randomBytes(3).toString('hex')}`));
  pools.set(on, made);
}

/** A clinician with a mailbox user on `on` (a fresh one per test: tests do not share mailboxes). */
async function clinician(name: string, on: MailServer = server, policy?: PolicyGate) {
  const user = pools.get(on)?.shift();
  if (!user) throw new Error('more mailbox users needed: raise the count in beforeAll');
  const session = await person(work, `Dr ${name} ${user.address.split('@')[0]}`, user.address, policy);
  opened.push(session);
  return { session, user, fingerprint: fingerprintHex(session.requireUnlocked().identity.card.fingerprint) };
}

async function knowEachOther(...sessions: ProfileSession[]) {
  for (const a of sessions)
    for (const b of sessions)
      if (a !== b) await a.requireUnlocked().contacts.importCard(b.requireUnlocked().identity.card);
}

/** `from` seals a small file for `recipients` (by e-mail address), as the CLI and the app do. */
async function seal(from: ProfileSession, recipients: readonly string[], name = 'referral') {
  const file = join(work, `${name}-${randomBytes(4).toString('hex')}.txt`);
  await writeFile(file, `synthetic ${name}`);
  const { send } = services(from);
  const prepared = await send.prepare({
    files: [{ path: file }],
    recipients: [...recipients],
    note: '',
    confirmUnverified: true,
  });
  const output = `${file}.medseal`;
  return { output, ...(await send.start(prepared, output).done) };
}

async function until<T>(what: string, look: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + scaled(30_000);
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A direct IMAP session on `user`'s mailbox, as the person's own mail program would have. */
async function mailProgram(user: MailUser, on: MailServer = server) {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: on.imapPort,
    secure: true,
    tls: { ca: await readFile(on.caFile, 'utf8') },
    auth: { user: user.address, pass: user.password },
    logger: false,
  });
  await client.connect();
  /** The subjects (and X-MedSeal headers) of the messages in the INBOX. */
  const inbox = async () => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      await client.noop(); // what other sessions expunged meanwhile is told now, not after the fetch
      const found: { uid: number; subject: string; medseal: string; flags: string[] }[] = [];
      if (client.mailbox && client.mailbox.exists > 0)
        for await (const message of client.fetch('1:*', {
          uid: true,
          envelope: true,
          flags: true,
          headers: ['x-medseal'],
        }))
          found.push({
            uid: message.uid,
            subject: message.envelope?.subject ?? '',
            medseal: (message.headers?.toString('utf8') ?? '').replace(/^x-medseal:\s*/i, '').trim(),
            flags: [...(message.flags ?? [])],
          });
      return found;
    } finally {
      lock.release();
    }
  };
  return { client, inbox };
}

/** A plain message from `from` (a login of that server) to `to`, with these attachments. */
function sendRaw(
  from: MailUser,
  to: string,
  subject: string,
  attachments: { filename: string; content: Buffer | string }[] = [],
  on: MailServer = server,
) {
  return submitRaw(on, from, { from: from.address, to, subject, text: 'hello', attachments });
}

describe.skipIf(unavailable !== null)('e-mail delivery under attack (security review)', () => {
  beforeAll(async () => {
    await loadSodium();
    server = await startMailServer();
    plainServer = await startMailServer({ imapCapability: WITHOUT_MOVE_OR_UIDPLUS });
    work = await mkdtemp(join(tmpdir(), 'medseal-mail-review-'));
    await makeUsers(server, 16);
    await makeUsers(plainServer, 4);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  });

  afterEach(() => {
    vi.restoreAllMocks();
    for (const session of opened.splice(0)) session.close();
  });

  afterAll(async () => {
    await server?.dispose();
    await plainServer?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('does not report a withdrawal as done when the package went by e-mail and still opens for the recipient', async () => {
    const alice = await clinician('Alice');
    const bob = await clinician('Bob');
    await knowEachOther(alice.session, bob.session);
    await withMailbox(alice.session, alice.user);
    await withMailbox(bob.session, bob.user);

    const sealed = await seal(alice.session, [bob.user.address]);
    const sent = await services(alice.session).queue.send(sealed.output, sealed.packageHash, [bob.fingerprint]);
    expect(sent.delivered).toEqual([expect.objectContaining({ recipient: bob.fingerprint, kind: 'email' })]);
    await until('the package in Bob’s inbox', async () =>
      (await services(bob.session).inbox.list()).packages.find(
        (entry) => entry.preview?.packageHash === sealed.packageHash,
      ),
    );

    const id = alice.session
      .requireUnlocked()
      .history.recent(10)
      .find((item) => item.packageHash === sealed.packageHash)!.id;
    const outcome = await new WithdrawService(alice.session, services(alice.session).exchanges).withdraw(id);
    expect(outcome.recipients).toEqual([expect.objectContaining({ fingerprint: bob.fingerprint, outcome: 'mailed' })]);

    // Bob's MedSeal takes the notice in (today it only records it in his audit log) ...
    await until('the withdrawal notice taken in', async () => {
      const listing = await services(bob.session).inbox.list();
      return listing.receipts.withdrawals.length > 0 ? listing : undefined;
    });
    // ... and whether it still lists and opens the package decides what the sender may be told.
    const listing = await services(bob.session).inbox.list();
    const entry = listing.packages.find((item) => item.preview?.packageHash === sealed.packageHash);
    let stillOpens = false;
    if (entry) {
      const opening = await services(bob.session).inbox.open(entry.id, await tempFolder('medseal-review-'), {
        confirmUntrusted: true,
      });
      await opening.job.done;
      stillOpens = true;
    }
    // While it still opens, the sender must not be told the withdrawal went through (null: the app shows no problem).
    const problem = withdrawalProblem(outcome, () => 'Dr Bob');
    expect({ stillOpens, toldNotTakenBack: problem !== null }).not.toEqual({
      stillOpens: true,
      toldNotTakenBack: false,
    });
    if (problem) expect(problem.userMessage).toMatch(/cannot be taken back/);
  });

  it('a recipient whose exchange is down is queued there, not sent another way by e-mail', async () => {
    const alice = await clinician('Alice');
    const bob = await clinician('Bob');
    const carol = await clinician('Carol');
    await knowEachOther(alice.session, bob.session, carol.session);
    const share = await mkdtemp(join(work, 'share-'));
    for (const who of [alice, bob]) await services(who.session).exchanges.addFolder(share);
    await services(bob.session).inbox.list(); // Bob's MedSeal announces his inbox on the share
    await withMailbox(alice.session, alice.user);
    // The share has reached Bob before: that is his route.
    const earlier = await seal(alice.session, [bob.user.address]);
    const first = await services(alice.session).queue.send(earlier.output, earlier.packageHash, [bob.fingerprint]);
    expect(first.delivered).toEqual([expect.objectContaining({ kind: 'folder' })]);

    // The organisation's share is not mounted right now (maintenance): it is down, and comes back.
    await rename(share, `${share}-offline`);
    try {
      const sealed = await seal(alice.session, [bob.user.address]);
      const report = await services(alice.session).queue.send(sealed.output, sealed.packageHash, [bob.fingerprint]);
      // The exchange that reaches Bob is the organisation's choice: waiting for it is the queue's rule
      // ("not send it another way"), and e-mail is for partners no exchange reaches.
      expect(report.delivered.filter((entry) => entry.kind === 'email')).toEqual([]);
      expect(report.queued).toEqual([expect.objectContaining({ recipient: bob.fingerprint, exchange: share })]);
      // Carol, whom no exchange ever reached, is not held up by it: e-mail is her route.
      const forCarol = await seal(alice.session, [carol.user.address]);
      const mailed = await services(alice.session).queue.send(forCarol.output, forCarol.packageHash, [
        carol.fingerprint,
      ]);
      expect(mailed.delivered).toEqual([expect.objectContaining({ recipient: carol.fingerprint, kind: 'email' })]);
      expect(mailed.queued).toEqual([]);
    } finally {
      await rename(`${share}-offline`, share);
    }
  });

  it('a recipient the mail server refuses does not hide that the recipients before them were sent the package', async () => {
    const alice = await clinician('Alice');
    const bob = await clinician('Bob');
    // Olivia's card names an address at another domain: this submission server refuses it (554, relay denied).
    const olivia = await person(work, `Dr Olivia ${randomBytes(3).toString('hex')}`, `olivia@elsewhere.invalid`);
    opened.push(olivia);
    await knowEachOther(alice.session, bob.session, olivia);
    await withMailbox(alice.session, alice.user);
    const oliviaFingerprint = fingerprintHex(olivia.requireUnlocked().identity.card.fingerprint);

    const sealed = await seal(alice.session, [bob.user.address, 'olivia@elsewhere.invalid']);
    const report = await services(alice.session).queue.send(sealed.output, sealed.packageHash, [
      bob.fingerprint,
      oliviaFingerprint,
    ]);

    const bobsBox = await mailProgram(bob.user);
    try {
      // Bob was sent it (the message is in his mailbox) ...
      await until('the package in Bob’s mailbox', async () =>
        (await bobsBox.inbox()).find((message) => message.medseal.startsWith('package;')),
      );
    } finally {
      await bobsBox.client.logout();
    }
    // ... so the delivery must say so, and the history must record it (withdraw notifies only those it records).
    expect(report.delivered).toEqual([expect.objectContaining({ recipient: bob.fingerprint, kind: 'email' })]);
    expect(report.unreached).toEqual([oliviaFingerprint]);
  });

  it('an address refused before anything is sent is not queued as a server that is down, re-mailing the others', async () => {
    const alice = await clinician('Alice');
    const bob = await clinician('Bob');
    // A card may name any address its owner likes: this one the mail library refuses before any command.
    const odd = `mal<lory@${server.domain}`;
    const mallory = await person(work, `Dr Mallory ${randomBytes(3).toString('hex')}`, odd);
    opened.push(mallory);
    await knowEachOther(alice.session, bob.session, mallory);
    await withMailbox(alice.session, alice.user);
    const malloryFingerprint = fingerprintHex(mallory.requireUnlocked().identity.card.fingerprint);

    const sealed = await seal(alice.session, [bob.user.address, odd]);
    const report = await services(alice.session).queue.send(sealed.output, sealed.packageHash, [
      bob.fingerprint,
      malloryFingerprint,
    ]);
    const retried = await services(alice.session).queue.retry({ all: true });
    await services(alice.session).queue.retry({ all: true });

    const bobsBox = await mailProgram(bob.user);
    try {
      await until('the package in Bob’s mailbox', async () =>
        (await bobsBox.inbox()).find((message) => message.medseal.startsWith('package;')),
      );
      await new Promise((resolve) => setTimeout(resolve, scaled(1_500))); // any second copy arrives meanwhile
      const copies = (await bobsBox.inbox()).filter((message) => message.medseal.startsWith('package;'));
      // One package, one message: not one more for every retry of an address that can never work.
      expect(copies).toHaveLength(1);
    } finally {
      await bobsBox.client.logout();
    }
    expect(report.problems.map((problem) => codeOf(problem.error))).not.toContain('MAIL_SERVER_UNAVAILABLE');
    expect(report.queued).toEqual([]);
    expect(retried.delivered).toEqual([]);
  });

  it('"Test connection" does not log in to a mailbox the policy no longer allows', async () => {
    const effective = { ...POLICY_DEFAULTS };
    const policy = new PolicyGate({ state: 'ok', source: '/etc/medseal/policy.json', effective, managed: [] });
    const alice = await clinician('Alice', server, policy);
    await withMailbox(alice.session, alice.user); // added while the policy allowed the person's own servers

    // IT turns e-mail to the users' own servers off (and sets none of its own).
    effective.mailAllowOwnServers = false;
    const exchanges = services(alice.session).exchanges;
    const [mailbox] = (await exchanges.list()).filter((entry) => entry.kind === 'email');
    expect(mailbox).toEqual(expect.objectContaining({ ready: false }));
    const check = await exchanges.check(mailbox!.name);
    // Sending the stored password to a server the policy does not allow is what the policy forbids.
    expect(check.passed).toEqual([]);
    expect(check.failed).not.toBeNull();
  });

  it('taking a package in on a server without MOVE and UIDPLUS leaves the messages the person marked deleted', async () => {
    const alice = await clinician('Alice', plainServer);
    const bob = await clinician('Bob', plainServer);
    await knowEachOther(alice.session, bob.session);
    await withMailbox(alice.session, alice.user, plainServer);
    await withMailbox(bob.session, bob.user, plainServer);

    // Bob's mail program marks a message deleted and leaves it there (Thunderbird's "mark as deleted",
    // Outlook's IMAP "purge later"): he can still undelete it, until he chooses to purge.
    await sendRaw(alice.user, bob.user.address, 'Keep me: marked deleted, not purged', [], plainServer);
    const bobsBox = await mailProgram(bob.user, plainServer);
    try {
      const keep = await until('the message Bob keeps', async () =>
        (await bobsBox.inbox()).find((message) => message.subject.startsWith('Keep me')),
      );
      const lock = await bobsBox.client.getMailboxLock('INBOX');
      try {
        await bobsBox.client.messageFlagsAdd(String(keep.uid), ['\\Deleted'], { uid: true });
      } finally {
        lock.release();
      }

      const sealed = await seal(alice.session, [bob.user.address]);
      await services(alice.session).queue.send(sealed.output, sealed.packageHash, [bob.fingerprint]);
      const entry = await until('the package in Bob’s inbox', async () =>
        (await services(bob.session).inbox.list()).packages.find(
          (item) => item.preview?.packageHash === sealed.packageHash,
        ),
      );
      const opening = await services(bob.session).inbox.open(entry.id, await tempFolder('medseal-review-'), {
        confirmUntrusted: true,
      });
      await opening.job.done; // taken in: MedSeal archives its own message

      expect((await bobsBox.inbox()).map((message) => message.subject)).toContain(
        'Keep me: marked deleted, not purged',
      );
      // Nor is the package listed again (it was taken in).
      const again = await services(bob.session).inbox.list();
      expect(again.packages.filter((item) => item.preview?.packageHash === sealed.packageHash)).toEqual([]);
    } finally {
      await bobsBox.client.logout();
    }
  });

  it("the health check's test message removal leaves the messages the person marked deleted (no UIDPLUS)", async () => {
    const carol = await clinician('Carol', plainServer);
    await withMailbox(carol.session, carol.user, plainServer);
    await sendRaw(carol.user, carol.user.address, 'Keep me too: marked deleted, not purged', [], plainServer);
    const box = await mailProgram(carol.user, plainServer);
    try {
      const keep = await until('the message Carol keeps', async () =>
        (await box.inbox()).find((message) => message.subject.startsWith('Keep me too')),
      );
      const lock = await box.client.getMailboxLock('INBOX');
      try {
        await box.client.messageFlagsAdd(String(keep.uid), ['\\Deleted'], { uid: true });
      } finally {
        lock.release();
      }
      const exchanges = services(carol.session).exchanges;
      const [mailbox] = (await exchanges.list()).filter((entry) => entry.kind === 'email');
      const check = await exchanges.check(mailbox!.name);
      expect(check.failed).toBeNull();
      expect((await box.inbox()).map((message) => message.subject)).toContain(
        'Keep me too: marked deleted, not purged',
      );
    } finally {
      await box.client.logout();
    }
  });

  it("the health check deletes only its own test message, whatever the server's SEARCH HEADER matches", async () => {
    const dave = await clinician('Dave');
    await withMailbox(dave.session, dave.user);
    // A message of Dave's own whose X-MedSeal header merely contains a test's words (a substring match),
    // standing for what a server that answers SEARCH HEADER loosely (word or full-text search) returns.
    await sendRaw(dave.user, dave.user.address, 'Keep me: not the test', []);
    const box = await mailProgram(dave.user);
    try {
      const keep = await until('the message Dave keeps', async () =>
        (await box.inbox()).find((message) => message.subject.startsWith('Keep me: not the test')),
      );
      const search = ImapFlow.prototype.search;
      vi.spyOn(ImapFlow.prototype, 'search').mockImplementation(async function (this: ImapFlow, ...args) {
        const found = await search.apply(this, args);
        return Array.isArray(found) ? [keep.uid, ...found] : found; // the loose match first
      });
      const exchanges = services(dave.session).exchanges;
      const [mailbox] = (await exchanges.list()).filter((entry) => entry.kind === 'email');
      const check = await exchanges.check(mailbox!.name);
      expect(check.failed).toBeNull();
      const left = (await box.inbox()).map((message) => message.subject);
      expect(left).toContain('Keep me: not the test');
      expect(left).not.toContain('MedSeal connection test');
    } finally {
      await box.client.logout();
    }
  });

  it('does not download a huge attachment named .medseal-contact to read it as a card', async () => {
    const bob = await clinician('Bob');
    const mallory = await clinician('Mallory');
    await withMailbox(bob.session, bob.user);
    await sendRaw(mallory.user, bob.user.address, 'My card', [
      { filename: 'card.medseal-contact', content: randomBytes(2 * 1024 * 1024) },
    ]);
    const bobsBox = await mailProgram(bob.user);
    try {
      await until('the message in Bob’s mailbox', async () =>
        (await bobsBox.inbox()).find((message) => message.subject === 'My card'),
      );
    } finally {
      await bobsBox.client.logout();
    }
    const download = vi.spyOn(ImapMailbox.prototype, 'download');
    const offers = await new Invitations(bob.session).offers();
    expect(offers).toEqual([expect.objectContaining({ card: null, problem: expect.anything() })]);
    expect(codeOf(offers[0]!.problem)).toBe('CARD_MALFORMED');
    expect(download).not.toHaveBeenCalled();
  });
});
