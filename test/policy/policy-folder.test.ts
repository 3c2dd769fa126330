/**
 * Second review, item 11: the policy file was checked, its folder was not.
 * A root-owned 0644 policy.json in a folder others may write (or below one)
 * can be renamed away and replaced by a looser policy. The file and every
 * folder above it (as named, and as its symbolic links lead) must be owned
 * by root and not writable by group or others unless sticky; on Windows the
 * same for the folder and each folder above it; on macOS the managed
 * preferences file too. Temp folders stand in for /etc/medseal: the test's
 * own account is trusted alongside root, so nothing here needs the real one.
 */
import { chmod, chown, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMachinePolicy, loadPolicy } from '../../main/policy/load-policy.js';
import { foldersAbove, posixPolicyPlaceProblem } from '../../main/policy/policy-folder.js';
import { windowsFoldersAbove, windowsPolicyAclProblem, type AclReader } from '../../main/policy/windows-acl.js';
import { tempFolder } from '../helpers/temp-folder.js';

const me = process.getuid?.() ?? 0;
const trustedUids = [0, me];

/** <temp>/etc/medseal/policy.json, folders 0755, file 0644, as IT would set them up. */
async function policyTree() {
  const root = await tempFolder();
  await chmod(root, 0o755);
  const etc = join(root, 'etc');
  const folder = join(etc, 'medseal');
  await mkdir(folder, { recursive: true, mode: 0o755 });
  const file = join(folder, 'policy.json');
  await writeFile(file, JSON.stringify({ maxAutoLockMinutes: 5 }), { mode: 0o644 });
  return { root, etc, folder, file };
}

describe.skipIf(process.platform === 'win32')('the policy file’s folders (Linux and macOS)', () => {
  it('a policy in safe folders loads; the folders checked go up to /', async () => {
    const { file, folder } = await policyTree();
    expect(await loadPolicy(file, { platform: 'linux', trustedUids })).toMatchObject({
      state: 'ok',
      effective: { maxAutoLockMinutes: 5 },
    });
    expect(foldersAbove(file)[0]).toBe(folder);
    expect(foldersAbove(file).at(-1)).toBe('/');
  });

  it('its own folder writable by the group: refused, naming the folder', async () => {
    const { file, folder } = await policyTree();
    await chmod(folder, 0o775);
    const state = await loadPolicy(file, { platform: 'linux', trustedUids });
    expect(state).toMatchObject({
      state: 'error',
      source: file,
      problem: expect.stringContaining(`the folder ${folder} must not be writable by group or others`),
    });
  });

  it('a folder further up writable by others: refused; the same with the sticky bit is safe', async () => {
    const { file, etc } = await policyTree();
    await chmod(etc, 0o777);
    expect(await loadPolicy(file, { platform: 'darwin', trustedUids })).toMatchObject({
      state: 'error',
      problem: expect.stringContaining(`the folder ${etc} must not be writable`),
    });
    await chmod(etc, 0o1777);
    expect(await loadPolicy(file, { platform: 'darwin', trustedUids })).toMatchObject({ state: 'ok' });
  });

  it('a policy reached through a symbolic link is checked where the link leads', async () => {
    const { root } = await policyTree();
    const unsafe = join(root, 'scratch');
    await mkdir(join(unsafe, 'medseal'), { recursive: true });
    await chmod(unsafe, 0o777);
    await writeFile(join(unsafe, 'medseal', 'policy.json'), '{}', { mode: 0o644 });
    const link = join(root, 'etc-link');
    await symlink(join(unsafe, 'medseal'), link);
    expect(await posixPolicyPlaceProblem(join(link, 'policy.json'), { trustedUids })).toContain(
      `the folder ${unsafe} must not be writable`,
    );
  });

  it.runIf(me === 0)('a folder owned by another account: refused, even when its mode is 0755', async () => {
    const { file, folder, etc } = await policyTree();
    await chown(folder, 1000, 1000);
    expect(await loadPolicy(file, { platform: 'linux' })).toMatchObject({
      state: 'error',
      problem: expect.stringContaining(`the folder ${folder} must be owned by root`),
    });
    await chown(folder, 0, 0);
    await chown(etc, 1000, 1000);
    expect(await loadPolicy(file, { platform: 'linux' })).toMatchObject({
      state: 'error',
      problem: expect.stringContaining(`the folder ${etc} must be owned by root`),
    });
    await chown(etc, 0, 0);
    expect(await loadPolicy(file, { platform: 'linux' })).toMatchObject({ state: 'ok' });
  });

  it('macOS managed preferences in a folder others may write: refused', async () => {
    const { file, folder } = await policyTree();
    const managed = () => ({ found: true as const, values: { requirePostQuantum: true } });
    expect(
      await loadMachinePolicy({ platform: 'darwin', readManaged: managed, managedFile: file, trustedUids }),
    ).toMatchObject({ state: 'ok' });
    await chmod(folder, 0o777);
    const state = await loadMachinePolicy({ platform: 'darwin', readManaged: managed, managedFile: file, trustedUids });
    expect(state).toMatchObject({
      state: 'error',
      problem: expect.stringContaining(`the folder ${folder} must not be writable`),
    });
  });
});

