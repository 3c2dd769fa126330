/**
 * Organisation emergency access with the built CLI, as IT would run it:
 * `org recovery init` splits a key among three custodians; a clinician
 * whose policy names that key seals a referral and writes a backup; two
 * custodians together open the referral and restore the backup on a fresh
 * profile; one custodian alone gets nothing; `org recovery log` verifies
 * every use and notices an edited log.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { writeBackup } from '../../main/services/backup.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { SendService } from '../../main/services/send.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { assertCliBuilt, okJson, runCliJson } from '../helpers/built-cli.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
const NEW = 'violet harbour seven lanterns';
const CUSTODIAN = ['amber kettle orchard ninety', 'copper meadow lantern eleven', 'silent harbour walnut forty'];
let work: string;
let recoveryKey: string;
let bobFingerprint: string;

const medseal = (home: string, args: string[], env: Record<string, string> = {}) =>
  runCliJson(work, home, args, { MEDSEAL_PASSPHRASE: PASS, ...env });
const ok = okJson;

const share = (n: number) => [
  '--share',
  join(work, 'shares', `share-${n}-of-3.medseal-share`),
  '--share-passphrase-file',
  join(work, `custodian-${n}.txt`),
];
const access = (...shares: number[]) => [
  ...shares.flatMap(share),
  '--reason',
  'INC-4711 clinician on long-term leave',
  '--log-folder',
  join(work, 'directory'),
];

/** A clinician session under a policy that names the recovery key, as the app and CLI would run it. */
async function underPolicy(home: string): Promise<ProfileSession> {
  const gate = new PolicyGate({
    state: 'ok',
    source: 'test',
    effective: { ...POLICY_DEFAULTS, orgRecoveryKey: recoveryKey },
    managed: ['orgRecoveryKey'],
  });
  const session = new ProfileSession(new ProfileFolder(join(work, home)), gate, KDF_FLOOR);
  await session.unlock(PASS, 'test');
  return session;
}

