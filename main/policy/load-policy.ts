/**
 * Reads the machine-wide policy file (Bitwarden-style per-OS managed
 * settings). On Linux and macOS it must belong to root and not be writable
 * by group or others, or any user could loosen it. Any error fails closed:
 * the caller gets the exact problem and where, never a silently ignored file.
 */
import { readFile, stat } from 'node:fs/promises';
import { win32 } from 'node:path';
import { machineProgramData, readMachineRegistry, type RegistryReader } from './windows-folders.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { POLICY_DEFAULTS, PolicySchema, type EffectivePolicy, type Policy } from './policy-schema.js';

/** The machine-wide policy file; on Windows under the registry's ProgramData, never the user's %ProgramData%. */
export function policyPathFor(platform: NodeJS.Platform = process.platform, readRegistry: RegistryReader = readMachineRegistry): string {
  if (platform === 'win32') return win32.join(machineProgramData(readRegistry), 'MedSeal', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/MedSeal/policy.json';
  return '/etc/medseal/policy.json';
}

export type PolicyState =
  | { readonly state: 'none'; readonly source: string; readonly effective: EffectivePolicy; readonly managed: readonly (keyof Policy)[] }
  | { readonly state: 'ok'; readonly source: string; readonly effective: EffectivePolicy; readonly managed: readonly (keyof Policy)[] }
  | { readonly state: 'error'; readonly source: string; readonly problem: string };

export async function loadPolicy(path: string = policyPathFor(), options: { requireRootOwner?: boolean } = {}): Promise<PolicyState> {
  const requireRoot = options.requireRootOwner ?? process.platform !== 'win32';
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { state: 'error', source: path, problem: 'it is not a file' };
    if (requireRoot && info.uid !== 0) return { state: 'error', source: path, problem: 'it must be owned by root (any user could change it otherwise)' };
    if (requireRoot && (info.mode & 0o022) !== 0) return { state: 'error', source: path, problem: 'it must not be writable by group or others (chmod 644)' };
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'none', source: path, effective: { ...POLICY_DEFAULTS }, managed: [] };
    return { state: 'error', source: path, problem: 'it cannot be read' };
  }
  const parsed = parseStrictJson(text, PolicySchema);
  if (!parsed.ok) return { state: 'error', source: path, problem: parsed.problem };
  const policy = parsed.value;
  const managed = Object.keys(policy) as (keyof Policy)[];
  return { state: 'ok', source: path, effective: { ...POLICY_DEFAULTS, ...stripUndefined(policy) }, managed };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