describe('the Windows policy file’s folders above', () => {
  const FILE = 'O:BAG:DUD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)';
  const FOLDER =
    'O:BAG:DUD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;0x100116;;;BU)(A;OICIIOID;GA;;;CO)';
  /** C:\ProgramData as Windows installs it: Users may add files and folders, not delete others'. */
  const PROGRAM_DATA =
    'O:SYG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)(A;CI;0x100116;;;BU)';
  /** C:\ as Windows installs it. */
  const DRIVE =
    'O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464D:PAI(A;OICIIO;SDGXGWGR;;;AU)(A;;LC;;;AU)(A;OICI;FA;;;SY)(A;OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)(A;OICI;FA;;;BA)';
  const reader =
    (above: Record<string, string>): AclReader =>
    (_file, _folder, paths) => ({ file: FILE, folder: FOLDER, above: paths.map((path) => above[path] ?? 'unknown') });

  it('lists every folder up to the drive', () => {
    expect(windowsFoldersAbove('C:\\ProgramData\\MedSeal')).toEqual(['C:\\ProgramData', 'C:\\']);
  });

  it('ProgramData and the drive as Windows sets them up pass', () => {
    expect(
      windowsPolicyAclProblem(
        'C:\\ProgramData\\MedSeal\\policy.json',
        'C:\\ProgramData\\MedSeal',
        reader({ 'C:\\ProgramData': PROGRAM_DATA, 'C:\\': DRIVE }),
      ),
    ).toBeNull();
  });

  it.each([
    [
      'Users may delete folders in ProgramData (rename MedSeal away)',
      'O:SYG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;;0x1301ff;;;BU)',
      /S-1-5-32-545 may delete or rename what the folder C:\\ProgramData above it holds/,
    ],
    [
      'ProgramData owned by a user',
      'O:S-1-5-21-1-2-3-1001G:SYD:P(A;OICI;FA;;;SY)',
      /the folder C:\\ProgramData above it must be owned by Administrators or SYSTEM/,
    ],
    ['a folder above that cannot be read', 'garbage', /cannot be checked/],
  ])('%s: refused', (_label, programData, reason) => {
    expect(
      windowsPolicyAclProblem(
        'C:\\ProgramData\\MedSeal\\policy.json',
        'C:\\ProgramData\\MedSeal',
        reader({ 'C:\\ProgramData': programData, 'C:\\': DRIVE }),
      ),
    ).toMatch(reason);
  });

  it('a reader that leaves a folder out fails closed', () => {
    expect(
      windowsPolicyAclProblem('C:\\ProgramData\\MedSeal\\policy.json', 'C:\\ProgramData\\MedSeal', () => ({
        file: FILE,
        folder: FOLDER,
        above: [PROGRAM_DATA],
      })),
    ).toMatch(/cannot be checked/);
  });
});