beforeAll(async () => {
  assertCliBuilt();
  work = await mkdtemp(join(tmpdir(), 'medseal-break-glass-'));
  await mkdir(join(work, 'directory'), { mode: 0o750 });
  for (const [index, passphrase] of CUSTODIAN.entries())
    await writeFile(join(work, `custodian-${index + 1}.txt`), passphrase);
  await createFastProfiles(work, PASS, [
    { home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example' },
    { home: 'bob', name: 'Dr Bob Brown', email: 'bob@lab.example' },
  ]);
  ok(medseal('bob', ['identity', 'export-card', '-o', join(work, 'bob.card')]));
  ok(medseal('alice', ['contacts', 'import', join(work, 'bob.card')]));
  bobFingerprint = (ok(medseal('bob', ['identity', 'show'])) as { fingerprint: string }).fingerprint;
  await mkdir(join(work, 'exchange'), { mode: 0o750 });
  for (const who of ['alice', 'bob']) ok(medseal(who, ['exchange', 'add', join(work, 'exchange')]));
  await writeFile(join(work, 'referral.txt'), 'synthetic referral letter, no real patient');
}, scaled(120_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('organisation emergency access with the CLI', () => {
  it('init: three share files for this account only, a public card, and the policy value', async () => {
    const custodians = ['Dr Ann Example', 'Sam Security', 'Pat Privacy'].flatMap((name) => ['--custodian', name]);
    const passphrases = [1, 2, 3].flatMap((n) => ['--custodian-passphrase-file', join(work, `custodian-${n}.txt`)]);
    const made = ok(
      medseal('alice', [
        'org',
        'recovery',
        'init',
        '--shares',
        '3',
        '--threshold',
        '2',
        '--organisation',
        'General Hospital',
        '--email',
        'privacy-office@general.example',
        '-o',
        join(work, 'shares'),
        '--log-folder',
        join(work, 'directory'),
        ...custodians,
        ...passphrases,
      ]),
    );
    recoveryKey = made.orgRecoveryKey as string;
    expect(made.shares).toEqual([
      'share-1-of-3.medseal-share',
      'share-2-of-3.medseal-share',
      'share-3-of-3.medseal-share',
    ]);
    expect(made.custodians).toEqual([
      { file: 'share-1-of-3.medseal-share', custodian: 'Dr Ann Example' },
      { file: 'share-2-of-3.medseal-share', custodian: 'Sam Security' },
      { file: 'share-3-of-3.medseal-share', custodian: 'Pat Privacy' },
    ]);
    for (const name of made.shares as string[]) {
      expect((await stat(join(work, 'shares', name))).mode & 0o077).toBe(0);
      const text = await readFile(join(work, 'shares', name), 'utf8');
      for (const passphrase of CUSTODIAN) expect(text).not.toContain(passphrase);
    }
    expect(await readFile(join(work, 'shares', 'recovery-key.medseal-contact'), 'utf8')).toContain(
      'BEGIN MEDSEAL CONTACT CARD',
    );
    // Never a contact: sealing for it by hand would hide it among the recipients.
    const asContact = medseal('bob', ['contacts', 'import', join(work, 'shares', 'recovery-key.medseal-contact')]);
    expect(asContact.code).toBe(EXIT.invalidInput);
    expect(JSON.parse(asContact.stderr).error.code).toBe('RECOVERY_KEY_NOT_A_CONTACT');
    // A threshold of one would let any custodian open alone.
    const alone = medseal('alice', [
      'org',
      'recovery',
      'init',
      '--shares',
      '3',
      '--threshold',
      '1',
      '--organisation',
      'X',
      '--email',
      'x@x.example',
      '-o',
      join(work, 'alone'),
      '--log-folder',
      join(work, 'directory'),
    ]);
    expect(alone.code).toBe(EXIT.invalidInput);
    expect(existsSync(join(work, 'alone'))).toBe(false); // nothing written before every custodian's passphrase is accepted
  });

  it('a referral sealed under the policy: 2 of 3 custodians open it; 1 alone opens nothing', async () => {
    const session = await underPolicy('alice');
    const sender = new SendService(session, new InProcessPackageJobs());
    const prepared = await sender.prepare({
      recipients: ['bob@lab.example'],
      confirmUnverified: true,
      files: [{ path: join(work, 'referral.txt') }],
      note: '',
    });
    const sealed = await sender.start(prepared, join(work, 'referral.medseal')).done;
    expect(sealed.recoveryKeyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    session.close();

    // Bob is told who else can open it.
    const shown = ok(medseal('bob', ['open', join(work, 'referral.medseal'), '-o', join(work, 'bob-out')]));
    expect(shown.emergencyAccess).toMatchObject({ organisation: 'General Hospital' });

    await mkdir(join(work, 'alone-out'));
    const alone = medseal('alice', [
      'org',
      'recovery',
      'open',
      join(work, 'referral.medseal'),
      '-o',
      join(work, 'alone-out'),
      ...access(2),
    ]);
    expect(alone.code).toBe(EXIT.invalidInput);
    expect(JSON.parse(alone.stderr).error.code).toBe('TOO_FEW_SHARES');
    expect(await readdir(join(work, 'alone-out'))).toEqual([]);

    await mkdir(join(work, 'it-out'));
    const opened = ok(
      medseal('alice', [
        'org',
        'recovery',
        'open',
        join(work, 'referral.medseal'),
        '-o',
        join(work, 'it-out'),
        '--notify',
        ...access(1, 3),
      ]),
    );
    expect(opened.record).toBe(2); // after the key's creation
    expect(await readFile(join(work, 'it-out', 'referral.txt'), 'utf8')).toBe(
      'synthetic referral letter, no real patient',
    );

    // Bob, the recipient, finds a notice in his inbox, sealed by the recovery key; the operator's audit log has the use.
    expect(opened.notice).toMatchObject({ notified: [bobFingerprint] });
    const inbox = ok(medseal('bob', ['inbox'])) as {
      packages: { id: string; sender: { name: string; organisation: string }; trust: string }[];
    };
    expect(inbox.packages).toMatchObject([
      { sender: { name: 'Emergency access', organisation: 'General Hospital' }, trust: 'unknown' },
    ]);
    const notice = ok(medseal('bob', ['inbox', 'open', inbox.packages[0]!.id, '-o', join(work, 'bob-notice')])) as {
      note: string;
    };
    expect(notice.note).toMatch(/^Emergency access notice from General Hospital\.[\s\S]*Reason given: INC-4711/);
    expect(notice.note).not.toContain('referral.txt'); // the package is named by its id, never its files
    const signedRecord = await readFile(join(work, 'bob-notice', 'emergency-access-record.json'), 'utf8');
    expect(JSON.parse(signedRecord)).toMatchObject({ seq: 2, action: 'package-opened', signature: expect.any(String) });
    const audit = ok(medseal('alice', ['audit', 'export', '--format', 'jsonl', '-o', join(work, 'alice-audit.jsonl')]));
    expect(audit.written).toBe(true);
    expect(await readFile(join(work, 'alice-audit.jsonl'), 'utf8')).toContain('emergency-access.used');
  });

  it("a clinician's backup made under the policy: the custodians restore it on a fresh profile with a new passphrase", async () => {
    const session = await underPolicy('alice');
    await writeBackup(session, join(work, 'alice.medseal-backup'));
    session.close();
    const restored = ok(
      medseal('successor', ['org', 'recovery', 'restore', join(work, 'alice.medseal-backup'), ...access(2, 3)], {
        MEDSEAL_NEW_PASSPHRASE: NEW,
      }),
    );
    expect(restored).toMatchObject({ restored: true, record: 3, auditVerified: true });
    const shown = ok(medseal('successor', ['identity', 'show'], { MEDSEAL_PASSPHRASE: NEW }));
    expect(JSON.stringify(shown)).toContain('Dr Alice Adams');
    const audit = ok(medseal('successor', ['audit', 'verify'], { MEDSEAL_PASSPHRASE: NEW }));
    expect(audit.ok).toBe(true);
  });

  it('log: verifies and lists both uses; an edited record is found', async () => {
    const card = join(work, 'shares', 'recovery-key.medseal-contact');
    const listed = ok(
      medseal('alice', ['org', 'recovery', 'log', '--key', card, '--log-folder', join(work, 'directory')]),
    );
    expect((listed.records as { action: string }[]).map((record) => record.action)).toEqual([
      'key-created',
      'package-opened',
      'backup-restored',
    ]);
    const [logName] = (await readdir(join(work, 'directory'))).filter((name) => name.endsWith('.log'));
    const path = join(work, 'directory', logName!);
    await writeFile(path, (await readFile(path, 'utf8')).replace('INC-4711', 'INC-0001'));
    const broken = medseal('alice', ['org', 'recovery', 'log', '--key', card, '--log-folder', join(work, 'directory')]);
    expect(broken.code).toBe(EXIT.damagedPackage);
    expect(JSON.parse(broken.stderr).error.code).toBe('EMERGENCY_LOG_INVALID');
  });
});
