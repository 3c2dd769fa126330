/**
 * Policy where IT's management tools put it: on Windows the Group Policy
 * registry key HKLM\Software\Policies\MedSeal (written by GPO, or by Intune
 * through ADMX ingestion: build/policy/), on macOS the managed preferences
 * a configuration profile installs. Both are writable by administrators
 * only. Values are read with the operating system's own tools at their
 * fixed paths (Windows PowerShell's Get-ItemProperty, which Constrained
 * Language Mode allows; macOS plutil, which reads binary and XML plists
 * alike), converted by the kinds of policy-catalogue.ts, and then validated
 * by the same PolicySchema as the JSON file: an unknown name, a wrong type
 * or a bad value is an error that blocks MedSeal (fail closed), never a
 * silently ignored setting.
 */
import { spawnSync } from 'node:child_process';
import { POLICY_CATALOGUE, type PolicyKind } from './policy-catalogue.js';

export const WINDOWS_POLICY_KEY = 'HKLM\\Software\\Policies\\MedSeal';
export const MACOS_BUNDLE_ID = 'org.medseal.app';
export const MACOS_MANAGED_PREFERENCES = `/Library/Managed Preferences/${MACOS_BUNDLE_ID}.plist`;

/** What the OS holds: nothing at all, the raw values by name, or a failure to read them (fail closed). */
export type ManagedValues =
  | { readonly found: false }
  | { readonly found: true; readonly values: Readonly<Record<string, unknown>> }
  | { readonly found: 'unreadable' };

export type ManagedReader = () => ManagedValues;

/** Raw values to the JSON shape PolicySchema checks; a problem in plain words when a value has the wrong type. */
export function policyFromManaged(
  values: Readonly<Record<string, unknown>>,
  where: 'registry' | 'plist',
): { ok: true; policy: Record<string, unknown> } | { ok: false; problem: string } {
  const policy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const entry = POLICY_CATALOGUE.find((candidate) => candidate.key === name);
    if (!entry) return { ok: false, problem: `unknown setting "${name}"` };
    const converted = convert(entry.kind, value, where);
    if (converted === undefined) return { ok: false, problem: `setting "${name}" ${expected(entry.kind, where)}` };
    policy[name] = converted;
  }
  return { ok: true, policy };
}

function convert(kind: PolicyKind, value: unknown, where: 'registry' | 'plist'): unknown {
  const isText = (item: unknown): item is string => typeof item === 'string';
  switch (kind) {
    case 'boolean':
      if (where === 'plist') return typeof value === 'boolean' ? value : undefined;
      return value === 0 ? false : value === 1 ? true : undefined;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
    case 'text':
      return isText(value) ? value : undefined;
    case 'texts':
      // PowerShell may give a one-line REG_MULTI_SZ as a plain string.
      if (where === 'registry' && isText(value)) return [value];
      return Array.isArray(value) && value.every(isText) ? value : undefined;
    case 'json':
      if (where === 'plist') return Array.isArray(value) ? value : undefined;
      if (!isText(value)) return undefined;
      try {
        return JSON.parse(value) as unknown;
      } catch (error) {
        if (error instanceof SyntaxError) return undefined; // not JSON: the value is refused, with what it must be
        throw error;
      }
  }
}

function expected(kind: PolicyKind, where: 'registry' | 'plist'): string {
  const registry: Record<PolicyKind, string> = {
    boolean: 'must be a REG_DWORD of 0 or 1',
    integer: 'must be a REG_DWORD',
    text: 'must be a REG_SZ',
    texts: 'must be a REG_MULTI_SZ (one value per line)',
    json: 'must be a REG_SZ holding JSON',
  };
  const plist: Record<PolicyKind, string> = {
    boolean: 'must be a boolean',
    integer: 'must be an integer',
    text: 'must be a string',
    texts: 'must be an array of strings',
    json: 'must be an array of dictionaries',
  };
  return where === 'registry' ? registry[kind] : plist[kind];
}

/**
 * HKLM\Software\Policies\MedSeal through Windows PowerShell at its fixed place. Get-ItemProperty
 * gives DWORDs as numbers, REG_SZ as strings and REG_MULTI_SZ as arrays; the key's absence is
 * said explicitly, so that a PowerShell failure is never mistaken for "no policy".
 */
export const readWindowsPolicyRegistry: ManagedReader = () => {
  const command = [
    "$key = 'HKLM:\\Software\\Policies\\MedSeal'",
    "if (-not (Test-Path -LiteralPath $key)) { 'ABSENT'; exit 0 }",
    '$item = Get-ItemProperty -LiteralPath $key -ErrorAction Stop',
    '$values = [ordered]@{}',
    "foreach ($property in $item.PSObject.Properties) { if ($property.Name -notin @('PSPath', 'PSParentPath', 'PSChildName', 'PSDrive', 'PSProvider')) { $values[$property.Name] = $property.Value } }",
    'ConvertTo-Json -InputObject $values -Compress -Depth 4',
  ].join('; ');
  const result = spawnSync(
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command],
    {
      encoding: 'utf8',
      windowsHide: true,
      timeout: 15_000,
      env: { SystemRoot: 'C:\\Windows' },
    },
  );
  return parseReaderOutput(result.status, result.stdout);
};

/** macOS: the managed preferences plist, converted to JSON by /usr/bin/plutil (binary or XML plists alike). */
export const readMacManagedPreferences: ManagedReader = () => {
  const result = spawnSync('/usr/bin/plutil', ['-convert', 'json', '-o', '-', MACOS_MANAGED_PREFERENCES], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (
    result.status !== 0 &&
    /No such file|does not exist|couldn.t be opened because there is no such file/i.test(
      `${result.stderr}${result.stdout}`,
    )
  )
    return { found: false };
  return parseReaderOutput(result.status, result.stdout);
};

/** What a reader printed: ABSENT, or a JSON object of values; anything else is unreadable. */
export function parseReaderOutput(status: number | null, stdout: string): ManagedValues {
  if (status !== 0) return { found: 'unreadable' };
  const text = stdout.trim();
  if (text === 'ABSENT') return { found: false };
  try {
    const values = JSON.parse(text) as unknown;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) return { found: 'unreadable' };
    return { found: true, values: values as Record<string, unknown> };
  } catch (error) {
    if (error instanceof SyntaxError) return { found: 'unreadable' }; // not JSON: blocks MedSeal (fail closed)
    throw error;
  }
}
