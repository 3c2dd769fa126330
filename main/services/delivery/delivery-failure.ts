/**
 * How a delivery ends for the person, decided once for the CLI, the batch,
 * the hot folder and the app: a changed host key is the error (possible
 * interception; exit 6), whatever else happened; then recipients no
 * exchange reaches ("send it another way"); a queued delivery is no
 * failure (it will be tried again). The problems told beside the outcome
 * leave out an exchange a queued delivery waits for, so the person never
 * reads both "will be tried again" and "send it another way".
 */
import { codeOf, type MedSealError, isMedSealError } from '../../errors/medseal-error.js';
import type { QueuedDelivery } from './delivery-queue.js';
import { RecipientsNotReached } from './errors.js';

/** HostKeyChanged's code: compared by code, since errors from a transport worker arrive as JobFailed. */
export const HOST_KEY_CHANGED = 'HOST_KEY_CHANGED';

interface Problem {
  readonly exchange: string;
  readonly error: Error;
}

/** The error a delivery ends with, or null when everyone was reached or queued. `unreached` are names. */
export function deliveryFailure(problems: readonly Problem[], unreached: readonly string[]): MedSealError | null {
  const hostKey = problems.find((problem) => codeOf(problem.error) === HOST_KEY_CHANGED)?.error;
  if (hostKey && isMedSealError(hostKey)) return hostKey;
  return unreached.length > 0 ? new RecipientsNotReached(unreached, []) : null;
}

/** The problems to tell besides the outcome: not the error it ends with, nor those of exchanges a queued delivery waits for. */
export function problemsToTell(
  problems: readonly Problem[],
  queued: readonly Pick<QueuedDelivery, 'exchange'>[],
  failure: Error | null,
): Problem[] {
  const told = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.exchange}\n${codeOf(problem.error)}`;
    if (problem.error === failure || queued.some((entry) => entry.exchange === problem.exchange) || told.has(key))
      return false;
    told.add(key);
    return true;
  });
}
