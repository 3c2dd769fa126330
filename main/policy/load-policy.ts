/**
 * Reads the machine-wide policy file (Bitwarden-style per-OS managed
 * settings). On Linux and macOS it and every folder above it must belong to
 * root and not be writable by group or others (policy-folder.ts); on Windows
 * only Administrators, SYSTEM and TrustedInstaller may own, change or
 * replace it, its folder or a folder above (windows-acl.ts), or any user
 * could loosen it. macOS managed preferences are held to the POSIX rule too.
 * Any error fails closed:
 * the caller gets the exact problem and where, never a silently ignored file.
 */
import { readFile, stat } from 'node:fs/promises';
import { isNodeError, isSystemError } from '../errors/node-error.js';
import { dirname, win32 } from 'node:path';
import { machineProgramData, readMachineRegistry, type RegistryReader } from './windows-folders.js';
import { windowsPolicyAclProblem, type AclReader } from './windows-acl.js';
import { posixPolicyPlaceProblem } from './policy-folder.js';
import { parseStrictJson, parseStrictValue, type StrictJsonResult } from '../validation/strict-json.js';
import {
  MACOS_MANAGED_PREFERENCES,
  policyFromManaged,
  readMacManagedPreferences,
  readWindowsPolicyRegistry,
  WINDOWS_POLICY_KEY,
  type ManagedReader,
} from './os-managed-policy.js';
import { POLICY_DEFAULTS, PolicySchema, type EffectivePolicy, type Policy } from './policy-schema.js';

/** The machine-wide policy file; on Windows under the registry's ProgramData, never the user's %ProgramData%. */
export function policyPathFor(
  platform: NodeJS.Platform = process.platform,
  readRegistry: RegistryReader = readMachineRegistry,
): string {
  if (platform === 'win32') return win32.join(machineProgramData(readRegistry), 'MedSeal', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/MedSeal/policy.json';
  return '/etc/medseal/policy.json';
}

export type PolicyState =
  | {
      readonly state: 'none';
      readonly source: string;
      readonly effective: EffectivePolicy;
      readonly managed: readonly (keyof Policy)[];
    }
  | {
      readonly state: 'ok';
      readonly source: string;
      readonly effective: EffectivePolicy;
      readonly managed: readonly (keyof Policy)[];
    }
  | { readonly state: 'error'; readonly source: string; readonly problem: string };

export interface PolicyLoadOptions {
  /** Check who may change the file (default: yes; off only for a file named explicitly on the command line). */
  readonly checkPermissions?: boolean;
  readonly platform?: NodeJS.Platform;
  /** Windows only: how the file's and folders' permissions are read (tests inject one). */
  readonly readAcl?: AclReader;
  /** Linux and macOS: the accounts that may own the file and the folders above it (root; tests add their own). */
  readonly trustedUids?: readonly number[];
}

export async function loadPolicy(
  path: string = policyPathFor(),
  options: PolicyLoadOptions = {},
): Promise<PolicyState> {
  const check = options.checkPermissions ?? true;
  const platform = options.platform ?? process.platform;
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { state: 'error', source: path, problem: 'it is not a file' };
    const problem = !check
      ? null
      : platform === 'win32'
        ? windowsPolicyAclProblem(path, dirname(path), options.readAcl)
        : await posixPolicyPlaceProblem(path, options);
    if (problem) return { state: 'error', source: path, problem };
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT'))
      return { state: 'none', source: path, effective: { ...POLICY_DEFAULTS }, managed: [] };
    return { state: 'error', source: path, problem: 'it cannot be read' };
  }
  return policyState(path, parseStrictJson(text, PolicySchema));
}

export interface MachinePolicyOptions extends PolicyLoadOptions {
  /** The policy file (default: policyPathFor the platform). */
  readonly filePath?: string;
  /** How the registry or managed preferences are read (tests inject one). */
  readonly readManaged?: ManagedReader;
  /** macOS: the managed preferences file whose owner and folders are checked (default: the real one, unless readManaged is injected). */
  readonly managedFile?: string;
}

/**
 * The machine's policy as IT manages it: on Windows the Group Policy key HKLM\Software\Policies\MedSeal
 * (GPO, Intune), on macOS the managed preferences of a configuration profile, whenever they exist;
 * otherwise (and always on Linux) the policy file. One source, never a mix: the managed source
 * replaces the file entirely. A managed source that cannot be read blocks MedSeal (fail closed).
 */
export async function loadMachinePolicy(options: MachinePolicyOptions = {}): Promise<PolicyState> {
  const platform = options.platform ?? process.platform;
  const managed =
    platform === 'win32'
      ? {
          source: WINDOWS_POLICY_KEY,
          where: 'registry' as const,
          read: options.readManaged ?? readWindowsPolicyRegistry,
        }
      : platform === 'darwin'
        ? {
            source: MACOS_MANAGED_PREFERENCES,
            where: 'plist' as const,
            read: options.readManaged ?? readMacManagedPreferences,
          }
        : null;
  if (managed) {
    const found = managed.read();
    if (found.found === 'unreadable')
      return { state: 'error', source: managed.source, problem: 'the managed settings cannot be read' };
    if (found.found) {
      const file =
        managed.where === 'plist' && (options.checkPermissions ?? true)
          ? (options.managedFile ?? (options.readManaged ? null : MACOS_MANAGED_PREFERENCES))
          : null;
      const problem =
        file === null
          ? null
          : await posixPolicyPlaceProblem(file, options).catch((error: unknown) => {
              if (!isSystemError(error)) throw error;
              return `who may change it cannot be checked (${error.code})`; // fail closed, with the reason
            });
      if (problem) return { state: 'error', source: managed.source, problem };
      // A configuration profile's own Payload* keys travel with the settings on macOS.
      const settings = Object.fromEntries(
        Object.entries(found.values).filter(([name]) => managed.where === 'registry' || !name.startsWith('Payload')),
      );
      const converted = policyFromManaged(settings, managed.where);
      return policyState(managed.source, converted.ok ? parseStrictValue(converted.policy, PolicySchema) : converted);
    }
  }
  return loadPolicy(options.filePath ?? policyPathFor(platform), options);
}

function policyState(source: string, parsed: StrictJsonResult<Policy>): PolicyState {
  if (!parsed.ok) return { state: 'error', source, problem: parsed.problem };
  const policy = parsed.value;
  const managed = Object.keys(policy) as (keyof Policy)[];
  return { state: 'ok', source, effective: { ...POLICY_DEFAULTS, ...stripUndefined(policy) }, managed };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
