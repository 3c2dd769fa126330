/**
 * Spawned CLIs must see the policy the test chose, never the machine's: an
 * IT administrator's workstation (or CI with a hostile policy in place) has
 * an `/etc/medseal/policy.json` that would change what the CLI does. Where
 * that folder exists, each CLI runs in a private mount namespace in which an
 * empty folder (or the test's own policy folder) is mounted over it; this
 * needs root and util-linux's `unshare` (CI runs as root). Elsewhere, with a
 * machine policy in place, the spawned-CLI suites are skipped and say why.
 * The shipped CLI has no switch for another policy file: that would let a
 * user leave the organisation's policy behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';

export const MACHINE_POLICY_FOLDER = '/etc/medseal';

let emptyFolder: string | undefined;

/** Why spawned CLIs cannot be kept from the machine's policy here, or null when they can (or there is none). */
export function policyIsolationUnavailable(): string | null {
  if (process.platform !== 'linux' || !existsSync(MACHINE_POLICY_FOLDER)) return null; // nothing to hide
  if (process.getuid?.() !== 0)
    return `${MACHINE_POLICY_FOLDER} exists and only root can hide it from the CLI under test (private mount namespace)`;
  if (spawnSync('sh', ['-c', 'command -v unshare && command -v mount']).status !== 0)
    return 'hiding the machine policy needs unshare and mount (util-linux)';
  return null;
}

/**
 * The command and arguments that run `argv` (a node script and its arguments) with `policyFolder`
 * (default: an empty one) in place of the machine's policy folder.
 */
export function underTestPolicy(argv: readonly string[], policyFolder?: string): [string, string[]] {
  if (process.platform !== 'linux' || !existsSync(MACHINE_POLICY_FOLDER) || process.getuid?.() !== 0)
    return [process.execPath, [...argv]];
  const folder = policyFolder ?? (emptyFolder ??= mkdtempSync(join(tmpdir(), 'medseal-no-policy-')));
  // `exec` keeps one process id from unshare to node, so a test can signal or kill it.
  const script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"';
  return [
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      script,
      'medseal-test',
      folder,
      MACHINE_POLICY_FOLDER,
      process.execPath,
      ...argv,
    ],
  ];
}

/** "No policy on this machine", for the front ends run in-process (the app's shell, runCli). */
export function noMachinePolicy(): Promise<PolicyState> {
  return Promise.resolve({
    state: 'none',
    source: 'test (no machine policy)',
    effective: { ...POLICY_DEFAULTS },
    managed: [],
  });
}
