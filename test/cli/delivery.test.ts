/**
 * Delivery end to end with the built CLI, as two clinicians in two
 * organisations would use it: an SFTP server (real sshd on 127.0.0.1) and a
 * shared folder; seal --deliver → inbox → inbox open → the signed receipt
 * comes back → the sender's packages list shows "opened".
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { mountTinyDisk, tinyDiskUnavailable } from '../helpers/tiny-disk.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { scaled } from '../helpers/time.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
const PASS = 'correct horse battery staple';
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`SFTP delivery tests skipped: ${unavailable}`);
const noTinyDisk = tinyDiskUnavailable();
if (noTinyDisk) console.warn(`the full-disk hot-folder test is skipped: ${noTinyDisk}`);

let work: string;

function medseal(home: string, args: string[]) {
  const result = spawnSync(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(result: { code: number | null; stdout: string; stderr: string }) {
  expect(result.code, result.stderr).toBe(EXIT.ok);
  return result.stdout.trim().startsWith('{') ? JSON.parse(result.stdout) : result.stdout;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/medseal.cjs is missing: run "npm run build" first (npm test does).');
  work = await mkdtemp(join(tmpdir(), 'medseal-delivery-'));
  await createFastProfiles(
    work,
    PASS,
    [
      { home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example', organisation: 'General Hospital' },
      { home: 'bob', name: 'Dr Bob Brown', email: 'bob@lab.example', organisation: 'Partner Lab' },
    ],
    { acquainted: true },
  );
  await writeFile(join(work, 'referral.txt'), 'synthetic referral letter');
}, scaled(120_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** The hot folder seals only for verified contacts: Alice compares Bob's safety number. */
function aliceVerifiesBob(): void {
  const view = ok(medseal('alice', ['--json', 'contacts', 'show', 'bob@lab.example'])) as {
    safetyNumber: string;
    contact: { state: string };
  };
  if (view.contact.state !== 'verified')
    ok(medseal('alice', ['contacts', 'verify', 'bob@lab.example', '--safety-number', view.safetyNumber]));
}

interface WatchOutcome {
  readonly ok: boolean;
  readonly file: string;
  readonly code?: string;
  readonly message?: string;
  readonly packageId?: string;
}

/**
 * A next try as the CLI words it (texts/queue-texts.ts): "14:05" today, "8 Dec 00:01" on another day,
 * which is what a run just before midnight sees (a fresh-clone run at 23:58 failed on the bare time).
 */
const NEXT_TRY = String.raw`(?:\d{1,2} [A-Z][a-z]{2,3} )?\d\d:\d\d`;

