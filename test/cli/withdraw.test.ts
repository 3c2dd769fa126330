/**
 * `medseal packages withdraw` with the built CLI, between two clinicians on
 * a real SFTP server (sshd on 127.0.0.1): a package Bob's inbox listed is
 * taken back, the history says withdrawn, and both signed audit logs
 * record it; one Bob opened cannot be taken back (exit 8); an unknown
 * number is a usage error; a server that is down is named (exit 7).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { scaled } from '../helpers/time.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
const PASS = 'correct horse battery staple';
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`CLI withdraw tests skipped: ${unavailable}`);

let work: string;

function medseal(home: string, args: string[]) {
  const result = spawnSync(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(result: { code: number | null; stdout: string; stderr: string }) {
  expect(result.code, result.stderr).toBe(EXIT.ok);
  return result.stdout.trim().startsWith('{') ? JSON.parse(result.stdout) : result.stdout;
}

const auditActions = (who: string) =>
  medseal(who, ['audit', 'export', '--format', 'jsonl'])
    .stdout.trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { action: string; detail: string | null });

describe.skipIf(unavailable !== null)('medseal packages withdraw (real sshd)', () => {
  let server: SshdServer;
  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error('dist/cli/medseal.cjs is missing: run "npm run build" first (npm test does).');
    work = await mkdtemp(join(tmpdir(), 'medseal-withdraw-cli-'));
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
    server = await startSshd();
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
  }, scaled(120_000));
  afterAll(async () => {
    await server?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Alice seals and delivers to Bob; the package's number (#) in her history. */
  function sendToBob(name: string): number {
    const sealed = ok(
      medseal('alice', [
        '--json',
        'seal',
        join(work, 'referral.txt'),
        '--to',
        'bob@lab.example',
        '-o',
        join(work, `${name}.medseal`),
        '--deliver',
      ]),
    );
    expect(sealed.delivery.delivered).toHaveLength(1);
    const listed = ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1']));
    expect(listed.packages[0].packageHash).toBe(sealed.packageHash);
    return listed.packages[0].id as number;
  }

  it(
    'a package Bob has seen is taken back: his inbox no longer has it, the history says withdrawn, both audit logs say so',
    async () => {
      const id = sendToBob('first');
      expect(ok(medseal('bob', ['--json', 'inbox'])).packages).toHaveLength(1); // Bob has seen it
      expect(medseal('alice', ['packages', 'list', '--limit', '1']).stdout).toMatch(new RegExp(`^#${id} `)); // the number to give

      const started = performance.now();
      const withdrawn = medseal('alice', ['packages', 'withdraw', String(id)]);
      console.log(
        `packages withdraw over local SFTP (a whole CLI run: start, unlock, connect, withdraw, notice): ${((performance.now() - started) / 1000).toFixed(2)} s`,
      );
      expect(withdrawn.code, withdrawn.stderr).toBe(EXIT.ok);
      expect(withdrawn.stdout).toContain(
        'Dr Bob Brown: withdrawn — it no longer waits in their inbox. Their MedSeal is told.',
      );
      expect(withdrawn.stdout).toContain('A package that was already downloaded or opened cannot be taken back');
      expect(ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1'])).packages[0].recipients).toMatchObject(
        [{ name: 'Dr Bob Brown', status: 'withdrawn', detail: 'partner-sftp' }],
      );
      expect(auditActions('alice').filter((entry) => entry.action === 'package.withdrawn')).toHaveLength(1);

      const bobInbox = ok(medseal('bob', ['--json', 'inbox']));
      expect(bobInbox.packages).toEqual([]);
      expect(auditActions('bob').filter((entry) => entry.action === 'package.withdrawn-by-sender')).toEqual([
        expect.objectContaining({ detail: 'not-opened' }),
      ]);

      const again = ok(medseal('alice', ['--json', 'packages', 'withdraw', `#${id}`]));
      expect(again.recipients).toMatchObject([{ name: 'Dr Bob Brown', outcome: 'not-found' }]);
    },
    scaled(120_000),
  );

  it(
    'a package Bob already opened cannot be taken back: exit 8, it stays opened, nothing is removed',
    async () => {
      const id = sendToBob('second');
      const [waiting] = ok(medseal('bob', ['--json', 'inbox'])).packages;
      ok(medseal('bob', ['--json', 'inbox', 'open', waiting.id, '-o', join(work, 'bob-opened')]));
      const refused = medseal('alice', ['--json', 'packages', 'withdraw', String(id)]);
      expect(refused.code).toBe(EXIT.conflict);
      expect(JSON.parse(refused.stdout).recipients).toMatchObject([{ name: 'Dr Bob Brown', outcome: 'picked-up' }]);
      expect(refused.stderr).toMatch(/ALREADY_PICKED_UP|cannot be taken back/);
      ok(medseal('alice', ['inbox'])); // the receipt comes in
      expect(ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1'])).packages[0].recipients).toMatchObject(
        [{ status: 'opened' }],
      );
    },
    scaled(120_000),
  );

  it('a number that is not a package sent from here is a usage error', () => {
    const unknown = medseal('alice', ['packages', 'withdraw', '9999']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/No package you sent has that number/);
    expect(medseal('alice', ['packages', 'withdraw', 'abc']).code).toBe(EXIT.usage);
  });

  it(
    'with the server down the exchange is named and the package may still be there: exit 7',
    async () => {
      const id = sendToBob('third');
      await server.stop();
      try {
        const down = medseal('alice', ['packages', 'withdraw', String(id)]);
        expect(down.code).toBe(EXIT.io);
        expect(down.stderr).toMatch(/could not be taken back from partner-sftp/);
        expect(
          ok(medseal('alice', ['--json', 'packages', 'list', '--limit', '1'])).packages[0].recipients,
        ).toMatchObject([{ status: 'delivered' }]);
      } finally {
        await server.start();
      }
      ok(medseal('alice', ['packages', 'withdraw', String(id)])); // once it is back, the withdrawal completes
    },
    scaled(120_000),
  );
});
