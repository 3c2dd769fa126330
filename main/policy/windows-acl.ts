/**
 * Who may change the policy file on Windows. The Linux check (owned by
 * root, not group/other-writable) has no stat() equivalent there, so the
 * file's and its folder's security descriptors are read as SDDL (Get-Acl's
 * `.Sddl`: SIDs and rights as letters, the same in every Windows language)
 * and parsed here. Only SYSTEM, Administrators and TrustedInstaller may own
 * the file or hold a right that changes, replaces or re-permissions it, and
 * the same holds for its folder and every folder above it up to the drive
 * (whoever may rename one of them can put another policy in its place).
 */
import { spawnSync } from 'node:child_process';
import { win32 } from 'node:path';

const SYSTEM = 'S-1-5-18';
const ADMINISTRATORS = 'S-1-5-32-544';
const TRUSTED_INSTALLER = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464';
const TRUSTED = new Set([SYSTEM, ADMINISTRATORS, TRUSTED_INSTALLER]);

/** The SDDL trustee aliases that can appear on a file (Microsoft's "SID strings" table). */
const ALIASES: Readonly<Record<string, string>> = {
  SY: SYSTEM,
  BA: ADMINISTRATORS,
  BU: 'S-1-5-32-545',
  BG: 'S-1-5-32-546',
  PU: 'S-1-5-32-547',
  WD: 'S-1-1-0',
  AU: 'S-1-5-11',
  IU: 'S-1-5-4',
  NU: 'S-1-5-2',
  AN: 'S-1-5-7',
  NS: 'S-1-5-20',
  LS: 'S-1-5-19',
  CO: 'S-1-3-0',
  CG: 'S-1-3-1',
  OW: 'S-1-3-4',
  AC: 'S-1-15-2-1',
};

/** Rights as SDDL letters (file and generic meanings of the same bits). */
const RIGHT_LETTERS: Readonly<Record<string, number>> = {
  GA: 0x10000000,
  GX: 0x20000000,
  GW: 0x40000000,
  GR: 0x80000000,
  FA: 0x1f01ff,
  FR: 0x120089,
  FW: 0x120116,
  FX: 0x1200a0,
  SD: 0x10000,
  RC: 0x20000,
  WD: 0x40000,
  WO: 0x80000,
  CC: 0x1,
  DC: 0x2,
  LC: 0x4,
  SW: 0x8,
  RP: 0x10,
  WP: 0x20,
  DT: 0x40,
  LO: 0x80,
  CR: 0x100,
};

const GENERIC_ALL = 0x10000000;
const GENERIC_WRITE = 0x40000000;
const DELETE = 0x10000;
const WRITE_DAC = 0x40000;
const WRITE_OWNER = 0x80000;
/** On the file: write data, append, write extended attributes, write attributes, and the standard rights above. */
const FILE_CHANGING = 0x2 | 0x4 | 0x10 | 0x100 | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL;
/** On its folder: delete a child (replace the file), delete or re-permission the folder itself. */
const FOLDER_CHANGING = 0x40 | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL;

/** The parts of an SDDL string this check needs. */
export interface SecurityDescriptor {
  readonly owner: string;
  readonly allows: readonly { readonly trustee: string; readonly mask: number }[];
}

/** Parses an SDDL string; null when it is not one (the caller then fails closed). */
export function parseSddl(sddl: string): SecurityDescriptor | null {
  const owner = /^O:([A-Z]{2}|S-1(?:-\d+)+)/.exec(sddl.trim());
  const dacl = /D:[A-Z]*((?:\([^()]*\))*)/.exec(sddl);
  if (!owner?.[1] || !dacl) return null;
  const allows: { trustee: string; mask: number }[] = [];
  for (const ace of dacl[1]?.match(/\(([^()]*)\)/g) ?? []) {
    const [type, flags, rights, , , trustee] = ace.slice(1, -1).split(';');
    if (type === undefined || flags === undefined || rights === undefined || trustee === undefined) return null;
    if (flags.includes('IO')) continue; // inherit-only: applies to children created later, not to this object
    if (type !== 'A' && type !== 'XA') continue; // deny and audit entries can only take rights away
    const mask = rightsMask(rights);
    if (mask === null) return null;
    allows.push({ trustee: sid(trustee), mask });
  }
  return { owner: sid(owner[1]), allows };
}

function sid(value: string): string {
  return ALIASES[value] ?? value;
}

function rightsMask(rights: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(rights)) return Number.parseInt(rights.slice(2), 16);
  if (rights.length % 2 !== 0) return null;
  let mask = 0;
  for (let i = 0; i < rights.length; i += 2) {
    const bits = RIGHT_LETTERS[rights.slice(i, i + 2)];
    if (bits === undefined) return null;
    mask |= bits;
  }
  return mask;
}

