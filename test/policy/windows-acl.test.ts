/**
 * Security review, medium 9: on Windows only Administrators, SYSTEM and
 * TrustedInstaller may own, change or replace the policy file. The
 * descriptors below are what Get-Acl's .Sddl prints for the layouts an
 * attacker or a careless setup produces.
 */
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPolicy } from '../../main/policy/load-policy.js';
import { parseSddl, policyAclProblem, windowsPolicyAclProblem, type AclReader } from '../../main/policy/windows-acl.js';
import { tempFolder } from '../helpers/temp-folder.js';

const USER = 'S-1-5-21-1004336348-1177238915-682003330-1001';
/** C:\ProgramData\MedSeal made by an administrator: Users inherit "create files" (CI only) on the folder and read on the file. */
const ADMIN_FOLDER =
  'O:BAG:DUD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;0x100116;;;BU)(A;OICIIOID;GA;;;CO)';
const ADMIN_FILE = 'O:BAG:DUD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)';

/** The folders above (ProgramData, the drive) as an administrator left them: only SYSTEM and Administrators may change them. */
const reader =
  (file: string, folder: string): AclReader =>
  (_file, _folder, above) => ({
    file,
    folder,
    above: above.map(() => 'O:SYG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)'),
  });

describe('the Windows policy file: who may change it', () => {
  it('a file an administrator placed in ProgramData\\MedSeal passes', () => {
    expect(
      windowsPolicyAclProblem(
        'C:\\ProgramData\\MedSeal\\policy.json',
        'C:\\ProgramData\\MedSeal',
        reader(ADMIN_FILE, ADMIN_FOLDER),
      ),
    ).toBeNull();
    expect(
      windowsPolicyAclProblem(
        'p',
        'f',
        reader(
          'O:SYG:SYD:PAI(A;;FA;;;SY)(A;;FR;;;WD)',
          'O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:SYD:P(A;;FA;;;SY)',
        ),
      ),
    ).toBeNull();
  });

  it.each([
    [
      'a file a user created (they own it)',
      `O:${USER}G:DUD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;FA;;;${USER})`,
      ADMIN_FOLDER,
      /owned by Administrators or SYSTEM, not S-1-5-21/,
    ],
    ['Users may modify the file', 'O:BAG:DUD:AI(A;;0x1301bf;;;BU)(A;ID;FA;;;BA)', ADMIN_FOLDER, /S-1-5-32-545 may/],
    ['Everyone has generic write', 'O:BAG:DUD:(A;;GW;;;WD)', ADMIN_FOLDER, /S-1-1-0 may/],
    ['Authenticated users may re-permission it', 'O:BAG:DUD:(A;;WD;;;AU)', ADMIN_FOLDER, /S-1-5-11 may/],
    [
      'a user may delete files in its folder (replace it)',
      ADMIN_FILE,
      'O:BAG:DUD:(A;;FA;;;BA)(A;;0x1301bf;;;BU)',
      /delete files in its folder/,
    ],
    [
      'the folder a user made before IT did',
      ADMIN_FILE,
      `O:${USER}G:DUD:AI(A;ID;FA;;;SY)(A;ID;FA;;;${USER})`,
      /folder must be owned/,
    ],
  ])('%s: refused', (_label, file, folder, reason) => {
    expect(windowsPolicyAclProblem('p', 'f', reader(file, folder))).toMatch(reason);
  });

  it('entries that cannot grant a right to this file are not counted: inherit-only, deny, creator owner on the folder', () => {
    const descriptor = parseSddl('O:BAG:SYD:(D;;FA;;;WD)(A;OICIIO;GA;;;BU)(A;;FR;;;BU)');
    expect(descriptor?.allows).toEqual([{ trustee: 'S-1-5-32-545', mask: 0x120089 }]);
    expect(policyAclProblem(parseSddl(ADMIN_FILE)!, parseSddl('O:BAG:DUD:(A;;FA;;;BA)(A;;GA;;;CO)')!)).toBeNull();
  });

  it('what cannot be read or parsed fails closed', () => {
    expect(windowsPolicyAclProblem('p', 'f', () => null)).toMatch(/cannot be checked/);
    expect(windowsPolicyAclProblem('p', 'f', reader('garbage', ADMIN_FOLDER))).toMatch(/cannot be checked/);
    expect(windowsPolicyAclProblem('p', 'f', reader('O:BAG:DUD:(A;;QQ;;;BU)', ADMIN_FOLDER))).toMatch(
      /cannot be checked/,
    );
    expect(windowsPolicyAclProblem('p', 'f', reader('O:BAG:DUD:(A;;FA)', ADMIN_FOLDER))).toMatch(/cannot be checked/);
  });

  it('loadPolicy on Windows refuses a policy file users can change and reads one they cannot', async () => {
    const path = join(await tempFolder(), 'policy.json');
    await writeFile(path, JSON.stringify({ maxAutoLockMinutes: 5 }));
    const loose = await loadPolicy(path, {
      platform: 'win32',
      readAcl: reader('O:BAG:DUD:(A;;FA;;;BA)(A;;0x1301bf;;;BU)', ADMIN_FOLDER),
    });
    expect(loose).toMatchObject({
      state: 'error',
      problem: expect.stringMatching(/only Administrators and SYSTEM may change it/),
    });
    const locked = await loadPolicy(path, { platform: 'win32', readAcl: reader(ADMIN_FILE, ADMIN_FOLDER) });
    expect(locked).toMatchObject({ state: 'ok', effective: { maxAutoLockMinutes: 5 } });
  });
});
