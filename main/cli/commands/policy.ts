/** `medseal policy show`: the effective policy and where each value comes from. */
import type { Command } from 'commander';
import { loadPolicy } from '../../policy/load-policy.js';
import { MACOS_MANAGED_PREFERENCES, WINDOWS_POLICY_KEY } from '../../policy/os-managed-policy.js';
import { PolicyBlocked } from '../../services/policy-gate.js';
import { createHash } from 'node:crypto';
import { isMedSealError } from '../../errors/medseal-error.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { parseRecoveryCard } from '../../org-recovery/recovery-key.js';
import { formatBytes } from '../../texts/sizes.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';

/** A value longer than this (a 3.8 KB orgRecoveryKey) is shown by a short fingerprint, not printed whole. */
const LONGEST_SHOWN = 120;

/**
 * A policy value as a line shows it: the value, or for a long text a fingerprint to compare (the
 * recovery key's own, as `org recovery init` printed it; else the start of its SHA-256) and its size.
 */
function shownValue(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (typeof value !== 'string' || value.length <= LONGEST_SHOWN) return json;
  const size = formatBytes(Buffer.byteLength(value));
  if (key === 'orgRecoveryKey') {
    try {
      const card = parseRecoveryCard(value);
      return `fingerprint ${fingerprintHex(card.fingerprint).slice(0, 16)}… (${size}: ${card.profile.organisation}'s recovery key)`;
    } catch (error) {
      if (!isMedSealError(error)) throw error; // not a card: shown by its hash below
    }
  }
  return `sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 16)}… (${size})`;
}

export function registerPolicyCommands(program: Command, handle: Handle): void {
  const policy = program.command('policy').description('the machine-wide policy set by IT');
  const show = policy
    .command('show')
    .description('print the effective policy and where each value comes from')
    .option(
      '--policy-file <file>',
      'read this file instead of the machine-wide one (to check a file before deploying it)',
    );
  handle(show, async (context) => {
    const options = show.opts<{ policyFile?: string }>();
    const state = options.policyFile
      ? await loadPolicy(options.policyFile, { checkPermissions: false })
      : await context.machinePolicy();
    if (state.state === 'error') throw new PolicyBlocked(state.source, state.problem);
    const values = Object.entries(state.effective).map(([key, value]) => ({
      key,
      value,
      from: (state.managed as readonly string[]).includes(key) ? state.source : 'default',
    }));
    context.out.result({ source: state.source, present: state.state === 'ok', values }, () => [
      state.state === 'ok'
        ? `Policy from ${sourceKind(state.source)}: ${state.source}`
        : `No policy (no managed settings, no file at ${state.source}): defaults apply.`,
      ...values.map(
        (entry) =>
          `  ${entry.key.padEnd(26)} ${forTerminal(shownValue(entry.key, entry.value)).padEnd(30)} (${entry.from})`,
      ),
    ]);
  });
}

/** Where a policy came from, in IT's words. */
function sourceKind(source: string): string {
  if (source === WINDOWS_POLICY_KEY) return 'Group Policy (registry)';
  if (source === MACOS_MANAGED_PREFERENCES) return 'managed preferences (configuration profile)';
  return 'the policy file';
}
