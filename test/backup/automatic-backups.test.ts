/**
 * Automatic backups under the policy: written when due, kept to `backupKeep`
 * (only our own files, never through a link), reported by doctor by age,
 * checked by the restore drill without touching the profile, and written by
 * the app itself at unlock.
 */
import { lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { POLICY_DEFAULTS, type EffectivePolicy } from '../../main/policy/policy-schema.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import {
  AutomaticBackups,
  backupFileName,
  backupFolderFor,
  listBackups,
} from '../../main/services/automatic-backups.js';
import { runDoctor } from '../../main/services/doctor.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { restoreDrill } from '../../main/services/restore-drill.js';
import { clinician, PASS } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { makeRecoveryKit } from '../../main/services/recovery-kit.js';

beforeAll(loadSodium);

function policyState(settings: Partial<EffectivePolicy>): PolicyState {
  return {
    state: 'ok',
    source: '/etc/medseal/policy.json',
    effective: { ...POLICY_DEFAULTS, ...settings },
    managed: Object.keys(settings) as (keyof EffectivePolicy)[],
  };
}

const HOUR = 3600_000;

describe('automatic backups', () => {
  it('are written when due, kept to backupKeep, and only our own files are ever removed', async () => {
    const work = await tempFolder();
    const backups = join(work, 'share');
    const folder = new ProfileFolder(join(work, 'profile'));
    let now = new Date('2026-11-30T08:00:00.000Z');
    const session = new ProfileSession(
      folder,
      new PolicyGate(policyState({ backupFolder: backups, backupIntervalHours: 24, backupKeep: 2 })),
      KDF_FLOOR,
    );
    const profile = await session.create(
      { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' },
      PASS,
    );
    const auto = new AutomaticBackups(session, () => now);
    const mine = backupFolderFor(backups, profile.identity.card.fingerprint);

    expect(await auto.runIfDue()).toMatchObject({ state: 'written', removed: 0 });
    now = new Date(now.getTime() + 23 * HOUR);
    expect(await auto.runIfDue()).toMatchObject({ state: 'fresh' });
    // Someone else's files in the folder: a note, and a link dressed as an old backup pointing at a record.
    await writeFile(join(mine, 'README.txt'), 'not ours');
    await writeFile(join(work, 'record.pdf'), 'synthetic record');
    await symlink(join(work, 'record.pdf'), join(mine, backupFileName(new Date('2026-01-01T00:00:00Z'))));
    now = new Date(now.getTime() + 2 * HOUR);
    expect(await auto.runIfDue()).toMatchObject({ state: 'written', removed: 0 });
    now = new Date(now.getTime() + 25 * HOUR);
    expect(await auto.runIfDue()).toMatchObject({ state: 'written', removed: 1 });
    expect(
      (await listBackups(mine, fingerprintHex(profile.identity.card.fingerprint), now)).map((file) =>
        file.madeAt.toISOString(),
      ),
    ).toEqual(['2026-12-02T10:00:00.000Z', '2026-12-01T09:00:00.000Z']);
    expect(await readFile(join(work, 'record.pdf'), 'utf8')).toBe('synthetic record');
    expect((await lstat(join(mine, backupFileName(new Date('2026-01-01T00:00:00Z'))))).isSymbolicLink()).toBe(true);
    expect(await readdir(mine)).toContain('README.txt');
    if (process.platform !== 'win32') expect((await stat(mine)).mode & 0o777).toBe(0o700);
    expect(profile.audit.entries().filter((entry) => entry.action === 'identity.backed-up')).toHaveLength(3);
    session.close();

    // doctor: fresh within two intervals, failing after (the planted link would be reported: see the next test).
    await rm(join(mine, backupFileName(new Date('2026-01-01T00:00:00Z'))));
    const doctor = async (at: Date) =>
      (
        await runDoctor(folder, {
          loadPolicyState: async () => policyState({ backupFolder: backups, backupIntervalHours: 24 }),
          now: at,
        })
      ).find((check) => check.name === 'automatic backups');
    expect(await doctor(new Date('2026-12-03T10:00:00.000Z'))).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^newest made 24\.0 hours ago/),
    });
    expect(await doctor(new Date('2026-12-05T10:00:00.000Z'))).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/3\.0 days ago .*more than twice the 24-hour interval/),
    });
  });

  it('a planted, foreign or future-dated file neither stops backups nor pushes genuine ones out, and doctor says so', async () => {
    const work = await tempFolder();
    const share = join(work, 'share');
    const folder = new ProfileFolder(join(work, 'profile'));
    let now = new Date('2026-11-30T08:00:00.000Z');
    const session = new ProfileSession(
      folder,
      new PolicyGate(policyState({ backupFolder: share, backupIntervalHours: 24, backupKeep: 3 })),
      KDF_FLOOR,
    );
    const profile = await session.create(
      { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' },
      PASS,
    );
    const auto = new AutomaticBackups(session, () => now);
    const mine = backupFolderFor(share, profile.identity.card.fingerprint);
    for (let i = 0; i < 3; i++) {
      expect(await auto.runIfDue()).toMatchObject({ state: 'written' });
      now = new Date(now.getTime() + 25 * HOUR);
    }
    const genuine = (await readdir(mine)).sort();
    // Junk dated far in the future (it used to stop every later backup), junk just newer than the
    // last genuine one (it used to push the genuine ones out), and someone else's real backup renamed.
    await writeFile(join(mine, backupFileName(new Date('2099-01-01T00:00:00Z'))), 'junk, not a backup');
    for (let i = 0; i < 3; i++)
      await writeFile(join(mine, backupFileName(new Date(now.getTime() - 24 * HOUR - 3000 + i * 1000))), 'junk');
    expect(await auto.runIfDue()).toMatchObject({ state: 'written', removed: 1 }); // due (the junk does not count); the oldest genuine one goes
    expect((await readdir(mine)).filter((name) => genuine.includes(name))).toEqual(genuine.slice(1));
    session.close();
    const check = (
      await runDoctor(folder, {
        loadPolicyState: async () => policyState({ backupFolder: share, backupIntervalHours: 24 }),
        now,
      })
    ).find((entry) => entry.name === 'automatic backups');
    expect(check?.ok, check?.detail).toBe(false);
    expect(check?.detail).toMatch(/^newest made 0\.0 hours ago .*4 other file\(s\) named like backups were ignored/);
  });

  it('a new recovery kit replaces every older automatic backup (they open with the old kit) by a fresh one', async () => {
    const work = await tempFolder();
    const share = join(work, 'share');
    let now = new Date(Date.now() - 7 * HOUR); // the kit's own backup is written at the real time
    const session = new ProfileSession(
      new ProfileFolder(join(work, 'profile')),
      new PolicyGate(policyState({ backupFolder: share, backupIntervalHours: 1, backupKeep: 5 })),
      KDF_FLOOR,
    );
    const profile = await session.create(
      { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' },
      PASS,
    );
    const auto = new AutomaticBackups(session, () => now);
    for (let i = 0; i < 3; i++) {
      await auto.runIfDue();
      now = new Date(now.getTime() + 2 * HOUR);
    }
    const mine = backupFolderFor(share, profile.identity.card.fingerprint);
    const before = await readdir(mine);
    expect(before).toHaveLength(3);
    await makeRecoveryKit(session, async () => async () => undefined);
    const after = await readdir(mine);
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
    session.close();
  });

  it('the restore drill restores the newest into a temporary folder, checks it, and leaves the profile alone', async () => {
    const work = await tempFolder();
    const folder = new ProfileFolder(join(work, 'profile'));
    const session = new ProfileSession(
      folder,
      new PolicyGate(policyState({ backupFolder: join(work, 'share') })),
      KDF_FLOOR,
    );
    const profile = await session.create(
      { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' },
      PASS,
    );
    await new AutomaticBackups(session).runIfDue();
    const [newest] = await listBackups(
      backupFolderFor(join(work, 'share'), profile.identity.card.fingerprint),
      fingerprintHex(profile.identity.card.fingerprint),
    );
    session.close();
    const keystore = await readFile(folder.keystorePath);
    const database = await readFile(folder.databasePath);
    const report = await restoreDrill(newest!.path, PASS);
    expect(report).toMatchObject({ auditVerified: true, contacts: 0, packages: 0 });
    expect(report.auditEntries).toBeGreaterThan(2);
    expect(await readFile(folder.keystorePath)).toEqual(keystore);
    expect((await readFile(folder.databasePath)).equals(database)).toBe(true);
    await expect(restoreDrill(newest!.path, 'not the passphrase at all')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
  });

  it('the app writes a backup at unlock when the policy names a folder', async () => {
    const work = await tempFolder();
    const share = join(work, 'share');
    await mkdir(share);
    await clinician(work, 'alice', 'alice@general.example', 'General Hospital', policyState({ backupFolder: share }));
    const until = async (done: () => Promise<boolean>) => {
      for (let waited = 0; !(await done()); waited += 50) {
        if (waited > 20_000) throw new Error('no automatic backup was written');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await until(
      async () =>
        (await readdir(share)).length === 1 &&
        (await readdir(join(share, (await readdir(share))[0]!))).filter((name) => name.endsWith('.medseal-backup'))
          .length === 1,
    );
  });
});
