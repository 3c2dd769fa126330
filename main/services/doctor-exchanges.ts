/**
 * `medseal doctor`'s lines for the exchanges. With the identity unlocked,
 * every exchange (the organisation's and the person's own, shared folders
 * and SFTP servers) is tried as a delivery would use it
 * (delivery/exchange-check.ts), and a failing one is named with the next
 * step. Without the passphrase no SFTP login and no user-added exchange
 * can be tried: the policy's folders are looked at, and a warning says what
 * was not tested, so that "OK" is never said of an exchange nobody tried.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { EXCHANGE_STEP_FAILED, EXCHANGE_STEP_PASSED } from '../texts/exchange-check-texts.js';
import type { ExchangeCheck } from './delivery/exchange-check.js';
import { check, reasonOf, warn, type HealthCheck } from './health-check.js';

/** What the front end could find out about the exchanges before the health check. */
export type ExchangeTests =
  | { readonly state: 'tested'; readonly checks: readonly ExchangeCheck[] }
  | { readonly state: 'not-tested'; readonly reason: 'no-passphrase' }
  | { readonly state: 'not-tested'; readonly reason: 'unlock-failed'; readonly problem: string };

/** How a `medseal` command is written for this run (the CLI keeps the run's --home). */
export type CommandLine = (rest: string) => string;

/** One line per exchange: every step that passed, or the one that failed with its words and the next step. */
export function exchangeCheckLines(checks: readonly ExchangeCheck[], commandLine: CommandLine): HealthCheck[] {
  return checks.map((tried) => {
    const passed = tried.passed.map((step) => EXCHANGE_STEP_PASSED[step]).join(', ');
    if (!tried.failed) return check(`exchange ${tried.label}`, true, passed);
    const { step, message, next } = tried.failed;
    const run = next.command ? ` Run: ${commandLine(next.command)}` : '';
    return check(
      `exchange ${tried.label}`,
      false,
      `${passed ? `${passed}; ` : ''}${EXCHANGE_STEP_FAILED[step]}: ${message} Next: ${next.words}${run}`,
    );
  });
}

/** Without the identity unlocked: whether the policy's folders can be read and written, and why nothing more was tried. */
export async function untestedExchangeLines(
  policyFolders: readonly string[],
  tests: Exclude<ExchangeTests, { state: 'tested' }> | null,
): Promise<HealthCheck[]> {
  const lines = await Promise.all(
    policyFolders.map(async (folder) => {
      const problem = await access(folder, constants.R_OK | constants.W_OK).then(() => null, reasonOf);
      return check(
        `exchange folder ${folder}`,
        problem === null,
        problem === null
          ? 'readable and writable'
          : `not reachable or not writable (${problem}: check the share is mounted and permissions)`,
      );
    }),
  );
  if (tests?.reason === 'no-passphrase')
    lines.push(
      warn(
        'exchanges',
        'not tried: logging in to them and finding your inbox needs your passphrase (give --passphrase-file or MEDSEAL_PASSPHRASE, or run doctor in a terminal)',
      ),
    );
  if (tests?.reason === 'unlock-failed')
    lines.push(check('exchanges', false, `not tried: the identity did not unlock (${tests.problem})`));
  return lines;
}
