/**
 * The delivery queue: a sent package that an exchange could not take
 * because it was down (unreachable, timed out, connection lost, full) is
 * not "send it another way" but queued, per recipient and exchange, and
 * tried again with backoff (1, 2, 5, 15 minutes, then hourly) until it is
 * delivered, by whoever works through the queue: the app while unlocked,
 * `medseal watch`, `medseal exchange retry`. Once delivered it leaves the
 * queue and its status goes on as for any delivery (delivered → opened).
 *
 * Only a failure that can pass is queued: a changed host key (possible
 * interception), an inbox taken by another account, a changed folder are
 * reported, never waited out. A recipient no working exchange has an inbox
 * for is "not reached", as before. The sealed file waits as a private copy
 * in the profile (queued-packages.ts); the rows in the store (migration 0006).
 */
import { codeOf, isMedSealError } from '../../errors/medseal-error.js';
import type { QueuedEntry } from '../../store/delivery-queue.js';
import type { ProfileSession } from '../profile-session.js';
import type { Delivered, DeliveryOptions, DeliveryOutcome, DeliveryService } from './delivery.js';
import { QueuedPackages } from './queued-packages.js';

/** Minutes to wait after the 1st, 2nd, 3rd and 4th attempt; after that, an hour each time. */
export const RETRY_MINUTES: readonly number[] = [1, 2, 5, 15];
export const RETRY_HOURLY_MINUTES = 60;

/** When to try again after `attempts` attempts, the last at `from`. */
export function nextTryAfter(attempts: number, from: Date): Date {
  return new Date(from.getTime() + (RETRY_MINUTES[attempts - 1] ?? RETRY_HOURLY_MINUTES) * 60_000);
}

/**
 * Whether an exchange's failure can pass by itself (the exchange is down), so waiting for it makes
 * sense: a server that cannot be reached, times out, drops the connection or cannot store now (an
 * error of category 'io'), or a shared folder that is not there (a share not mounted).
 */
export function isDown(error: Error): boolean {
  if (!isMedSealError(error)) return false;
  return error.category === 'io' || (error.code === 'UNSAFE_FOLDER' && error.params.problem === 'missing');
}

export interface QueuedDelivery {
  readonly packageHash: string;
  readonly recipient: string;
  readonly exchange: string;
  readonly nextTryAt: string;
  /** The error code of the last attempt. */
  readonly reason: string;
}

/** A delivery as sent now: what was delivered, what waits in the queue, and who no exchange reaches. */
export interface SendReport extends DeliveryOutcome {
  readonly queued: readonly QueuedDelivery[];
}

export interface RetryReport {
  readonly delivered: readonly (Delivered & { readonly packageHash: string })[];
  /** Still queued after this attempt, with the next try. */
  readonly queued: readonly QueuedDelivery[];
  /** Taken out of the queue undelivered: the exchange works but has no inbox of theirs (or is gone), or the queued copy was lost. */
  readonly unreached: readonly { readonly packageHash: string; readonly recipient: string }[];
  readonly problems: readonly { readonly exchange: string; readonly error: Error }[];
}

export class DeliveryQueue {
  private running: Promise<RetryReport> | undefined;
  private readonly packages: QueuedPackages;

  constructor(
    private readonly session: ProfileSession,
    private readonly delivery: DeliveryService,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.packages = new QueuedPackages(session.folder.path);
  }

  /**
   * Delivers a sealed (and recorded) package; recipients that only a down exchange could have
   * reached are queued there, with a private copy of the package, instead of being "not reached".
   */
  async send(
    file: string,
    packageHash: string,
    recipients: readonly string[],
    options: DeliveryOptions = {},
  ): Promise<SendReport> {
    const outcome = await this.delivery.deliverPackage(file, packageHash, recipients, options);
    const down = outcome.problems.filter((problem) => isDown(problem.error));
    if (outcome.unreached.length === 0 || down.length === 0) return { ...outcome, queued: [] };
    try {
      await this.packages.keep(file, packageHash);
    } catch (error) {
      // No copy, no queue: those recipients stay "not reached", and why is told with the problems.
      if (!isMedSealError(error)) throw error;
      return { ...outcome, queued: [], problems: [...outcome.problems, { exchange: 'the delivery queue', error }] };
    }
    const at = this.now();
    const nextTryAt = nextTryAfter(1, at).toISOString();
    const store = this.session.requireUnlocked().deliveryQueue;
    const queued: QueuedDelivery[] = [];
    for (const recipient of outcome.unreached)
      for (const problem of down)
        if (store.add(packageHash, recipient, problem.exchange, at.toISOString(), nextTryAt, codeOf(problem.error)))
          queued.push({ packageHash, recipient, exchange: problem.exchange, nextTryAt, reason: codeOf(problem.error) });
    if (!store.holds(packageHash)) await this.packages.release(packageHash); // not a package of the history: nothing to wait for
    return {
      ...outcome,
      unreached: outcome.unreached.filter((recipient) => !queued.some((entry) => entry.recipient === recipient)),
      queued,
    };
  }

  /** Every queued delivery, oldest first. */
  list(): QueuedEntry[] {
    return this.session.requireUnlocked().deliveryQueue.list();
  }

