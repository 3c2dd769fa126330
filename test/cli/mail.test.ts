/**
 * Delivery by e-mail with the built CLI, against real Postfix and Dovecot:
 * `exchange add-mail` (a wrong password is refused and nothing is saved),
 * `seal --deliver` says it went by e-mail to the address on the card, the
 * partner's `inbox` lists it, `inbox open` opens it and the receipt comes
 * back by e-mail, and `doctor` checks both directions with a test message
 * that it then removes. Prints the round trip's steps (not a timing test).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { scaled } from '../helpers/time.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
const PASS = 'correct horse battery staple';
const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`CLI e-mail tests skipped: ${unavailable}`);

let work: string;
let server: MailServer;
let alice: MailUser, bob: MailUser;

function medseal(home: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(result: { code: number | null; stdout: string; stderr: string }) {
  expect(result.code, result.stderr).toBe(EXIT.ok);
  return result.stdout.trim().startsWith('{') ? JSON.parse(result.stdout) : result.stdout;
}

function addMail(home: string, user: MailUser, password = user.password) {
  return medseal(
    home,
    [
      '--json',
      'exchange',
      'add-mail',
      '--smtp',
      `smtp://127.0.0.1:${server.smtpPort}`,
      '--imap',
      `imaps://127.0.0.1:${server.imapPort}`,
      '--ca-file',
      server.caFile,
    ],
    { MEDSEAL_MAIL_PASSWORD: password },
  );
}

/** `inbox --json` until `ready` finds what it waits for (mail takes a moment through Postfix). */
async function inboxUntil<T>(
  home: string,
  ready: (inbox: { packages: { id: string }[] } & Record<string, unknown>) => T | undefined,
): Promise<T> {
  const until = Date.now() + scaled(30_000);
  for (;;) {
    const found = ready(ok(medseal(home, ['--json', 'inbox'])));
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`${home}'s inbox never had it`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(unavailable !== null)('the CLI delivers by e-mail', () => {
  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error('dist/cli/medseal.cjs is missing: run "npm run build" first (npm test does).');
    server = await startMailServer();
    alice = await server.users.create('alice');
    bob = await server.users.create('bob');
    work = await mkdtemp(join(tmpdir(), 'medseal-cli-mail-'));
    await createFastProfiles(
      work,
      PASS,
      [
        { home: 'alice', name: 'Dr Alice Adams', email: alice.address, organisation: 'General Hospital' },
        { home: 'bob', name: 'Dr Bob Brown', email: bob.address, organisation: 'Partner Lab' },
      ],
      { acquainted: true },
    );
    await writeFile(join(work, 'referral.txt'), 'synthetic referral letter');
  }, scaled(120_000));

  afterAll(async () => {
    await server?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('refuses a wrong password and saves nothing', () => {
    const refused = medseal(
      'alice',
      [
        'exchange',
        'add-mail',
        '--smtp',
        `smtps://127.0.0.1:${server.smtpsPort}`,
        '--imap',
        `imaps://127.0.0.1:${server.imapPort}`,
        '--ca-file',
        server.caFile,
      ],
      {
        MEDSEAL_MAIL_PASSWORD: 'not the password',
      },
    );
    expect(refused.code).not.toBe(EXIT.ok);
    expect(refused.stderr).toMatch(/refused the login/);
    expect(refused.stderr).not.toContain('not the password');
    expect(ok(medseal('alice', ['--json', 'exchange', 'list'])).exchanges).toEqual([]);
  });

  it('seals, sends by e-mail, and the receipt comes back by e-mail', async () => {
    const steps: string[] = [];
    let at = Date.now();
    const step = (name: string) => {
      steps.push(`${name} ${Date.now() - at} ms`);
      at = Date.now();
    };
    expect(ok(addMail('alice', alice)).added).toMatchObject({ kind: 'email', name: alice.address });
    ok(addMail('bob', bob));
    at = Date.now();
    const sent = medseal('alice', [
      'seal',
      'referral.txt',
      '--to',
      bob.address,
      '-o',
      join(work, 'referral.medseal'),
      '--deliver',
    ]);
    expect(sent.code, sent.stderr).toBe(EXIT.ok);
    expect(sent.stdout).toContain(`Sent by e-mail to ${bob.address} (Dr Bob Brown`);
    step('seal and send');
    const entry = await inboxUntil('bob', (inbox) => inbox.packages[0]);
    step("in the partner's inbox");
    const opened = ok(medseal('bob', ['--json', 'inbox', 'open', entry.id, '-o', join(work, 'bob-files')]));
    expect(opened.receipt).toBe('sent');
    step('opened, receipt sent');
    expect(ok(medseal('bob', ['--json', 'inbox'])).packages).toEqual([]); // moved to the archive folder
    const told = await inboxUntil('alice', () => {
      const listed = ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1']));
      return listed.packages[0].recipients[0].status === 'opened' ? listed.packages[0].recipients[0] : undefined;
    });
    expect(told).toMatchObject({ name: 'Dr Bob Brown', status: 'opened' });
    step('receipt back');
    console.log(`e-mail round trip, CLI, small file: ${steps.join(' · ')}`);
  });

  it('invites a partner by e-mail; the card that arrives is offered, imported unverified, and both are audited', async () => {
    const carol = await server.users.create('carol');
    await createFastProfiles(work, PASS, [
      { home: 'carol', name: 'Dr Carol Cole', email: carol.address, organisation: 'Heart Clinic' },
    ]);
    ok(addMail('carol', carol));
    expect(medseal('alice', ['contacts', 'invite', 'not an address']).code).toBe(EXIT.usage);
    const invited = medseal('alice', ['contacts', 'invite', carol.address]);
    expect(invited.code, invited.stderr).toBe(EXIT.ok);
    const offer = await inboxUntil('carol', (inbox) => (inbox.cardsOffered === 1 ? true : undefined)).then(
      () => ok(medseal('carol', ['--json', 'contacts', 'offers'])).offers[0],
    );
    expect(offer).toMatchObject({
      known: false,
      card: { name: 'Dr Alice Adams', email: alice.address },
      problem: null,
    });
    expect(ok(medseal('carol', ['inbox']))).toMatch(/A contact card came by e-mail/);
    const accepted = ok(medseal('carol', ['--json', 'contacts', 'accept', offer.id]));
    expect(accepted).toMatchObject({ outcome: 'added', contact: { state: 'unverified' } });
    expect(ok(medseal('carol', ['--json', 'contacts', 'offers'])).offers).toEqual([]); // archived once imported
    const actions = (home: string) =>
      medseal(home, ['audit', 'export', '--format', 'jsonl'])
        .stdout.trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { action: string }).action);
    expect(actions('alice')).toContain('invitation.sent');
    expect(actions('carol')).toEqual(expect.arrayContaining(['contact.imported', 'invitation.card-accepted']));
  });

  it('doctor checks the mailbox both ways and removes its test message', () => {
    const doctor = medseal('bob', ['doctor']);
    expect(doctor.stdout).toMatch(/a test message to yourself arrived/);
    expect(ok(medseal('bob', ['--json', 'inbox'])).packages).toEqual([]);
  });
});
