/**
 * Backup and restore (docs/FORMAT.md §8): a profile moved to a fresh home
 * keeps its keys, verified contacts, history and a continuous audit chain,
 * and opens a package sealed to it before the backup. Every damaged,
 * foreign or unusable backup is refused with its own error, and the target
 * is left exactly as it was: no identity, no database, no leftovers.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupTooNew, BackupUnreadable, NotABackup } from '../../main/backup/errors.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { DestinationExists } from '../../main/fs/errors.js';
import { IdentityExists, RecoveryCodeWrong, WrongPassphrase } from '../../main/identity/errors.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { writeBackup } from '../../main/services/backup.js';
import { NewPassphraseNeeded } from '../../main/services/errors.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { makeRecoveryKit } from '../../main/services/recovery-kit.js';
import { restoreBackup, type BackupUnlock } from '../../main/services/restore.js';
import { fastIdentity } from '../helpers/identities.js';
import { digests, openSample, sealSample, type SealedSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { safetyNumber } from '../../main/identity/fingerprint.js';
import { scaled } from '../helpers/time.js';

const PASS = 'the passphrase of the old workstation';
const NEW = 'a passphrase for the new workstation';
const policy = PolicyGate.none();

interface Source {
  readonly work: string;
  readonly backup: string;
  readonly code: string;
  readonly sealed: SealedSample;
  readonly auditBefore: number;
}

let source: Source;
let made: string | undefined;

afterAll(async () => {
  if (made) await rm(made, { recursive: true, force: true });
});

beforeAll(async () => {
  await loadSodium();
  const work = await mkdtemp(join(tmpdir(), 'medseal-backup-')); // lives for the whole file
  made = work;
  const session = new ProfileSession(new ProfileFolder(join(work, 'old-home')), policy, KDF_FLOOR);
  const profile = await session.create(
    { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' },
    PASS,
  );
  const bob = await fastIdentity('Bob');
  await profile.contacts.importCard(bob.card);
  await profile.contacts.verify('bob@example.org', safetyNumber(profile.identity.card, bob.card));
  const sealed = await sealSample({
    folder: work,
    sender: bob,
    recipients: [profile.identity.card],
    sizes: [3 * 1024 * 1024 + 5],
  });
  let code = '';
  await makeRecoveryKit(session, async (files) => {
    code = files.code;
    return async () => undefined;
  });
  const backup = join(work, 'alice.medseal-backup');
  await writeBackup(session, backup);
  const auditBefore = profile.audit.entries().length;
  session.close();
  source = { work, backup, code, sealed, auditBefore };
}, scaled(60_000));

async function freshHome(): Promise<ProfileFolder> {
  return new ProfileFolder(join(await tempFolder(), 'new-home'));
}

async function refused(
  path: string,
  unlock: BackupUnlock = { passphrase: PASS },
  newPassphrase?: string,
): Promise<unknown> {
  const home = await freshHome();
  const error = await restoreBackup(new ProfileSession(home, policy, KDF_FLOOR), path, unlock, {
    kdf: KDF_FLOOR,
    newPassphrase,
  }).then(
    () => new Error('restored'),
    (failure: unknown) => failure,
  );
  expect(await readdir(home.path).catch(() => [])).toEqual([]); // nothing half-written, nothing left behind
  return error;
}

async function variant(name: string, edit: (bytes: Buffer) => Buffer): Promise<string> {
  const path = join(source.work, name);
  await writeFile(path, edit(Buffer.from(await readFile(source.backup))));
  return path;
}

describe('backup and restore', () => {
  it('moves the identity: same keys, contact still verified, audit chain continuous and verified, an old package opens', async () => {
    const home = await freshHome();
    const session = new ProfileSession(home, policy, KDF_FLOOR);
    const { profile, createdAt, auditVerified } = await restoreBackup(session, source.backup, { passphrase: PASS });
    expect(auditVerified).toBe(true);
    expect(profile.identity.card.profile.name).toBe('Dr Alice Adams');
    expect((await profile.contacts.find('bob@example.org')).state).toBe('verified');
    const entries = profile.audit.entries();
    expect(entries.length).toBeGreaterThan(source.auditBefore); // the old entries, then the restore's
    expect(entries.at(-1)).toMatchObject({ action: 'identity.restored', detail: `backup-made:${createdAt}` });
    expect(entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['identity.created', 'contact.verified', 'identity.recovery-kit-created']),
    );
    expect(digests(await openSample(source.sealed.path, profile.identity, join(await tempFolder(), 'out')))).toEqual(
      digests(source.sealed.contents),
    );
    session.close();
    const again = new ProfileSession(home, policy, KDF_FLOOR);
    await again.unlock(PASS); // the passphrase the backup was made with, as none was chosen
    again.close();
  });

  it('with the recovery code instead of the forgotten passphrase, a new passphrase is required and then set', async () => {
    expect(await refused(source.backup, { recoveryCode: source.code })).toBeInstanceOf(NewPassphraseNeeded);
    const home = await freshHome();
    const session = new ProfileSession(home, policy, KDF_FLOOR);
    await restoreBackup(session, source.backup, { recoveryCode: source.code }, { kdf: KDF_FLOOR, newPassphrase: NEW });
    session.close();
    const later = new ProfileSession(home, policy, KDF_FLOOR);
    await expect(later.unlock(PASS)).rejects.toBeInstanceOf(WrongPassphrase);
    await later.unlock(NEW);
    later.close();
  });

  it("does not bring back the backup's recovery kit (it may have been replaced since), and records how it was opened", async () => {
    const home = await freshHome();
    const session = new ProfileSession(home, policy, KDF_FLOOR);
    const restored = await restoreBackup(
      session,
      source.backup,
      { recoveryCode: source.code },
      { kdf: KDF_FLOOR, newPassphrase: NEW },
    );
    expect(restored.recoveryKitDropped).toBe(true);
    expect(restored.profile.audit.entries().at(-1)).toMatchObject({
      action: 'identity.restored',
      detail: `backup-made:${restored.createdAt}:recovery-code`,
    });
    session.close();
    expect(JSON.parse(await readFile(home.keystorePath, 'utf8'))).not.toHaveProperty('recovery');
    await expect(
      new ProfileSession(home, policy, KDF_FLOOR).recover(source.code, 'yet another fine passphrase'),
    ).rejects.toMatchObject({ code: 'NO_RECOVERY_KIT' });
  });

  it('two restores at once into one profile: exactly one succeeds and the profile is whole', async () => {
    const other = new ProfileSession(new ProfileFolder(join(source.work, 'other-home')), policy, KDF_FLOOR);
    await other.create({ name: 'Dr Bob Brown', organisation: 'Partner Lab', email: 'bob@lab.example' }, PASS);
    const otherBackup = join(await tempFolder(), 'bob.medseal-backup');
    await writeBackup(other, otherBackup);
    other.close();
    for (let round = 0; round < 3; round++) {
      const home = await freshHome();
      const results = await Promise.allSettled(
        [source.backup, otherBackup].map((path) =>
          restoreBackup(new ProfileSession(home, policy, KDF_FLOOR), path, { passphrase: PASS }),
        ),
      );
      const succeeded = results.filter((result) => result.status === 'fulfilled');
      expect(succeeded).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(['IDENTITY_EXISTS', 'RESTORE_IN_PROGRESS']).toContain((refused.reason as { code: string }).code);
      const check = new ProfileSession(home, policy, KDF_FLOOR);
      const profile = await check.unlock(PASS);
      expect(profile.audit.verify().ok).toBe(true); // keystore and database belong together
      check.close();
    }
  });

  it('never restores over an existing identity, and never writes a backup over a file', async () => {
    const home = await freshHome();
    const session = new ProfileSession(home, policy, KDF_FLOOR);
    await restoreBackup(session, source.backup, { passphrase: PASS });
    session.close();
    const keystore = await readFile(home.keystorePath, 'utf8');
    await expect(
      restoreBackup(new ProfileSession(home, policy, KDF_FLOOR), source.backup, { passphrase: PASS }),
    ).rejects.toBeInstanceOf(IdentityExists);
    expect(await readFile(home.keystorePath, 'utf8')).toBe(keystore);
    const again = new ProfileSession(home, policy, KDF_FLOOR);
    await again.unlock(PASS);
    await expect(writeBackup(again, source.backup)).rejects.toBeInstanceOf(DestinationExists);
    again.close();
  });

  it('refuses a wrong passphrase, another identity’s recovery code, and files that are not backups', async () => {
    expect(await refused(source.backup, { passphrase: 'not the right passphrase' })).toBeInstanceOf(WrongPassphrase);
    const other = new ProfileSession(new ProfileFolder(join(await tempFolder(), 'other')), policy, KDF_FLOOR);
    await other.create({ name: 'Someone Else', organisation: 'Elsewhere', email: 'else@where.example' }, PASS);
    let otherCode = '';
    await makeRecoveryKit(other, async (files) => {
      otherCode = files.code;
      return async () => undefined;
    });
    other.close();
    expect(await refused(source.backup, { recoveryCode: otherCode }, NEW)).toBeInstanceOf(RecoveryCodeWrong);
    expect(await refused(source.sealed.path)).toBeInstanceOf(NotABackup);
  });

  it('refuses a cut, edited, extended or newer backup, naming what is wrong', async () => {
    const size = (await readFile(source.backup)).length;
    const cases: [string, (bytes: Buffer) => Buffer, unknown, RegExp][] = [
      ['cut-end', (bytes) => bytes.subarray(0, size - 1), BackupUnreadable, /changed or damaged|cut short/],
      [
        'cut-half',
        (bytes) => bytes.subarray(0, Math.floor(size / 2)),
        BackupUnreadable,
        /changed or damaged|cut short/,
      ],
      ['payload-bit', (bytes) => ((bytes[size - 100]! ^= 1), bytes), BackupUnreadable, /changed or damaged/],
      [
        'appended',
        (bytes) => Buffer.concat([bytes, Buffer.from([0])]),
        BackupUnreadable,
        /added after its end|changed or damaged/,
      ],
      [
        'header-time',
        (bytes) =>
          Buffer.from(
            bytes
              .toString('latin1')
              .replace(/"createdAt":"(\d{4})/, (_, year: string) => `"createdAt":"${Number(year) - 1}`),
            'latin1',
          ),
        BackupUnreadable,
        /header was changed/,
      ],
      ['newer', (bytes) => ((bytes[8] = 2), bytes), BackupTooNew, /newer MedSeal/],
    ];
    for (const [name, edit, type, message] of cases) {
      const error = await refused(await variant(name, edit));
      expect(error, name).toBeInstanceOf(type);
      expect((error as Error).message, name).toMatch(message);
    }
  });
});
