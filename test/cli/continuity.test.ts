/**
 * Identity continuity with the built CLI, as a clinician and IT would do it:
 * a recovery kit, a forgotten passphrase, then a backup carried to a fresh
 * workstation and restored; a package sealed before both still opens, and
 * every step is in the audit log that verifies across the move.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { assertCliBuilt, okJson, runCliJson } from '../helpers/built-cli.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
const NEW = 'violet harbour seven lanterns';
let work: string;

const medseal = (home: string, args: string[], env: Record<string, string> = {}) =>
  runCliJson(work, home, args, { MEDSEAL_PASSPHRASE: PASS, ...env });
const ok = okJson;

beforeAll(async () => {
  assertCliBuilt();
  work = await mkdtemp(join(tmpdir(), 'medseal-continuity-'));
  await createFastProfiles(work, PASS, [
    { home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example' },
    { home: 'bob', name: 'Dr Bob Brown', email: 'bob@lab.example' },
  ]);
  ok(medseal('alice', ['identity', 'export-card', '-o', join(work, 'alice.card')]));
  ok(medseal('bob', ['contacts', 'import', join(work, 'alice.card')]));
  ok(medseal('bob', ['identity', 'export-card', '-o', join(work, 'bob.card')]));
  ok(medseal('alice', ['contacts', 'import', join(work, 'bob.card')]));
  await writeFile(join(work, 'referral.txt'), 'synthetic referral letter');
  ok(
    medseal('bob', [
      'seal',
      join(work, 'referral.txt'),
      '--to',
      'alice@general.example',
      '-o',
      join(work, 'old.medseal'),
    ]),
  );
}, scaled(120_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('identity continuity with the CLI', () => {
  it('recovery kit → forgotten passphrase → recover → the old package opens; the old passphrase no longer does', async () => {
    const made = ok(
      medseal('alice', [
        'identity',
        'recovery-kit',
        '-o',
        join(work, 'kit.html'),
        '--code-out',
        join(work, 'code.txt'),
      ]),
    );
    expect(made.created).toBe(true);
    expect((await stat(join(work, 'kit.html'))).mode & 0o077).toBe(0); // holds the code: this account only
    const words = (await readFile(join(work, 'code.txt'), 'utf8')).trim().split(' ');
    expect(words).toHaveLength(24);
    expect(await readFile(join(work, 'kit.html'), 'utf8')).toContain(`24. ${words[23]}`);

    await writeFile(join(work, 'wrong-code.txt'), [...words.slice(0, 23), 'zzzz'].join(' '));
    const wrong = medseal('alice', ['identity', 'recover', '--code-file', join(work, 'wrong-code.txt')], {
      MEDSEAL_NEW_PASSPHRASE: NEW,
    });
    expect(wrong.code).toBe(EXIT.invalidInput);
    expect(wrong.stderr).toMatch(/not a valid recovery code/);
    ok(
      medseal('alice', ['identity', 'recover', '--code-file', join(work, 'code.txt')], {
        MEDSEAL_PASSPHRASE: '',
        MEDSEAL_NEW_PASSPHRASE: NEW,
      }),
    );
    expect(medseal('alice', ['identity', 'show']).code).toBe(EXIT.ok);
    expect(medseal('alice', ['open', join(work, 'old.medseal'), '-o', join(work, 'opened-1')]).code).toBe(
      EXIT.wrongPassphrase,
    );
    ok(
      medseal('alice', ['open', join(work, 'old.medseal'), '-o', join(work, 'opened-1')], { MEDSEAL_PASSPHRASE: NEW }),
    );
    expect(await readFile(join(work, 'opened-1', 'referral.txt'), 'utf8')).toBe('synthetic referral letter');
  });

  it('backup → restore on a fresh home with the recovery code → the old package opens and the audit log verifies', async () => {
    const backup = join(work, 'alice.medseal-backup');
    ok(medseal('alice', ['identity', 'backup', '-o', backup], { MEDSEAL_PASSPHRASE: NEW }));
    const restored = ok(
      medseal('alice-new-pc', ['identity', 'restore', backup, '--recovery-code-file', join(work, 'code.txt')], {
        MEDSEAL_PASSPHRASE: '',
        MEDSEAL_NEW_PASSPHRASE: PASS,
      }),
    );
    expect(restored).toMatchObject({ restored: true, auditVerified: true });
    const again = medseal('alice-new-pc', ['identity', 'restore', backup]);
    expect(again.code).toBe(EXIT.conflict);
    ok(medseal('alice-new-pc', ['open', join(work, 'old.medseal'), '-o', join(work, 'opened-2'), '--again'])); // opened on the old workstation: the restored history knows it
    expect(await readFile(join(work, 'opened-2', 'referral.txt'), 'utf8')).toBe('synthetic referral letter');
    const contacts = ok(medseal('alice-new-pc', ['contacts', 'list'])) as { contacts: { email: string }[] };
    expect(contacts.contacts.map((contact) => contact.email)).toEqual(['bob@lab.example']);
    const log = medseal('alice-new-pc', ['audit', 'export', '--format', 'jsonl'], { MEDSEAL_PASSPHRASE: PASS });
    const actions = log.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { action: string }).action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'identity.created',
        'identity.recovery-kit-created',
        'identity.recovered',
        'identity.restored',
      ]),
    );
    // Every unlock is an access, and says which command made it.
    const unlocks = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; detail: string | null })
      .filter((entry) => entry.action === 'identity.unlocked')
      .map((entry) => entry.detail);
    expect(unlocks).toEqual(expect.arrayContaining(['cli:identity-recovery-kit', 'cli:identity-backup', 'cli:open']));
    expect(ok(medseal('alice-new-pc', ['audit', 'verify']))).toMatchObject({ ok: true });

    const drill = ok(medseal('alice', ['doctor', '--restore-drill', backup], { MEDSEAL_PASSPHRASE: NEW })) as {
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(drill.checks.find((check) => check.name === 'restore drill')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/keys unlock; audit chain verifies .*1 contact \(0 verified\)/),
    });
    const wrong = medseal('alice', ['doctor', '--restore-drill', backup], {
      MEDSEAL_PASSPHRASE: 'not the passphrase at all',
    });
    expect(wrong.code).toBe(EXIT.internal);
    expect(wrong.stdout).toMatch(/The passphrase is not correct/);
  });
});