/** Alice's `medseal watch` on `outbox`, its JSON-line outcomes, a wait, and a stop. */
function watch(outbox: string) {
  const watcher = spawn(
    ...underTestPolicy([
      CLI,
      '--home',
      join(work, 'alice'),
      'watch',
      '--outbox',
      outbox,
      '--settle-ms',
      // Five times the slow scanner's pauses (300 ms): at 800, a run on a busy machine once saw an outcome mid-write.
      '1500',
      '--interval-ms',
      '100',
    ]),
    {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
    },
  );
  let stdout = '';
  let stderr = '';
  watcher.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  watcher.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const outcomes = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as WatchOutcome);
  const until = async (done: () => boolean, what: string) => {
    for (let waited = 0; !done(); waited += 100) {
      if (waited > 30_000) throw new Error(`${what} did not happen: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const stop = async () => {
    watcher.kill('SIGTERM');
    await new Promise((resolve) => watcher.once('exit', resolve));
  };
  return { outcomes, until, stop };
}

/** Seal and deliver → Bob's inbox → open → receipt → Alice sees "opened". */
async function roundTrip(file: string) {
  const sealed = ok(
    medseal('alice', [
      '--json',
      'seal',
      file,
      '--to',
      'bob@lab.example',
      '-o',
      join(work, `out-${Date.now()}.medseal`),
      '--deliver',
    ]),
  );
  expect(sealed.delivery.delivered).toHaveLength(1);
  expect(sealed.delivery.unreached).toEqual([]);
  const inbox = ok(medseal('bob', ['--json', 'inbox']));
  expect(inbox.packages).toHaveLength(1);
  expect(inbox.packages[0]).toMatchObject({
    sender: { name: 'Dr Alice Adams', organisation: 'General Hospital' },
    trust: 'unverified',
    problem: null,
  });
  const folder = join(work, `bob-files-${Date.now()}`);
  const opened = ok(medseal('bob', ['--json', 'inbox', 'open', inbox.packages[0].id, '-o', folder]));
  expect(opened.receipt).toBe('sent');
  expect(ok(medseal('bob', ['--json', 'inbox'])).packages).toEqual([]); // archived
  const aliceInbox = medseal('alice', ['inbox']);
  expect(aliceInbox.code).toBe(0);
  expect(aliceInbox.stdout).toMatch(/Dr Bob Brown opened a package you sent/); // in words, not "taken in: 1; refused: 0"
  expect(aliceInbox.stdout).not.toMatch(/refused/);
  const listed = ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1']));
  expect(listed.packages[0].recipients).toMatchObject([{ name: 'Dr Bob Brown', status: 'opened' }]);
  // both signed audit logs tell the story
  const actions = (who: string) =>
    medseal(who, ['audit', 'export', '--format', 'jsonl'])
      .stdout.trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { action: string }).action);
  expect(actions('alice')).toEqual(expect.arrayContaining(['package.sealed', 'package.delivered', 'receipt.received']));
  expect(actions('bob')).toEqual(expect.arrayContaining(['package.opened', 'receipt.sent']));
  return { folder, sealed };
}

describe.skipIf(unavailable !== null)('delivery through an SFTP server', () => {
  let server: SshdServer;
  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => server?.dispose());

  it(
    'adding needs the host key confirmed; a wrong one is refused; then seal --deliver, inbox, open and the receipt come round',
    async () => {
      const unconfirmed = medseal('alice', ['exchange', 'add', server.url, '--key-file', server.clientKeyFile]);
      expect(unconfirmed.code).toBe(EXIT.usage);
      expect(unconfirmed.stderr).toContain(server.hostKeyFingerprint); // shown, to be compared with IT's
      const wrong = medseal('alice', [
        'exchange',
        'add',
        server.url,
        '--key-file',
        server.clientKeyFile,
        '--host-key',
        `SHA256:${'Q'.repeat(43)}`,
      ]);
      expect(wrong.code).toBe(EXIT.untrustedParty);
      // The key just typed is not "the one confirmed when it was set up": both keys are shown.
      expect(wrong.stderr).toMatch(/presents the host key \S+, which does not match the key you gave/);
      expect(wrong.stderr).toContain(server.hostKeyFingerprint);
      expect(wrong.stderr).toContain(`SHA256:${'Q'.repeat(43)}`);
      expect(wrong.stderr).not.toMatch(/confirmed when it was set up/);
      for (const who of ['alice', 'bob'])
        ok(
          medseal(who, [
            'exchange',
            'add',
            server.url,
            '--key-file',
            server.clientKeyFile,
            '--host-key',
            server.hostKeyFingerprint,
            '--name',
            'partner-sftp',
          ]),
        );
      expect(ok(medseal('alice', ['--json', 'exchange', 'list'])).exchanges).toMatchObject([
        { name: 'partner-sftp', kind: 'sftp', hostKey: server.hostKeyFingerprint, managed: false },
      ]);

      const { folder } = await roundTrip(join(work, 'referral.txt'));
      expect(await readFile(join(folder, 'referral.txt'), 'utf8')).toBe('synthetic referral letter');

      // 100 MiB, timed for the record (seal + upload, then download + open)
      await writeFile(join(work, 'scan.bin'), Buffer.alloc(100 * 1024 * 1024, 9));
      const started = Date.now();
      const big = await roundTrip(join(work, 'scan.bin'));
      console.log(
        `100 MiB round trip over local SFTP (seal+deliver, inbox, open+receipt, receipt in): ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect((await readFile(join(big.folder, 'scan.bin'))).length).toBe(100 * 1024 * 1024);
    },
    scaled(240_000),
  );

  it(
    'a server that is down: seal --deliver queues the package with one message, packages list says "queued, next try", exchange retry and watch deliver it once the server is back',
    async () => {
      const queuedPackage = join(work, 'queued.medseal');
      const bobsInbox = () => (ok(medseal('bob', ['--json', 'inbox'])) as { packages: { id: string }[] }).packages;
      const waitingBefore = bobsInbox().length;
      await server.stop();
      try {
        const sealed = medseal('alice', [
          'seal',
          join(work, 'referral.txt'),
          '--to',
          'bob@lab.example',
          '-o',
          queuedPackage,
          '--deliver',
        ]);
        expect(sealed.code, sealed.stderr).toBe(EXIT.ok); // queued is no failure: it will be tried again
        expect(sealed.stderr).toMatch(
          new RegExp(
            String.raw`Not delivered to Dr Bob Brown, Partner Lab <bob@lab\.example> yet: partner-sftp could not be reached\. The package is queued and will be tried again automatically \(next try ${NEXT_TRY}\)`,
          ),
        );
        // One outcome: never "will be tried again" beside "send the saved package another way".
        expect(sealed.stderr).not.toMatch(/Send the saved package another way|not delivered to Dr Bob Brown:/);
        expect(sealed.stderr.match(/will be tried again/g)).toHaveLength(1);

        const listed = ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1']));
        expect(listed.packages[0].recipients).toMatchObject([
          {
            name: 'Dr Bob Brown',
            status: 'queued',
            nextTryAt: expect.stringMatching(/^\d{4}-/),
            detail: 'TRANSPORT_UNREACHABLE',
          },
        ]);
        expect(medseal('alice', ['packages', 'list', '--limit', '1']).stdout).toMatch(
          new RegExp(String.raw`\n {4}Dr Bob Brown: queued, next try ${NEXT_TRY}\n`),
        );

        const still = medseal('alice', ['exchange', 'retry']);
        expect(still.code).toBe(EXIT.io);
        expect(still.stdout).toMatch(/Tried 1 queued delivery: 0 delivered, 1 still queued, 0 not reached\./);
        expect(still.stderr).toMatch(
          new RegExp(
            String.raw`1 delivery is still queued: the exchange could not be reached\. It will be tried again automatically \(next try ${NEXT_TRY}\)`,
          ),
        );
        expect(still.stderr).not.toMatch(/Send the saved package another way/);
      } finally {
        await server.start();
      }
      await rm(queuedPackage); // the saved copy is gone: the queue delivers its own

      const retried = ok(medseal('alice', ['--json', 'exchange', 'retry']));
      expect(retried.delivered).toMatchObject([{ exchange: 'partner-sftp', kind: 'sftp' }]);
      expect(retried.queued).toEqual([]);
      expect(ok(medseal('alice', ['exchange', 'retry']))).toMatch(/Nothing waits in the delivery queue\./);
      expect(bobsInbox()).toHaveLength(waitingBefore + 1); // delivered once
      const [listedAfter] = ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1'])).packages;
      expect(listedAfter.recipients).toMatchObject([{ status: 'delivered', detail: 'partner-sftp', nextTryAt: null }]);

      // `medseal watch` works through the queue too: all of it when it starts.
      await server.stop();
      try {
        expect(
          medseal('alice', [
            'seal',
            join(work, 'referral.txt'),
            '--to',
            'bob@lab.example',
            '-o',
            join(work, 'queued-2.medseal'),
            '--deliver',
          ]).code,
        ).toBe(EXIT.ok);
      } finally {
        await server.start();
      }
      const outbox = join(work, 'sftp-outbox');
      await mkdir(outbox, { mode: 0o700 });
      const { outcomes, until, stop } = watch(outbox);
      try {
        await until(() => outcomes().length >= 1, 'the queued package being delivered by watch');
        expect(outcomes()).toEqual([
          {
            ok: true,
            retried: true,
            file: '',
            to: 'bob@lab.example',
            packageId: expect.stringMatching(/^[0-9a-f]{16}$/),
            delivered: 1,
          },
        ]);
      } finally {
        await stop();
      }
      expect(bobsInbox()).toHaveLength(waitingBefore + 2);

      // Once delivered from the queue, the status goes on as for any delivery: Bob opens it, Alice sees "opened".
      for (const entry of bobsInbox())
        ok(medseal('bob', ['inbox', 'open', entry.id, '-o', join(work, `bob-queued-${entry.id}`)]));
      ok(medseal('alice', ['inbox']));
      const opened = ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '2'])).packages;
      expect(opened.map((entry: { recipients: { status: string }[] }) => entry.recipients[0]!.status)).toEqual([
        'opened',
        'opened',
      ]);
    },
    scaled(120_000),
  );

  it(
    'a changed host key at delivery is the error it is (possible interception): exit 6, the next step, nothing queued',
    async () => {
      await server.stop();
      await server.newHostKey();
      await server.start();
      const result = medseal('alice', [
        'seal',
        join(work, 'referral.txt'),
        '--to',
        'bob@lab.example',
        '-o',
        join(work, 'changed.medseal'),
        '--deliver',
      ]);
      expect(result.code).toBe(EXIT.untrustedParty);
      expect(result.stderr).toMatch(
        /medseal: error: The server 127\.0\.0\.1:\d+ presented a different host key \(SHA256:\S+\) from the one confirmed when it was set up \(SHA256:\S+\)\. Someone may be intercepting the connection/,
      );
      expect(result.stderr).toMatch(/compare it with IT or your partner/);
      expect(result.stderr).toContain(server.hostKeyFingerprint);
      expect(result.stderr).not.toMatch(/ask them to add the same exchange|will be tried again|queued and/);
      expect(existsSync(join(work, 'changed.medseal'))).toBe(true); // sealed and saved
      const [changed] = ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1'])).packages;
      expect(changed.recipients).toMatchObject([{ status: 'sealed', nextTryAt: null }]); // never queued as "down"
      ok(medseal('alice', ['exchange', 'remove', 'partner-sftp']));
      ok(medseal('bob', ['exchange', 'remove', 'partner-sftp']));
    },
    scaled(60_000),
  );
});

