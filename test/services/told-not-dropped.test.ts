/**
 * Failures that used to be dropped by a catch are now told: the backup after a passphrase change
 * that cannot be written reaches onBackupFailed, doctor says why a check failed (a code or the
 * error's own words, never a system message), a damaged remembered key file is an IoError, a
 * cards folder that cannot be read is a directory warning, and the hot folder tells a failure
 * that no file's own handling caught.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceKey } from '../../main/app/device-key.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { DeliveryService } from '../../main/services/delivery/delivery.js';
import { DeliveryQueue } from '../../main/services/delivery/delivery-queue.js';
import { Exchanges } from '../../main/services/delivery/exchanges.js';
import { HotFolder, WORK_FOLDER, type HotFolderOutcome } from '../../main/services/hot-folder.js';
import { SendService } from '../../main/services/send.js';
import { person } from '../helpers/delivery-people.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { loadDirectory } from '../../main/directory/org-directory.js';
import { signCardIntoDirectory, writeRevocations } from '../helpers/earlier-directory.js';
import { IoError } from '../../main/errors/io-error.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS, type EffectivePolicy } from '../../main/policy/policy-schema.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { runDoctor } from '../../main/services/doctor.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { PASS } from '../helpers/clinicians.js';
import { FakeHost } from '../helpers/fake-host.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

beforeAll(loadSodium);

function policyState(settings: Partial<EffectivePolicy>): PolicyState {
  return {
    state: 'ok',
    source: '/etc/medseal/policy.json',
    effective: { ...POLICY_DEFAULTS, ...settings },
    managed: Object.keys(settings) as (keyof EffectivePolicy)[],
  };
}

const ALICE = { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' };

describe('failures are told, not dropped', () => {
  it('the backup after a passphrase change that cannot be written reaches onBackupFailed; the change stands', async () => {
    const work = await tempFolder();
    await writeFile(join(work, 'share'), 'a file where the backup folder should be');
    const session = new ProfileSession(
      new ProfileFolder(join(work, 'profile')),
      new PolicyGate(policyState({ backupFolder: join(work, 'share') })),
      KDF_FLOOR,
    );
    const failures: unknown[] = [];
    session.onBackupFailed = (error) => failures.push(error);
    await session.create(ALICE, PASS);
    await session.changePassphrase(PASS, `${PASS} and more`);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(IoError);
    session.lock();
    await session.unlock(`${PASS} and more`); // the new passphrase is in place
    session.close();
  });

  it('doctor says why: an exchange folder and a missing database by their codes, a damaged identity file in words', async () => {
    const work = await tempFolder();
    const folder = new ProfileFolder(join(work, 'profile'));
    await mkdir(folder.path, { recursive: true, mode: 0o700 });
    await writeFile(folder.keystorePath, '{"not": "a keystore"}', { mode: 0o600 });
    const checks = await runDoctor(folder, {
      loadPolicyState: async () => policyState({ exchangeFolders: [join(work, 'not-mounted')] }),
    });
    const detail = (name: string) => checks.find((check) => check.name === name)?.detail;
    expect(detail(`exchange folder ${join(work, 'not-mounted')}`)).toMatch(/not reachable or not writable \(ENOENT: /);
    expect(detail('identity')).toMatch(/The identity file is damaged or not a MedSeal identity/);
    expect(detail('database integrity')).toMatch(/cannot be opened \(SQLITE_CANTOPEN: /);
  });

  it('a remembered key that is there but cannot be read is an IoError, not "nothing remembered"', async () => {
    const work = await tempFolder();
    const key = new DeviceKey(work, new FakeHost().keychain);
    expect(await key.exists()).toBe(false);
    expect(await key.load()).toBeNull();
    await mkdir(join(work, 'device-key.bin')); // not a file: it cannot be read
    await expect(key.load()).rejects.toBeInstanceOf(IoError);
  });

  it('a cards folder that cannot be read is a directory warning, not an empty directory', async () => {
    const [org, partner] = await Promise.all([fastIdentity('Org Admin'), fastIdentity('Partner Clinic')]);
    const dir = await tempFolder();
    await writeRevocations(dir, [], org.signingSecretKey);
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey);
    expect((await loadDirectory(dir, org.card.signingKey)).cards).toHaveLength(1);
    await rm(join(dir, 'cards'), { recursive: true });
    expect(await loadDirectory(dir, org.card.signingKey)).toMatchObject({ cards: [], warnings: [] }); // none vetted yet
    await writeFile(join(dir, 'cards'), 'a file where the cards folder should be');
    expect((await loadDirectory(dir, org.card.signingKey)).warnings).toEqual([
      'the cards folder cannot be read (ENOTDIR): no directory card is trusted until it is fixed',
    ]);
  });

  it('the hot folder tells a failure outside the handling of a file, and keeps the claim for the next start', async () => {
    const work = await tempFolder();
    const alice = await person(work, 'Alice', 'alice@a.example');
    const outbox = join(work, 'outbox');
    const claim = join(outbox, WORK_FOLDER, '1-abc');
    await mkdir(join(claim, 'recipient'), { recursive: true, mode: 0o700 }); // its recipient file cannot be read
    await writeFile(join(claim, 'scan.pdf'), 'synthetic scan');
    const outcomes: HotFolderOutcome[] = [];
    const hot = new HotFolder(
      outbox,
      alice,
      new SendService(alice, new InProcessPackageJobs()),
      new DeliveryQueue(alice, new DeliveryService(alice, new Exchanges(alice))),
      (outcome) => outcomes.push(outcome),
    );
    await hot.recover();
    await hot.idle();
    expect(outcomes).toEqual([expect.objectContaining({ ok: false, code: 'INTERNAL' })]);
    expect((await readdir(claim)).sort()).toEqual(['recipient', 'scan.pdf']);
    alice.close();
  });
});
