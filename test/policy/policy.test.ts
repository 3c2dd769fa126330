/** The managed policy: strict parsing, ownership rules, fail-closed start, and each key enforced by the app. */
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { createMedSealApp, type MedSealApp } from '../../main/app/medseal-app.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { loadPolicy, policyPathFor } from '../../main/policy/load-policy.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { FakeHost } from '../helpers/fake-host.js';
import { clientFor, TEST_ORIGIN } from '../helpers/app-client.js';
import { tempFolder } from '../helpers/temp-folder.js';

const PASS = 'correct horse battery staple';
const apps: MedSealApp[] = [];
afterEach(() => apps.splice(0).forEach((app) => app.close()));
beforeAll(async () => {
  await loadSodium();
});

async function policyFile(content: unknown, mode = 0o644): Promise<string> {
  const path = join(await tempFolder(), 'policy.json');
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  await chmod(path, mode);
  return path;
}

async function appWith(policyPath: string) {
  const host = new FakeHost();
  const app = createMedSealApp({
    kdf: KDF_FLOOR,
    folder: new ProfileFolder(join(await tempFolder(), 'p')),
    host,
    jobs: new InProcessPackageJobs(),
    origin: TEST_ORIGIN,
    policy: await loadPolicy(policyPath),
  });
  apps.push(app);
  return { app, host, call: clientFor(app).call };
}

describe('loading the policy file', () => {
  it('per-OS locations', () => {
    expect(policyPathFor('linux')).toBe('/etc/medseal/policy.json');
    expect(policyPathFor('darwin')).toBe('/Library/Application Support/MedSeal/policy.json');
    expect(policyPathFor('win32', () => 'D:\\ProgramData')).toBe('D:\\ProgramData\\MedSeal\\policy.json');
  });

  it('Windows: a ProgramData set by the user in the environment is ignored (security review, medium 9)', () => {
    const before = process.env.ProgramData;
    process.env.ProgramData = 'C:\\Users\\mallory\\no-policy-here';
    try {
      expect(policyPathFor('win32', () => 'C:\\ProgramData')).toBe('C:\\ProgramData\\MedSeal\\policy.json');
      expect(policyPathFor('win32', () => null)).toBe('C:\\ProgramData\\MedSeal\\policy.json'); // registry unreadable: the fixed default, never the environment
      expect(policyPathFor('win32', () => '%ProgramData%')).toBe('C:\\ProgramData\\MedSeal\\policy.json'); // an unexpanded value is not trusted either
    } finally {
      if (before === undefined) delete process.env.ProgramData;
      else process.env.ProgramData = before;
    }
  });

  it('no file: defaults, nothing managed; a valid file: its keys are managed', async () => {
    expect(await loadPolicy(join(await tempFolder(), 'none.json'))).toMatchObject({ state: 'none', managed: [] });
    const state = await loadPolicy(await policyFile({ maxAutoLockMinutes: 5, requireVerifiedRecipients: true }), {
      checkPermissions: false,
    });
    expect(state).toMatchObject({
      state: 'ok',
      managed: ['maxAutoLockMinutes', 'requireVerifiedRecipients'],
      effective: { maxAutoLockMinutes: 5, requireVerifiedRecipients: true, allowRememberOnDevice: true },
    });
  });

  it.each([
    ['an unknown key (a typo)', { maxAutolockMinutes: 5 }, /Unrecognized key/i],
    ['a value out of range', { maxAutoLockMinutes: 600 }, /maxAutoLockMinutes/],
    ['a relative folder', { exchangeFolders: ['share'] }, /absolute path/],
    ['not JSON', '{ maxAutoLockMinutes: 5', /not readable/],
  ])('%s fails closed with the reason', async (_label, content, reason) => {
    const state = await loadPolicy(await policyFile(content), { checkPermissions: false });
    expect(state.state).toBe('error');
    expect(state.state === 'error' && state.problem).toMatch(reason);
  });

  it.runIf(process.getuid?.() === 0)(
    'on Linux and macOS the file must be root-owned and not writable by others',
    async () => {
      expect(
        await loadPolicy(await policyFile({ maxAutoLockMinutes: 5 }, 0o664), {
          checkPermissions: true,
          platform: 'linux',
        }),
      ).toMatchObject({
        state: 'error',
        problem: expect.stringMatching(/group or others/),
      });
      const foreign = await policyFile({ maxAutoLockMinutes: 5 });
      await chown(foreign, 1000, 1000);
      expect(await loadPolicy(foreign, { checkPermissions: true, platform: 'linux' })).toMatchObject({
        state: 'error',
        problem: expect.stringMatching(/owned by root/),
      });
      expect(
        await loadPolicy(await policyFile({ maxAutoLockMinutes: 5 }), { checkPermissions: true, platform: 'linux' }),
      ).toMatchObject({ state: 'ok' });
    },
  );
});

describe('the app under a policy', () => {
  it('a broken policy blocks everything but the status screen, which says what is wrong and where', async () => {
    const path = await policyFile({ maxAutoLockMinutes: 'five' });
    const { call } = await appWith(path);
    const status = await call('session.status');
    expect(status.state).toBe('policy-error');
    expect(status.policy.problem).toContain(path);
    await expect(
      call('identity.create', { name: 'A', organisation: 'B', role: '', email: 'a@b.example', passphrase: PASS }),
    ).rejects.toMatchObject({ code: 'POLICY_ERROR' });
    await expect(call('contacts.list')).rejects.toMatchObject({ code: 'POLICY_ERROR' });
  });

  it('enforces auto-lock maximum, passphrase length, remembering, recipients and managed exchange folders', async () => {
    const shared = join(await tempFolder(), 'org-share');
    await mkdir(shared);
    const { call } = await appWith(
      await policyFile({
        maxAutoLockMinutes: 5,
        minPassphraseLength: 20,
        allowRememberOnDevice: false,
        requireVerifiedRecipients: true,
        allowedRecipientDomains: ['clinic.example'],
        exchangeFolders: [shared],
      }),
    );
    await expect(
      call('identity.create', {
        name: 'A',
        organisation: 'B',
        role: '',
        email: 'a@b.example',
        passphrase: 'only fifteen ch',
      }),
    ).rejects.toMatchObject({ code: 'WEAK_PASSPHRASE' });
    await call('identity.create', {
      name: 'Alice',
      organisation: 'General',
      role: '',
      email: 'alice@general.example',
      passphrase: 'a passphrase long enough for policy',
    });
    const status = await call('session.status');
    expect(status).toMatchObject({
      autoLockMinutes: 5,
      remember: { available: false, reason: 'your organisation has turned this off' },
      policy: { managed: expect.arrayContaining(['maxAutoLockMinutes']), requireVerifiedRecipients: true },
    });
    await expect(call('settings.setAutoLock', { minutes: 10 })).rejects.toMatchObject({
      code: 'MANAGED_BY_ORGANISATION',
    });
    expect(await call('settings.setAutoLock', { minutes: 3 })).toEqual({ minutes: 3 });
    expect(await call('exchange.list')).toMatchObject([{ name: shared, kind: 'folder', managed: true }]);
    await expect(call('exchange.remove', { name: shared })).rejects.toMatchObject({ code: 'MANAGED_BY_ORGANISATION' });
  });
});
