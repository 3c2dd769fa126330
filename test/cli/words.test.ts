/**
 * What the CLI says, in the words people read (issue 28, item 8), run in
 * this process under the test's policy: the safety number people compare
 * (60 digits, never half of it), a typed number of the wrong length told as
 * such, the inbox's "Open one" hint with the run's --home, the first recovery
 * kit without an "earlier kit", `policy show` with a fingerprint for a kilobytes-long
 * value, `org recovery init` pairing each share file with its custodian,
 * counted words ("1 file"), and the first-package caution before delivery.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { runCli } from '../../main/cli/run-cli.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { splitForTest } from '../helpers/custodians.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
let work: string;
let policy: PolicyState = {
  state: 'none',
  source: 'test (no policy)',
  effective: { ...POLICY_DEFAULTS },
  managed: [],
};

/** The CLI in this process: exit code, stdout and stderr apart, and both in the order written. */
async function medseal(home: string, args: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const both: string[] = [];
  vi.stubEnv('MEDSEAL_PASSPHRASE', PASS);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk) => both.push(String(chunk)) + stdout.push(String(chunk)) > 0,
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk) => both.push(String(chunk)) + stderr.push(String(chunk)) > 0,
  );
  try {
    const code = await runCli(['--home', join(work, home), ...args], { loadPolicy: () => Promise.resolve(policy) });
    return { code, stdout: stdout.join(''), stderr: stderr.join(''), both: both.join('') };
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
}

