/**
 * What the hot folder tells for each file (one JSON line of `medseal
 * watch`): sealed and delivered or queued, or failed with the code and the
 * words of its error; and for the delivery queue it works through, each
 * package delivered late or given up on. Never a path; the file's own name
 * only, as the person dropped it.
 */
import { codeOf, isMedSealError } from '../errors/medseal-error.js';
import { HOST_KEY_CHANGED } from './delivery/delivery-failure.js';
import type { RetryReport } from './delivery/delivery-queue.js';
import { RecipientsNotReached } from './delivery/errors.js';

export type HotFolderOutcome =
  | {
      readonly ok: true;
      readonly file: string;
      readonly to: string;
      readonly packageId: string;
      readonly delivered: number;
      /** Its exchange was down: it waits in the delivery queue and is tried again by itself (next try, in words). */
      readonly queued?: { readonly nextTryAt: string; readonly message: string };
      /** Delivered from the delivery queue, after an exchange that was down came back (`file` is then empty). */
      readonly retried?: true;
    }
  | {
      readonly ok: false;
      readonly file: string;
      readonly to: string;
      readonly code: string;
      readonly message: string;
      readonly packageId?: string;
      readonly retried?: true;
    };

const UNEXPECTED = 'An unexpected problem stopped this file; it was not sent.';
/** A file that failed: a MedSeal error in its own words, anything else as internal (its message could name a path). */
export function failed(file: string, to: string, error: unknown): HotFolderOutcome & { ok: false } {
  if (isMedSealError(error)) return { ok: false, file, to, code: error.code, message: error.userMessage };
  return { ok: false, file, to, code: 'INTERNAL', message: UNEXPECTED };
}

/**
 * The outcomes of one pass through the delivery queue: each package delivered to a contact
 * (`to`: their folder, by e-mail), and each given up on or held by a changed host key. One still
 * waiting for a server that is down is not told again (it is tried again by itself).
 */
export function retryOutcomes(report: RetryReport, folderOf: (fingerprint: string) => string): HotFolderOutcome[] {
  const outcomes: HotFolderOutcome[] = [];
  const told = new Set<string>();
  const once = (packageHash: string, recipient: string) => {
    const key = `${packageHash}:${recipient}`;
    if (told.has(key)) return false;
    told.add(key);
    return true;
  };
  for (const entry of report.delivered)
    if (once(entry.packageHash, entry.recipient))
      outcomes.push({
        ok: true,
        retried: true,
        file: '',
        to: folderOf(entry.recipient),
        packageId: entry.packageHash.slice(0, 16),
        delivered: report.delivered.filter(
          (other) => other.packageHash === entry.packageHash && other.recipient === entry.recipient,
        ).length,
      });
  const hostKey = report.problems.find((problem) => codeOf(problem.error) === HOST_KEY_CHANGED)?.error;
  for (const entry of report.queued)
    if (entry.reason === HOST_KEY_CHANGED && isMedSealError(hostKey) && once(entry.packageHash, entry.recipient))
      outcomes.push({
        ...failed('', folderOf(entry.recipient), hostKey),
        retried: true,
        packageId: entry.packageHash.slice(0, 16),
      });
  for (const entry of report.unreached)
    if (once(entry.packageHash, entry.recipient)) {
      const to = folderOf(entry.recipient);
      outcomes.push({
        ...failed('', to, new RecipientsNotReached([to], [])),
        retried: true,
        packageId: entry.packageHash.slice(0, 16),
      });
    }
  return outcomes;
}
