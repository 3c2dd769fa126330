/**
 * How the CLI tells a delivery (`seal --deliver`, `seal --batch --deliver`,
 * `exchange retry`): delivered lines on stdout, then on stderr one line per
 * queued recipient (it WILL be tried again, and when), inboxes not used,
 * and the other problems; the error it ends with is decided by the service
 * (services/delivery/delivery-failure.ts). Names and exchanges are made
 * safe for the terminal here.
 */
import { isMedSealError } from '../errors/medseal-error.js';
import type { Delivered, InboxNotUsed } from '../services/delivery/delivery.js';
import type { QueuedDelivery } from '../services/delivery/delivery-queue.js';
import { problemsToTell } from '../services/delivery/delivery-failure.js';
import { deliveredText, inboxNotUsedText, notAnsweredThereText } from '../texts/delivery-texts.js';
import { nextTryText, queuedText } from '../texts/queue-texts.js';
import type { Output } from './output.js';
import { forTerminal } from './terminal-text.js';

interface Problem {
  readonly exchange: string;
  readonly error: Error;
}

export interface DeliveryToTell {
  readonly delivered: readonly Delivered[];
  readonly queued: readonly QueuedDelivery[];
  readonly problems: readonly Problem[];
  readonly notUsed?: readonly InboxNotUsed[];
}

/** A recipient by fingerprint, already safe for the terminal. */
export type NameOf = (fingerprint: string) => string;

export function problemJson(problem: Problem) {
  return {
    exchange: problem.exchange,
    code: isMedSealError(problem.error) ? problem.error.code : 'INTERNAL',
    message: isMedSealError(problem.error) ? problem.error.userMessage : 'internal error',
  };
}

export function deliveredLines(delivered: readonly Delivered[], nameOf: NameOf): string[] {
  return delivered.map(
    (entry) =>
      `${deliveredText(nameOf(entry.recipient), { kind: entry.kind, exchange: forTerminal(entry.exchange), location: forTerminal(entry.location) })} · waiting for receipt`,
  );
}

/** The warnings after a delivery: queued recipients (once each), inboxes not used, and problems other than `failure`. */
export function warnDelivery(out: Output, delivery: DeliveryToTell, nameOf: NameOf, failure: Error | null): void {
  const told = new Set<string>();
  for (const entry of delivery.queued) {
    const key = `${entry.packageHash}:${entry.recipient}`;
    if (told.has(key)) continue;
    told.add(key);
    out.warn(
      `${queuedText(nameOf(entry.recipient), forTerminal(entry.exchange), nextTryText(entry.nextTryAt))} The app and \`medseal watch\` try again by themselves; \`medseal exchange retry\` tries now.`,
    );
  }
  for (const entry of delivery.notUsed ?? [])
    out.warn(inboxNotUsedText(nameOf(entry.recipient), forTerminal(entry.exchange), entry.problem));
  for (const entry of delivery.delivered.filter((delivered) => !delivered.answeredThere))
    out.warn(notAnsweredThereText(nameOf(entry.recipient), forTerminal(entry.exchange)));
  for (const problem of problemsToTell(delivery.problems, delivery.queued, failure))
    out.warn(
      `${forTerminal(problem.exchange)}: ${isMedSealError(problem.error) ? problem.error.userMessage : 'an unexpected error occurred'}`,
    );
}
