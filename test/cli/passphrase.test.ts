/**
 * Passphrase packages through the built CLI (docs/FORMAT.md §2.13, CLI.md):
 * one package sealed for a contact and a partner without MedSeal at once;
 * the contact opens it with their identity, a person without any profile
 * with the passphrase file; a wrong passphrase is refused with a typed
 * error and nothing written; --passphrase-out writes a new 0600 file and
 * never replaces one; the policy `passphrasePackages: forbidden` refuses
 * sealing. And the passphrase is nowhere it must not be: not in the
 * profiles (logs, database), the audit export, the history, or any error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../main/cli/medseal.js';
import { EXIT } from '../../main/cli/exit-codes.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { scaled } from '../helpers/time.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
const PASS = 'correct horse battery staple';
const SAM = 'Dr Sam Smith,Sam@Partner.example,+41 44 123 45 67';
const LETTER = 'Referral letter (synthetic test data, no real patient)\n';

let work: string;
/** Every passphrase MedSeal printed or wrote, to look for afterwards where none may be. */
const passphrases: string[] = [];

function medseal(home: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every byte of every file under `folder`, as text (for a search). */
async function everything(folder: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) parts.push((await readFile(join(entry.parentPath, entry.name))).toString('latin1'));
  return parts.join('\n');
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/medseal.cjs is missing: run "npm run build" first (npm test does).');
  work = await mkdtemp(join(tmpdir(), 'medseal-cli-passphrase-'));
  await loadSodium();
  for (const [home, name, email] of [
    ['alice', 'Dr Alice Adams', 'alice@general.example'],
    ['bob', 'Dr Bob Brown', 'bob@clinic.example'],
  ]) {
    const session = new ProfileSession(new ProfileFolder(join(work, home!)), PolicyGate.none(), KDF_FLOOR);
    await session.create({ name: name!, organisation: 'Test Org', email: email! }, PASS);
    session.close();
  }
  await writeFile(join(work, 'bob.medseal-contact'), medseal('bob', ['identity', 'export-card']).stdout);
  expect(medseal('alice', ['contacts', 'import', 'bob.medseal-contact']).code).toBe(0);
  await writeFile(join(work, 'letter.txt'), LETTER);
}, scaled(120_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a package for a contact and a partner without MedSeal at once', () => {
  it('is sealed with a generated passphrase, printed once with how to hand it over', () => {
    const sealed = medseal('alice', [
      'seal',
      'letter.txt',
      '--to',
      'bob@clinic.example',
      '--to-passphrase',
      SAM,
      '-o',
      'mixed.medseal',
    ]);
    expect(sealed.code).toBe(0);
    const words = /\n {4}([a-z]+(?: [a-z]+){5})\n/.exec(sealed.stdout)?.[1];
    expect(words).toBeDefined();
    passphrases.push(words!);
    expect(sealed.stdout).toContain('to Dr Sam Smith <sam@partner.example>, +41 44 123 45 67');
    expect(sealed.stdout).toContain(
      'read it to them on the phone or send it by text message — never in the same e-mail as the package'.replace(
        /^r/,
        'R',
      ),
    );
    expect(sealed.stdout.split(words!).length).toBe(2); // exactly once
    expect(sealed.stderr).not.toContain(words!);
    const inspected = JSON.parse(medseal('alice', ['--json', 'inspect', 'mixed.medseal']).stdout);
    expect(inspected).toMatchObject({
      formatVersion: 2,
      recipientCount: 1,
      passphrase: { opsLimit: 3, memLimitBytes: 268_435_456 },
    });
  });

  it('the contact opens it with their identity and sees whom else it is for', async () => {
    const opened = medseal('bob', ['--json', 'open', 'mixed.medseal', '-o', 'bob-out']);
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toMatchObject({
      passphraseRecipient: { name: 'Dr Sam Smith', email: 'sam@partner.example' },
    });
    expect(await readFile(join(work, 'bob-out', 'letter.txt'), 'utf8')).toBe(LETTER);
  });

  it('a person without any profile opens it with the passphrase file; the sender is shown, not verified', async () => {
    await writeFile(join(work, 'words.txt'), `${passphrases[0]!.toUpperCase()}\n`);
    const opened = medseal('nobody', ['open', 'mixed.medseal', '-o', 'sam-out', '--passphrase-file', 'words.txt'], {
      MEDSEAL_PASSPHRASE: '',
    });
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(
      'From: Dr Alice Adams, Test Org <alice@general.example> — as written in the package; not verified',
    );
    expect(await readFile(join(work, 'sam-out', 'letter.txt'), 'utf8')).toBe(LETTER);
    expect(existsSync(join(work, 'nobody'))).toBe(false); // no profile was made or needed
  });

  it('a wrong passphrase is refused with a typed error (exit 3), and nothing is written', async () => {
    const wrong = passphrases[0]!.split(' ').reverse().join(' ');
    await writeFile(join(work, 'wrong.txt'), wrong);
    const refused = medseal('nobody', [
      '--json',
      'open',
      'mixed.medseal',
      '-o',
      'wrong-out',
      '--passphrase-file',
      'wrong.txt',
    ]);
    expect(refused.code).toBe(EXIT.wrongPassphrase);
    expect(JSON.parse(refused.stderr.trim().split('\n').at(-1)!)).toMatchObject({
      error: { code: 'PACKAGE_PASSPHRASE_WRONG' },
    });
    expect(existsSync(join(work, 'wrong-out'))).toBe(false);
    for (const text of [refused.stdout, refused.stderr])
      for (const words of [...passphrases, wrong]) expect(text).not.toContain(words);
    // A package whose Argon2id parameters were lowered: refused before any derivation (exit 5), nothing written.
    const lowered = await readFile(join(work, 'mixed.medseal'));
    lowered.writeUInt32BE(2, 44 + 1168 + 16); // ops_limit of the passphrase stanza after one X-Wing stanza
    await writeFile(join(work, 'lowered.medseal'), lowered);
    const weak = medseal('nobody', [
      '--json',
      'open',
      'lowered.medseal',
      '-o',
      'weak-out',
      '--passphrase-file',
      'words.txt',
    ]);
    expect(weak.code).toBe(EXIT.damagedPackage);
    expect(JSON.parse(weak.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'PACKAGE_MALFORMED' } });
    expect(existsSync(join(work, 'weak-out'))).toBe(false);
    // A mistyped word is named by its position, before any key derivation.
    await writeFile(join(work, 'typo.txt'), passphrases[0]!.replace(/ \w+$/, ' zzzz'));
    const typo = medseal('nobody', ['open', 'mixed.medseal', '-o', 'typo-out', '--passphrase-file', 'typo.txt']);
    expect([typo.code, typo.stderr]).toEqual([EXIT.invalidInput, expect.stringContaining('Word 6 of the passphrase')]);
  });
});