async function ok(home: string, args: string[], env: Record<string, string> = {}) {
  const result = await medseal(home, args, env);
  expect(result.code, result.both).toBe(EXIT.ok);
  return result;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'medseal-words-'));
  await createFastProfiles(
    work,
    PASS,
    [
      { home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example' },
      { home: 'bob', name: 'Dr Bob Brown', email: 'bob@lab.example' },
    ],
    { acquainted: true },
  );
  await mkdir(join(work, 'exchange'));
  for (const home of ['alice', 'bob']) await ok(home, ['exchange', 'add', join(work, 'exchange')]);
  await writeFile(join(work, 'referral.txt'), 'synthetic referral letter');
}, scaled(60_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the CLI in words people read', () => {
  it('identity show points to the 60-digit safety number people compare, never 30 "safety digits"', async () => {
    const { stdout } = await ok('alice', ['identity', 'show']);
    expect(stdout).not.toMatch(/safety digits/i);
    expect(stdout).not.toMatch(/(\d{5} ){5}\d{5}/); // no half of a safety number to compare with nothing
    expect(stdout).toContain(
      `Safety numbers: with each partner you compare 60 digits, shown once you import their card (medseal --home ${join(work, 'alice')} contacts show THEIR-EMAIL).`,
    );
    const shown = await ok('alice', ['contacts', 'show', 'bob@lab.example']);
    expect(shown.stdout).toMatch(/^Safety number: (\d{5} ){11}\d{5}$/m);
  });

  it('a safety number of the wrong length says how many digits were typed (exit 2); other characters too', async () => {
    const safety = JSON.parse((await ok('alice', ['--json', 'contacts', 'show', 'bob@lab.example'])).stdout)
      .safetyNumber as string;
    const short = await medseal('alice', ['contacts', 'verify', 'bob@lab.example', '--safety-number', safety.slice(2)]);
    expect(short.code).toBe(EXIT.usage);
    expect(short.stderr).toContain('60 digits expected, 58 typed');
    const letters = await medseal('alice', [
      'contacts',
      'verify',
      'bob@lab.example',
      '--safety-number',
      `${safety.slice(0, 59)}O`,
    ]);
    expect(letters.code).toBe(EXIT.usage);
    expect(letters.stderr).toMatch(/A safety number is 60 digits; what was typed has other characters too/);
    const wrong = await medseal('alice', ['contacts', 'verify', 'bob@lab.example', '--safety-number', '1'.repeat(60)]);
    expect(wrong.code).toBe(EXIT.untrustedParty);
    expect(wrong.stderr).toMatch(/does not match/);
    await ok('alice', ['contacts', 'verify', 'bob@lab.example', '--safety-number', safety.replace(/(\d{5})/g, '$1 ')]);
  });

  it('the first-package caution comes before the package is sealed and delivered; counted words say "1 file"', async () => {
    const sent = await ok('alice', [
      'seal',
      join(work, 'referral.txt'),
      '--to',
      'bob@lab.example',
      '-o',
      join(work, 'referral.medseal'),
      '--deliver',
    ]);
    const caution = sent.both.indexOf('First package to Dr Bob Brown');
    expect(caution).toBeGreaterThanOrEqual(0);
    expect(caution).toBeLessThan(sent.both.indexOf('Sealed 1 file,'));
    expect(caution).toBeLessThan(sent.both.indexOf('Delivered to Dr Bob Brown'));
    expect(sent.stdout).toMatch(/^Sealed 1 file, .* for 1 recipient, format/m);
  });

  it('an exchange is listed by the name people gave it; a name that cannot be one is refused, saying why', async () => {
    await mkdir(join(work, 'ward-4'));
    await ok('alice', ['exchange', 'add', join(work, 'ward-4'), '--name', 'Ward 4 share']);
    expect((await ok('alice', ['exchange', 'list'])).stdout).toContain(
      `Ward 4 share (${join(work, 'ward-4')})  folder  ${join(work, 'ward-4')}`,
    );
    const bad = await medseal('alice', ['exchange', 'add', join(work, 'ward-4'), '--name', 'Ward 4\u001b[2J']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/An exchange name is up to 64 letters, digits, spaces/);
    const taken = await medseal('alice', ['exchange', 'add', join(work, 'exchange'), '--name', 'Ward 4 share']);
    expect(taken.code).toBe(EXIT.usage);
    expect(taken.stderr).toMatch(/An exchange named Ward 4 share exists already/);
    await ok('alice', ['exchange', 'remove', 'Ward 4 share']);
    expect((await ok('alice', ['exchange', 'list'])).stdout).not.toContain('Ward 4');
  });

  it("the inbox's hint to open a package keeps this run's --home, so that it works when pasted", async () => {
    const { stdout } = await ok('bob', ['inbox']);
    expect(stdout).toContain(`Open one: medseal --home ${join(work, 'bob')} inbox open ID -o FOLDER`);
  });

  it('the first recovery kit mentions no earlier kit; the next one says when the kit it replaces was made', async () => {
    const first = await ok('alice', ['identity', 'recovery-kit', '-o', join(work, 'kit-1.html')]);
    expect(first.stdout).not.toMatch(/earlier/i);
    const second = await ok('alice', ['identity', 'recovery-kit', '-o', join(work, 'kit-2.html')]);
    expect(second.stdout).toMatch(/Your earlier recovery kit \(made .+\) no longer unlocks this identity/);
  });

  it('policy show prints a fingerprint and the size of a kilobytes-long orgRecoveryKey, not the value', async () => {
    const key = await splitForTest(await mkdtemp(join(work, 'shares-')), 2, 2);
    const orgRecoveryKey = Buffer.from(key.card.bytes).toString('base64');
    expect(orgRecoveryKey.length).toBeGreaterThan(2000);
    policy = {
      state: 'ok',
      source: 'test policy',
      effective: { ...POLICY_DEFAULTS, orgRecoveryKey },
      managed: ['orgRecoveryKey'],
    };
    try {
      const { stdout } = await ok('alice', ['policy', 'show']);
      expect(stdout).not.toContain(orgRecoveryKey.slice(0, 60));
      expect(stdout).toMatch(
        new RegExp(
          `^ {2}orgRecoveryKey +fingerprint ${fingerprintHex(key.card.fingerprint).slice(0, 16)}… \\(\\d\\.\\d KB: Test Hospital's recovery key\\) +\\(test policy\\)$`,
          'm',
        ),
      );
      expect(stdout).toMatch(/^ {2}maxAutoLockMinutes +\d+ +\(default\)$/m); // short values as they are
      const json = JSON.parse((await ok('alice', ['--json', 'policy', 'show'])).stdout) as {
        values: { key: string; value: unknown }[];
      };
      expect(json.values.find((entry) => entry.key === 'orgRecoveryKey')?.value).toBe(orgRecoveryKey); // scripts get it whole
    } finally {
      policy = { state: 'none', source: 'test (no policy)', effective: { ...POLICY_DEFAULTS }, managed: [] };
    }
  });

  it(
    'org recovery init pairs each share file with the custodian it is for',
    async () => {
      const passphrases = ['amber kettle orchard ninety', 'copper meadow lantern eleven'];
      await mkdir(join(work, 'org-log'));
      for (const [index, passphrase] of passphrases.entries())
        await writeFile(join(work, `custodian-${index + 1}.txt`), passphrase);
      const made = await ok('alice', [
        'org',
        'recovery',
        'init',
        '--shares',
        '2',
        '--threshold',
        '2',
        '--organisation',
        'General Hospital',
        '--email',
        'privacy-office@general.example',
        '-o',
        join(work, 'org-shares'),
        '--log-folder',
        join(work, 'org-log'),
        '--custodian',
        'Dr Ann Example',
        '--custodian',
        'Sam Security',
        '--custodian-passphrase-file',
        join(work, 'custodian-1.txt'),
        '--custodian-passphrase-file',
        join(work, 'custodian-2.txt'),
      ]);
      expect(made.stdout).toContain(
        [
          'Give each custodian their own share file, then delete the copies here:',
          '  share-1-of-2.medseal-share  →  Dr Ann Example',
          '  share-2-of-2.medseal-share  →  Sam Security',
        ].join('\n'),
      );
      expect((await readdir(join(work, 'org-shares'))).sort()).toEqual([
        'recovery-key.medseal-contact',
        'share-1-of-2.medseal-share',
        'share-2-of-2.medseal-share',
      ]);
    },
    scaled(120_000),
  );
});
