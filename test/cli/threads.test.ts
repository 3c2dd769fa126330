/**
 * Referral threads with the built CLI: `seal --subject --reply-to` (a
 * package's number or the start of its id; an unknown or ambiguous one
 * refused with exit 2, a bad subject with exit 2 before anything is
 * sealed), `open` printing the subject and what it answers, `packages list
 * --thread` (newest first, with states; --json too) and `--search` by
 * subject. Two profiles, packages handed over as files.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { assertCliBuilt, runCliJson, okJson, type CliResult } from '../helpers/built-cli.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { spawnSync } from 'node:child_process';
import { BUILT_CLI } from '../helpers/built-cli.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
const ENV = { MEDSEAL_PASSPHRASE: PASS };
let work: string;

const json = (home: string, args: string[]) => runCliJson(work, home, args, ENV);
function text(home: string, args: string[]): CliResult {
  const result = spawnSync(...underTestPolicy([BUILT_CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, ...ENV },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const errorOf = (result: CliResult) =>
  JSON.parse(result.stderr.trim().split('\n').pop()!) as { error: { code: string; message: string } };

beforeAll(async () => {
  assertCliBuilt();
  work = await mkdtemp(join(tmpdir(), 'medseal-threads-cli-'));
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
  await writeFile(join(work, 'echo.txt'), 'synthetic echo report');
}, scaled(60_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('medseal threads', () => {
  it(
    'a referral with a subject, a reply to it, and the thread listed on both sides',
    async () => {
      const referral = okJson(
        json('alice', [
          'seal',
          'referral.txt',
          '--to',
          'bob@lab.example',
          '-o',
          'referral.medseal',
          '--subject',
          'Cardiology referral — echo report',
        ]),
      );
      expect(referral).toMatchObject({ subject: 'Cardiology referral — echo report', replyTo: null });

      const opened = text('bob', ['open', 'referral.medseal', '-o', 'from-alice']);
      expect(opened.code, opened.stderr).toBe(EXIT.ok);
      expect(opened.stdout).toContain('Subject: Cardiology referral — echo report');
      const bobsList = okJson(json('bob', ['packages', 'list'])) as {
        packages: { id: number; packageHash: string; subject: string }[];
      };
      const received = bobsList.packages[0]!;
      expect(received).toMatchObject({
        subject: 'Cardiology referral — echo report',
        packageHash: referral.packageHash,
      });

      // Bob answers it by its number; the line says what it answers.
      const reply = text('bob', [
        'seal',
        'echo.txt',
        '--to',
        'alice@general.example',
        '-o',
        'reply.medseal',
        '--reply-to',
        `#${received.id}`,
        '--subject',
        'Re: Cardiology referral — echo report',
      ]);
      expect(reply.code, reply.stderr).toBe(EXIT.ok);
      expect(reply.stdout).toContain(`In reply to #${received.id} (medseal packages list --thread ${received.id})`);

      // Alice opens it: it says which of her packages it answers.
      const aliceOpens = okJson(json('alice', ['open', 'reply.medseal', '-o', 'from-bob']));
      expect(aliceOpens).toMatchObject({
        subject: 'Re: Cardiology referral — echo report',
        replyTo: referral.packageHash,
      });
      const aliceText = text('alice', ['packages', 'list', '--thread', String(referral.packageHash).slice(0, 8)]);
      expect(aliceText.code, aliceText.stderr).toBe(EXIT.ok);
      const lines = aliceText.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^Thread of #\d+, 2 package\(s\), newest first:$/);
      expect(lines[1]).toMatch(
        /^#\d+ .* from Dr Bob Brown {2}"Re: Cardiology referral — echo report" .*\[received\] {2}answers #\d+$/,
      );
      expect(lines[2]).toMatch(
        /^#\d+ .* sent to Dr Bob Brown {2}"Cardiology referral — echo report" .*\[sent, not delivered yet\]$/,
      );
      expect(lines[3]).toMatch(/^ {4}Dr Bob Brown: sealed$/);

      const thread = okJson(json('alice', ['packages', 'list', '--thread', String(referral.packageHash)])) as {
        thread: {
          rootId: number;
          packages: { id: number; direction: string; state: string; answers: number | null; subject: string }[];
        };
      };
      expect(thread.thread.packages.map((entry) => [entry.direction, entry.state, entry.subject])).toEqual([
        ['received', 'received', 'Re: Cardiology referral — echo report'],
        ['sent', 'sent', 'Cardiology referral — echo report'],
      ]);
      expect(thread.thread.packages[0]!.answers).toBe(thread.thread.rootId);

      // Bob's side: the same thread, from his reply's number; and the plain list marks both.
      const bobsThread = okJson(json('bob', ['packages', 'list', '--thread', `#${received.id}`])) as {
        thread: { packages: { direction: string }[] };
      };
      expect(bobsThread.thread.packages.map((entry) => entry.direction)).toEqual(['sent', 'received']);
      expect(text('bob', ['packages', 'list']).stdout).toContain(
        `(thread of #${received.id}, 2 packages: --thread ${received.id})`,
      );

      // Search finds both by the subject.
      const found = okJson(json('alice', ['packages', 'list', '--search', 'echo REPORT'])) as { packages: unknown[] };
      expect(found.packages).toHaveLength(2);
    },
    scaled(120_000),
  );

  it('refuses an unknown package to answer, and a bad subject, with exit 2 and nothing sealed', () => {
    for (const [args, code] of [
      [['--reply-to', '#9999'], 'UNKNOWN_PACKAGE'],
      [['--reply-to', '0123abcd'], 'UNKNOWN_PACKAGE'],
      [['--reply-to', 'abc'], 'UNKNOWN_PACKAGE'],
      [['--subject', 'x'.repeat(201)], 'INVALID_PACKAGE_REQUEST'],
      [['--subject', 'Re: one\ntwo'], 'INVALID_PACKAGE_REQUEST'],
    ] as const) {
      const result = json('alice', [
        'seal',
        'referral.txt',
        '--to',
        'bob@lab.example',
        '-o',
        'refused.medseal',
        ...args,
      ]);
      expect(result.code, result.stderr).toBe(EXIT.usage);
      expect(errorOf(result).error.code).toBe(code);
      expect(existsSync(join(work, 'refused.medseal'))).toBe(false);
    }
    const thread = json('alice', ['packages', 'list', '--thread', '#9999']);
    expect([thread.code, errorOf(thread).error.code]).toEqual([EXIT.usage, 'UNKNOWN_PACKAGE']);
    const both = json('alice', ['packages', 'list', '--thread', '#1', '--search', 'x']);
    expect(both.code).toBe(EXIT.usage);
    const batch = json('alice', ['seal', '--batch', 'manifest.jsonl', '--subject', 'x']);
    expect(batch.code).toBe(EXIT.usage);
  });
});
