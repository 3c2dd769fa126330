/** `medseal policy show`: the effective policy and where each value comes from. */
import type { Command } from 'commander';
import { loadPolicy, policyPathFor } from '../../policy/load-policy.js';
import { PolicyBlocked } from '../../services/policy-gate.js';
import type { Handle } from './identity.js';

export function registerPolicyCommands(program: Command, handle: Handle): void {
  const policy = program.command('policy').description('the machine-wide policy set by IT');
  const show = policy
    .command('show')
    .description('print the effective policy and where each value comes from')
    .option('--policy-file <file>', 'read this file instead of the machine-wide one (to check a file before deploying it)');
  handle(show, async (context) => {
    const options = show.opts<{ policyFile?: string }>();
    const source = options.policyFile ?? policyPathFor();
    const state = await loadPolicy(source, { checkPermissions: !options.policyFile });
    if (state.state === 'error') throw new PolicyBlocked(state.source, state.problem);
    const values = Object.entries(state.effective).map(([key, value]) => ({
      key,
      value,
      from: (state.managed as readonly string[]).includes(key) ? state.source : 'default',
    }));
    context.out.result({ source: state.source, present: state.state === 'ok', values }, () => [
      state.state === 'ok' ? `Policy file: ${state.source}` : `No policy file at ${state.source}: defaults apply.`,
      ...values.map((entry) => `  ${entry.key.padEnd(26)} ${JSON.stringify(entry.value).padEnd(30)} (${entry.from})`),
    ]);
  });
}