describe('--passphrase-out', () => {
  it('writes the passphrase to a new 0600 file instead of printing it, and never over an existing file', async () => {
    const sealed = medseal('alice', [
      '--json',
      'seal',
      'letter.txt',
      '--to-passphrase',
      SAM,
      '--passphrase-out',
      'sam.txt',
      '-o',
      'only.medseal',
    ]);
    expect(sealed.code).toBe(0);
    const words = (await readFile(join(work, 'sam.txt'), 'utf8')).trim();
    passphrases.push(words);
    expect(words.split(' ')).toHaveLength(6);
    expect((await stat(join(work, 'sam.txt'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(sealed.stdout)).toMatchObject({ passphraseFile: 'sam.txt', recipientFingerprints: [] });
    expect(sealed.stdout + sealed.stderr).not.toContain(words);
    const again = medseal('alice', [
      'seal',
      'letter.txt',
      '--to-passphrase',
      SAM,
      '--passphrase-out',
      'sam.txt',
      '-o',
      'again.medseal',
    ]);
    expect(again.code).toBe(EXIT.conflict);
    expect(existsSync(join(work, 'again.medseal'))).toBe(false);
    expect((await readFile(join(work, 'sam.txt'), 'utf8')).trim()).toBe(words);
    const opened = medseal('nobody', ['open', 'only.medseal', '-o', 'only-out', '--passphrase-file', 'sam.txt']);
    expect(opened.code).toBe(0);
  });
});

describe('the policy passphrasePackages: forbidden', () => {
  it('refuses sealing (exit 6), and nothing is written', async () => {
    const written: string[] = [];
    vi.stubEnv('MEDSEAL_PASSPHRASE', PASS);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    let code: number;
    try {
      code = await runCli(
        [
          '--home',
          join(work, 'alice'),
          'seal',
          join(work, 'letter.txt'),
          '--to-passphrase',
          SAM,
          '-o',
          join(work, 'forbidden.medseal'),
        ],
        {
          loadPolicy: () =>
            Promise.resolve({
              state: 'ok',
              source: 'test policy',
              effective: { ...POLICY_DEFAULTS, passphrasePackages: 'forbidden' },
              managed: ['passphrasePackages'],
            }),
        },
      );
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
    expect(code).toBe(EXIT.untrustedParty);
    expect(written.join('')).toContain('does not allow packages with a passphrase');
    expect(existsSync(join(work, 'forbidden.medseal'))).toBe(false);
  });
});

describe('the passphrase is kept nowhere', () => {
  it('not in the history, the audit export (which names the partner), the profiles, their logs or databases', async () => {
    expect(passphrases).toHaveLength(2);
    const history = medseal('alice', ['--json', 'packages', 'list']);
    const listed = medseal('alice', ['packages', 'list']);
    const csv = medseal('alice', ['audit', 'export', '--format', 'csv']);
    const jsonl = medseal('alice', ['audit', 'export', '--format', 'jsonl']);
    expect(listed.stdout).toContain('passphrase package to Dr Sam Smith <sam@partner.example>, +41 44 123 45 67');
    expect(csv.stdout).toContain('passphrase package to Dr Sam Smith <sam@partner.example>, +41 44 123 45 67');
    expect(jsonl.stdout).toMatch(/"action":"package\.sealed".*"detail":"passphrase"/);
    const places = [
      history.stdout,
      listed.stdout,
      csv.stdout,
      jsonl.stdout,
      await everything(join(work, 'alice')),
      await everything(join(work, 'bob')),
    ];
    for (const place of places)
      for (const words of passphrases) {
        expect(place).not.toContain(words);
        expect(place).not.toContain(words.split(' ').slice(0, 3).join(' '));
      }
  });
});