/** Why someone other than SYSTEM/Administrators could change or replace what this folder holds; null when nobody can. */
function folderAclProblem(folder: SecurityDescriptor, which: string, changes: string): string | null {
  if (!TRUSTED.has(folder.owner)) return `${which} must be owned by Administrators or SYSTEM, not ${folder.owner}`;
  const replacer = folder.allows.find(
    (ace) => !TRUSTED.has(ace.trustee) && ace.trustee !== ALIASES.CO && (ace.mask & FOLDER_CHANGING) !== 0,
  );
  if (replacer) return `only Administrators and SYSTEM may replace it, but ${replacer.trustee} may ${changes}`;
  return null;
}

/**
 * Why someone other than SYSTEM/Administrators could change the file through these descriptors; null when nobody can.
 * `above`: the folders above the file's folder, nearest first, up to the drive.
 */
export function policyAclProblem(
  file: SecurityDescriptor,
  folder: SecurityDescriptor,
  above: readonly { path: string; descriptor: SecurityDescriptor }[] = [],
): string | null {
  if (!TRUSTED.has(file.owner)) return `it must be owned by Administrators or SYSTEM, not ${file.owner}`;
  const writer = file.allows.find(
    (ace) => !TRUSTED.has(ace.trustee) && ace.trustee !== ALIASES.OW && (ace.mask & FILE_CHANGING) !== 0,
  );
  if (writer) return `only Administrators and SYSTEM may change it, but ${writer.trustee} may`;
  const own = folderAclProblem(folder, 'its folder', 'delete files in its folder');
  if (own) return own;
  for (const { path, descriptor } of above) {
    const problem = folderAclProblem(
      descriptor,
      `the folder ${path} above it`,
      `delete or rename what the folder ${path} above it holds`,
    );
    if (problem) return problem;
  }
  return null;
}

/** The folders above a Windows folder, nearest first, up to and with the drive (C:\ProgramData\MedSeal → C:\ProgramData, C:\). */
export function windowsFoldersAbove(folder: string): string[] {
  const above: string[] = [];
  for (let current = win32.dirname(folder); ; current = win32.dirname(current)) {
    if (above.at(-1) === current) return above;
    above.push(current);
  }
}

/** Reads the SDDL of the file, of its folder and of each folder above (in the order given); null when it cannot. */
export type AclReader = (
  file: string,
  folder: string,
  above: readonly string[],
) => { file: string; folder: string; above: readonly string[] } | null;

/**
 * Windows PowerShell at its fixed place (not through PATH). Only Get-Acl and a
 * property are used, which Constrained Language Mode allows; the paths travel in
 * the child's environment, never spliced into the command ("|" cannot be in a Windows path).
 */
export const readAclWithPowerShell: AclReader = (file, folder, above) => {
  const command =
    "foreach ($path in @($env:MEDSEAL_ACL_FILE, $env:MEDSEAL_ACL_FOLDER) + $env:MEDSEAL_ACL_ABOVE.Split('|')) { (Get-Acl -LiteralPath $path).Sddl }";
  const result = spawnSync(
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command],
    {
      encoding: 'utf8',
      windowsHide: true,
      timeout: 15_000,
      env: {
        SystemRoot: 'C:\\Windows',
        MEDSEAL_ACL_FILE: file,
        MEDSEAL_ACL_FOLDER: folder,
        MEDSEAL_ACL_ABOVE: above.join('|'),
      },
    },
  );
  if (result.status !== 0) return null;
  const [fileSddl, folderSddl, ...aboveSddl] = result.stdout.split(/\r?\n/).filter((line) => line.trim() !== '');
  return fileSddl && folderSddl && aboveSddl.length === above.length
    ? { file: fileSddl, folder: folderSddl, above: aboveSddl }
    : null;
};

/** The problem with the policy file's permissions, or null when only Administrators/SYSTEM can change it. Fails closed. */
export function windowsPolicyAclProblem(
  file: string,
  folder: string,
  read: AclReader = readAclWithPowerShell,
): string | null {
  const abovePaths = windowsFoldersAbove(folder);
  const raw = read(file, folder, abovePaths);
  if (!raw) return 'who may change it cannot be checked (Get-Acl in Windows PowerShell did not answer)';
  const fileDescriptor = parseSddl(raw.file);
  const folderDescriptor = parseSddl(raw.folder);
  const above = raw.above.map((sddl, index) => ({ path: abovePaths[index] ?? '', descriptor: parseSddl(sddl) }));
  if (
    !fileDescriptor ||
    !folderDescriptor ||
    raw.above.length !== abovePaths.length ||
    above.some((entry) => entry.descriptor === null)
  ) {
    return 'who may change it cannot be checked (its permissions, or those of a folder above it, could not be read)';
  }
  return policyAclProblem(
    fileDescriptor,
    folderDescriptor,
    above as { path: string; descriptor: SecurityDescriptor }[],
  );
}