  /**
   * Tries again what is due; also, whatever its next try, everything queued (`all`, as when a person
   * asks) or queued on `exchanges` (exchanges seen working again: no need to wait out the backoff).
   * One run at a time: a call while one runs gets that run's report.
   */
  retry(options: { all?: boolean; exchanges?: readonly string[] } = {}): Promise<RetryReport> {
    this.running ??= this.work(options).finally(() => (this.running = undefined));
    return this.running;
  }

  private async work({
    all = false,
    exchanges = [],
  }: {
    all?: boolean;
    exchanges?: readonly string[];
  }): Promise<RetryReport> {
    const store = this.session.requireUnlocked().deliveryQueue;
    const due = this.now().toISOString();
    const entries = store.list().filter((entry) => all || entry.nextTryAt <= due || exchanges.includes(entry.exchange));
    const report = {
      delivered: [] as (Delivered & { packageHash: string })[],
      queued: [] as QueuedDelivery[],
      unreached: [] as { packageHash: string; recipient: string }[],
      problems: [] as { exchange: string; error: Error }[],
    };
    // A recipient whose key changed, or who is no longer a contact, gets nothing more from the queue:
    // the package was sealed to a key that may no longer be theirs.
    const current = new Set(
      (await this.session.requireUnlocked().contacts.list())
        .filter((contact) => contact.state !== 'key-changed')
        .map((contact) => contact.fingerprint),
    );
    const byPackage = new Map<string, QueuedEntry[]>();
    for (const entry of entries) {
      if (!current.has(entry.fingerprint)) {
        store.remove(entry.packageHash, entry.fingerprint);
        report.unreached.push({ packageHash: entry.packageHash, recipient: entry.fingerprint });
        if (!store.holds(entry.packageHash)) await this.packages.release(entry.packageHash);
        continue;
      }
      byPackage.set(entry.packageHash, [...(byPackage.get(entry.packageHash) ?? []), entry]);
    }
    for (const [packageHash, listed] of byPackage) {
      const lock = await this.packages.lock(packageHash);
      if (lock === 'busy') continue; // another process delivers or withdraws it now
      try {
        // Withdrawn (or delivered by another process) since the list was read: not sent again.
        const still = store.list().filter((entry) => entry.packageHash === packageHash);
        const waiting = listed.filter((entry) =>
          still.some((queued) => queued.fingerprint === entry.fingerprint && queued.exchange === entry.exchange),
        );
        if (waiting.length > 0) await this.attempt(packageHash, waiting, report);
        if (!store.holds(packageHash)) await this.packages.release(packageHash);
      } finally {
        await lock.release();
      }
    }
    return report;
  }

  /** One try of one queued package for the recipients still waiting for it. */
  private async attempt(
    packageHash: string,
    waiting: readonly QueuedEntry[],
    report: {
      delivered: (Delivered & { packageHash: string })[];
      queued: QueuedDelivery[];
      unreached: { packageHash: string; recipient: string }[];
      problems: { exchange: string; error: Error }[];
    },
  ): Promise<void> {
    const store = this.session.requireUnlocked().deliveryQueue;
    const recipients = [...new Set(waiting.map((entry) => entry.fingerprint))];
    if (!(await this.packages.holds(packageHash))) {
      // The queued copy is gone (a profile restored from a backup) or damaged: it cannot be sent from here.
      for (const recipient of recipients) store.remove(packageHash, recipient);
      report.unreached.push(...recipients.map((recipient) => ({ packageHash, recipient })));
      return;
    }
    const outcome = await this.delivery.deliverPackage(this.packages.pathOf(packageHash), packageHash, recipients, {
      exchanges: [...new Set(waiting.map((entry) => entry.exchange))],
    });
    report.delivered.push(...outcome.delivered.map((entry) => ({ ...entry, packageHash })));
    report.problems.push(...outcome.problems);
    this.settle(waiting, outcome, report);
  }

  /** After an attempt: delivered leaves the queue, a failed exchange is tried later, one that works without their inbox is dropped. */
  private settle(
    waiting: readonly QueuedEntry[],
    outcome: DeliveryOutcome,
    report: { queued: QueuedDelivery[]; unreached: { packageHash: string; recipient: string }[] },
  ): void {
    const store = this.session.requireUnlocked().deliveryQueue;
    const at = this.now();
    for (const entry of waiting) {
      if (outcome.delivered.some((delivered) => delivered.recipient === entry.fingerprint)) {
        store.remove(entry.packageHash, entry.fingerprint);
        continue;
      }
      const problem = outcome.problems.find((candidate) => candidate.exchange === entry.exchange);
      if (problem) {
        const nextTryAt = nextTryAfter(entry.attempts + 1, at).toISOString();
        store.reschedule(entry, nextTryAt, codeOf(problem.error));
        report.queued.push({
          packageHash: entry.packageHash,
          recipient: entry.fingerprint,
          exchange: entry.exchange,
          nextTryAt,
          reason: codeOf(problem.error),
        });
      } else store.remove(entry.packageHash, entry.fingerprint, entry.exchange);
    }
    for (const recipient of new Set(waiting.map((entry) => entry.fingerprint)))
      if (
        !outcome.delivered.some((delivered) => delivered.recipient === recipient) &&
        !report.queued.some((entry) => entry.packageHash === waiting[0]!.packageHash && entry.recipient === recipient)
      )
        report.unreached.push({ packageHash: waiting[0]!.packageHash, recipient });
  }
}