describe('delivery through a shared folder', () => {
  it(
    'the same round trip; a recipient with no inbox there is named as not reached',
    async () => {
      const share = join(work, 'share');
      await mkdir(share);
      ok(medseal('alice', ['exchange', 'add', share]));
      const alone = medseal('alice', [
        'seal',
        join(work, 'referral.txt'),
        '--to',
        'bob@lab.example',
        '-o',
        join(work, 'alone.medseal'),
        '--deliver',
      ]);
      expect(alone.code).toBe(EXIT.io);
      expect(alone.stderr).toMatch(/not delivered to Dr Bob Brown, Partner Lab/);
      ok(medseal('bob', ['exchange', 'add', share]));
      await roundTrip(join(work, 'referral.txt'));
      const inboxes = await readdir(join(share, 'inboxes'));
      expect(inboxes).toHaveLength(2);
    },
    scaled(120_000),
  );

  it(
    'seal --batch --deliver delivers each package as the hot folder does, and names an unverified contact by name',
    async () => {
      const batch = join(work, 'batch');
      await mkdir(batch);
      await writeFile(join(batch, 'a.txt'), 'synthetic lab result A');
      const bobFingerprint = (ok(medseal('bob', ['--json', 'identity', 'show'])) as { fingerprint: string })
        .fingerprint;
      const inboxBefore = (await readdir(join(work, 'share', 'inboxes', bobFingerprint))).length;
      await writeFile(
        join(batch, 'manifest.jsonl'),
        `${JSON.stringify({ files: ['a.txt'], to: ['bob@lab.example'], output: 'a.medseal' })}\n`,
      );
      const result = medseal('alice', ['seal', '--batch', join(batch, 'manifest.jsonl'), '--deliver']);
      expect(result.code, result.stderr).toBe(EXIT.ok);
      const [line] = result.stdout
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text));
      expect(line).toMatchObject({
        line: 1,
        ok: true,
        output: 'a.medseal',
        delivery: { delivered: [{ recipient: bobFingerprint, exchange: join(work, 'share') }], queued: [] },
      });
      expect(line.warnings).toContain('Dr Bob Brown (Partner Lab) is not verified yet.'); // by name, not "recipient 1"
      expect(existsSync(join(batch, 'a.medseal'))).toBe(true);
      expect((await readdir(join(work, 'share', 'inboxes', bobFingerprint))).length).toBe(inboxBefore + 1);
    },
    scaled(60_000),
  );

  it(
    'watch: a slowly written scan is taken only when complete, an unknown recipient goes to failed/ with the reason, and a restart finishes what was claimed without sealing twice',
    async () => {
      aliceVerifiesBob();
      const outbox = join(work, 'outbox');
      const toBob = join(outbox, 'bob@lab.example');
      await mkdir(toBob, { recursive: true });
      await mkdir(join(outbox, 'nobody@nowhere.example'));
      const today = new Date().toISOString().slice(0, 10);
      const sealedBefore = (ok(medseal('alice', ['--json', 'packages', 'list'])) as { packages: unknown[] }).packages
        .length;

      // A run cut short after sealing (the package is complete) and one cut short right after claiming.
      const claimSealed = join(outbox, '.medseal-work', '1-aaaaaaaaaaaa');
      const claimNot = join(outbox, '.medseal-work', '2-bbbbbbbbbbbb');
      for (const [claim, name] of [
        [claimSealed, 'lab-a.pdf'],
        [claimNot, 'lab-b.pdf'],
      ] as const) {
        await mkdir(claim, { recursive: true });
        await writeFile(join(claim, 'recipient'), 'bob@lab.example');
        await writeFile(join(claim, name), `synthetic ${name}`);
      }
      ok(
        medseal('alice', [
          'seal',
          join(claimSealed, 'lab-a.pdf'),
          '--to',
          'bob@lab.example',
          '-o',
          join(claimSealed, 'package.medseal'),
        ]),
      );
      const preSealed = await readFile(join(claimSealed, 'package.medseal'));

      const { outcomes, until, stop } = watch(outbox);
      try {
        await until(() => outcomes().length >= 2, 'the recovery of two claims');
        expect(outcomes().map((outcome) => [outcome.file, outcome.ok])).toEqual([
          ['lab-a.pdf', true],
          ['lab-b.pdf', true],
        ]);
        const sent = join(outbox, 'sent', today);
        const idA = outcomes()[0]!.packageId!;
        expect(await readFile(join(sent, `${idA}.medseal`))).toEqual(preSealed); // delivered as sealed before, not sealed again
        expect(await readFile(join(sent, `${idA}-lab-a.pdf`), 'utf8')).toBe('synthetic lab-a.pdf');
        expect(await readdir(join(outbox, '.medseal-work'))).toEqual([]);

        // A scanner writing slowly: pauses shorter than --settle-ms, nothing taken before the end.
        const scan = join(toBob, 'scan-1.pdf');
        for (let piece = 0; piece < 5; piece++) {
          await writeFile(scan, `page ${piece}\n`, { flag: 'a' });
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(outcomes()).toHaveLength(2);
        }
        await until(() => outcomes().length >= 3, 'the scan being sealed');
        expect(outcomes()[2]).toMatchObject({ ok: true, file: 'scan-1.pdf' });

        await writeFile(join(outbox, 'nobody@nowhere.example', 'stray.pdf'), 'synthetic');
        await until(() => outcomes().length >= 4, 'the stray file being refused');
        expect(outcomes()[3]).toMatchObject({ ok: false, file: 'stray.pdf', code: 'CONTACT_NOT_FOUND' });
        expect(await readFile(join(outbox, 'failed', today, 'stray.pdf.reason.txt'), 'utf8')).toMatch(
          /^CONTACT_NOT_FOUND: No contact matches/,
        );

        // Someone who may write the outbox links in a file only the watcher's account can read: never sealed.
        await writeFile(join(work, 'private-record.pdf'), 'synthetic private record');
        await symlink(join(work, 'private-record.pdf'), join(toBob, 'linked.pdf'));
        await until(() => outcomes().length >= 5, 'the link being refused');
        expect(outcomes()[4]).toMatchObject({ ok: false, file: 'linked.pdf', code: 'NOT_A_REGULAR_FILE' });
        expect(await readFile(join(work, 'private-record.pdf'), 'utf8')).toBe('synthetic private record');

        // Dropped into the outbox itself, in no contact's folder: told and moved to failed/, never ignored.
        await writeFile(join(outbox, 'loose.pdf'), 'synthetic loose scan');
        await until(() => outcomes().length >= 6, 'the loose file being refused');
        expect(outcomes()[5]).toMatchObject({ ok: false, file: 'loose.pdf', to: '', code: 'NOT_IN_CONTACT_FOLDER' });
        expect(await readFile(join(outbox, 'failed', today, 'loose.pdf'), 'utf8')).toBe('synthetic loose scan');
        expect(await readFile(join(outbox, 'failed', today, 'loose.pdf.reason.txt'), 'utf8')).toMatch(
          /^NOT_IN_CONTACT_FOLDER: .*Put it in a contact's folder/,
        );
        expect(existsSync(join(outbox, 'loose.pdf'))).toBe(false);
      } finally {
        await stop();
      }
      // Sealed: lab-a (by hand, before), lab-b and the scan; nothing twice.
      expect((ok(medseal('alice', ['--json', 'packages', 'list'])) as { packages: unknown[] }).packages).toHaveLength(
        sealedBefore + 3,
      );
      const waiting = ok(medseal('bob', ['--json', 'inbox'])) as { packages: { sender: { name: string } }[] };
      expect(waiting.packages.filter((entry) => entry.sender.name === 'Dr Alice Adams').length).toBeGreaterThanOrEqual(
        3,
      );
    },
    scaled(120_000),
  );

  it.skipIf(noTinyDisk !== null)(
    'watch with a full outbox disk: the file goes to failed/ whole, nothing half-written stays, and the next file is sent',
    async () => {
      aliceVerifiesBob();
      const outbox = join(work, 'full-outbox');
      const unmount = mountTinyDisk(outbox, 1024);
      const { outcomes, until, stop } = watch(outbox);
      try {
        await mkdir(join(outbox, 'bob@lab.example'));
        const today = new Date().toISOString().slice(0, 10);
        // 700 KiB fits on the 1 MiB disk; its package (700 KiB more) does not.
        const big = Buffer.alloc(700 * 1024, 0x42);
        await writeFile(join(outbox, 'bob@lab.example', 'big-scan.pdf'), big);
        await until(() => outcomes().length >= 1, 'the big scan being refused');
        expect(outcomes()[0]).toMatchObject({
          ok: false,
          file: 'big-scan.pdf',
          code: 'IO_ERROR',
          message: expect.stringContaining('the disk is full'),
        });
        expect((await readFile(join(outbox, 'failed', today, 'big-scan.pdf'))).equals(big)).toBe(true); // nothing lost
        expect(await readFile(join(outbox, 'failed', today, 'big-scan.pdf.reason.txt'), 'utf8')).toMatch(
          /^IO_ERROR: .*the disk is full/,
        );
        expect(await readdir(join(outbox, '.medseal-work'))).toEqual([]); // no half-written package left taking the space

        await writeFile(join(outbox, 'bob@lab.example', 'small-note.pdf'), 'synthetic small note');
        await until(() => outcomes().length >= 2, 'the small file being sent');
        expect(outcomes()[1]).toMatchObject({ ok: true, file: 'small-note.pdf' });
        const sent = await readdir(join(outbox, 'sent', today));
        expect(sent.sort()).toEqual([
          `${outcomes()[1]!.packageId!}-small-note.pdf`,
          `${outcomes()[1]!.packageId!}.medseal`,
        ]);
      } finally {
        await stop();
        unmount();
      }
    },
    scaled(120_000),
  );

  it.skipIf(process.platform === 'win32')(
    'watch refuses an outbox other accounts could change (they could swap a contact folder for a link to private records)',
    async () => {
      const open = join(work, 'open-outbox');
      await mkdir(join(open, 'bob@lab.example'), { recursive: true });
      await chmod(open, 0o777);
      const refused = medseal('alice', ['watch', '--outbox', open]);
      expect(refused.code).toBe(EXIT.invalidInput);
      expect(refused.stderr).toMatch(/The outbox folder can be changed by other accounts/);
      await chmod(open, 0o755);
      await chmod(join(open, 'bob@lab.example'), 0o777);
      expect(medseal('alice', ['watch', '--outbox', open]).stderr).toMatch(
        /The outbox's folder "bob@lab.example" can be changed by other accounts/,
      );
      await chmod(join(open, 'bob@lab.example'), 0o755);
      await symlink(join(work, 'alice'), join(open, 'carol@lab.example'));
      expect(medseal('alice', ['watch', '--outbox', open]).stderr).toMatch(
        /The outbox's folder "carol@lab.example" is a symbolic link/,
      );
    },
  );

  it(
    'a receipt handed back as a file: open --receipt-out, then receipts import; importing it again changes nothing',
    async () => {
      const pkg = join(work, 'by-mail.medseal');
      ok(medseal('alice', ['seal', join(work, 'referral.txt'), '--to', 'bob@lab.example', '-o', pkg]));
      const receipt = join(work, 'by-mail.medseal-receipt');
      // A name already taken in the folder is Bob's own problem: no refusal is written for Alice.
      await mkdir(join(work, 'mail-taken'), { recursive: true });
      await writeFile(join(work, 'mail-taken', 'referral.txt'), 'already here');
      const taken = medseal('bob', ['open', pkg, '-o', join(work, 'mail-taken'), '--receipt-out', receipt]);
      expect(taken.code).toBe(EXIT.conflict);
      expect(existsSync(receipt)).toBe(false);
      ok(medseal('bob', ['open', pkg, '-o', join(work, 'mail-files'), '--receipt-out', receipt]));
      expect(ok(medseal('alice', ['--json', 'receipts', 'import', receipt])).receipt).toMatchObject({
        outcome: 'opened',
        reason: null,
      });
      const again = medseal('alice', ['receipts', 'import', receipt]);
      expect(again.code).toBe(0); // the same answer twice is no attack: it changes nothing
      expect(again.stdout).toMatch(/taken in before; nothing changed/);
      const cut = join(work, 'cut.medseal-receipt');
      await writeFile(cut, (await readFile(receipt)).subarray(0, 100));
      const truncated = medseal('alice', ['receipts', 'import', cut]);
      expect(truncated.code).toBe(EXIT.damagedPackage);
      expect(truncated.stderr).toMatch(/not accepted/);
    },
    scaled(60_000),
  );
});
