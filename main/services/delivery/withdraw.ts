/**
 * Withdraw: a package sent from here, delivered but not yet picked up, is
 * taken back from every exchange inbox where it still waits
 * (Transport.withdraw: only our own, provable copies), for the app
 * (Activity → Withdraw) and the CLI (`packages withdraw`) alike. What a
 * recipient already downloaded or opened cannot be taken back: a recipient
 * whose receipt came, or whose archive holds our copy, is reported as
 * having picked it up, and nothing of theirs is touched. Where a copy was
 * taken back, a signed withdrawal notice goes into that inbox
 * (package/withdrawal-notice.ts), so the recipient's MedSeal records it in
 * its own audit log; here the history says "withdrawn" for them and the
 * audit log records `package.withdrawn`.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import { isMedSealError, type MedSealError } from '../../errors/medseal-error.js';
import { closeAll, type Transport, type WithdrawOutcome } from '../../exchange/transport.js';
import { FolderChanged } from '../../fs/pinned-folder.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { createWithdrawalNotice } from '../../package/withdrawal-notice.js';
import { JobFailed } from '../package-runner.js';
import type { ProfileSession } from '../profile-session.js';
import { recordUnlessLocked } from '../send.js';
import { AlreadyPickedUp, UnknownSentPackage, WithdrawIncomplete } from './errors.js';
import type { Exchanges } from './exchanges.js';
import { QueuedPackages } from './queued-packages.js';

export interface RecipientWithdrawal {
  readonly fingerprint: string;
  /** Across every exchange: picked up anywhere wins, then a copy left, then withdrawn, then nothing found. */
  readonly outcome: WithdrawOutcome;
  /** The exchanges it was taken back from. */
  readonly exchanges: readonly string[];
  /** Whether a signed notice now tells them (in an inbox it was taken back from). */
  readonly notified: boolean;
}

export interface Withdrawal {
  readonly packageHash: string;
  readonly recipients: readonly RecipientWithdrawal[];
  /** Exchanges that could not be looked at: a copy may still wait there. */
  readonly problems: readonly { readonly exchange: string; readonly error: Error }[];
}

const PRECEDENCE: readonly WithdrawOutcome[] = ['picked-up', 'mailed', 'left', 'withdrawn', 'not-found'];

export class WithdrawService {
  constructor(
    private readonly session: ProfileSession,
    private readonly exchanges: Exchanges,
  ) {}

  /** Takes the sent package with this history id back from every exchange (see the module comment). */
  async withdraw(packageId: number): Promise<Withdrawal> {
    const profile = this.session.requireUnlocked();
    const sent = profile.history.sentById(packageId);
    if (!sent) throw new UnknownSentPackage();
    const { packageHash, recipients } = sent;
    // Their receipt came (opened or refused): they took it in, and it cannot be taken back.
    const statuses = profile.deliveries.statusesOf([packageId], () => recipients).get(packageId) ?? [];
    const answered = new Set(
      statuses
        .filter((status) => status.status === 'opened' || status.status === 'refused')
        .map((status) => status.fingerprint),
    );
    /** Whether the package went to `recipient` by this e-mail exchange (a message: it cannot be taken back). */
    const mailedThere = (recipient: string, exchange: string) =>
      statuses.some(
        (status) => status.fingerprint === recipient && status.status === 'delivered' && status.detail === exchange,
      );
    const asked = recipients.filter((recipient) => !answered.has(recipient));
    // Not yet delivered to some (their exchange was down): taken out of the delivery queue, so that a
    // later retry never delivers what was withdrawn.
    if (profile.deliveryQueue.holds(packageHash)) {
      const queued = new QueuedPackages(this.session.folder.path);
      const lock = await queued.lock(packageHash);
      if (lock === 'busy') throw new WithdrawIncomplete('busy', []); // being uploaded now: it would land after we looked
      try {
        for (const recipient of asked) profile.deliveryQueue.remove(packageHash, recipient);
        if (!profile.deliveryQueue.holds(packageHash)) await queued.release(packageHash);
      } finally {
        await lock.release();
      }
    }
    const seen = new Map<string, { outcomes: Set<WithdrawOutcome>; exchanges: string[]; notified: boolean }>(
      asked.map((recipient) => [recipient, { outcomes: new Set(), exchanges: [], notified: false }]),
    );
    const problems: { exchange: string; error: Error }[] = [];
    const transports = asked.length > 0 ? await this.exchanges.open() : [];
    try {
      for (const transport of transports) {
        try {
          for (const report of await transport.withdraw(packageHash.slice(0, 32), packageHash, asked)) {
            const entry = seen.get(report.recipient);
            if (!entry) continue;
            if (report.outcome === 'mailed') {
              if (!mailedThere(report.recipient, transport.name)) continue;
              entry.outcomes.add('mailed');
              entry.notified = (await this.notify(transport, packageHash, report.recipient)) || entry.notified;
              continue;
            }
            entry.outcomes.add(report.outcome);
            if (report.outcome !== 'withdrawn') continue;
            entry.exchanges.push(transport.name);
            entry.notified = (await this.notify(transport, packageHash, report.recipient)) || entry.notified;
          }
        } catch (error) {
          problems.push({ exchange: transport.name, error: error instanceof Error ? error : new Error(String(error)) });
          if (error instanceof FolderChanged || (error instanceof JobFailed && error.code === 'FOLDER_CHANGED'))
            recordUnlessLocked(() =>
              this.session
                .requireUnlocked()
                .recordFolderChanged('exchange', error instanceof FolderChanged ? error.change : 'changed'),
            );
        }
      }
    } finally {
      await closeAll(transports);
    }
    const outcomes = recipients.map((fingerprint): RecipientWithdrawal => {
      const entry = seen.get(fingerprint);
      if (!entry) return { fingerprint, outcome: 'picked-up', exchanges: [], notified: false };
      const outcome = PRECEDENCE.find((candidate) => entry.outcomes.has(candidate)) ?? 'not-found';
      return { fingerprint, outcome, exchanges: entry.exchanges, notified: entry.notified };
    });
    // Every copy removed is audited; the history says "withdrawn" only where nothing of ours is left.
    const removed = outcomes.filter((entry) => entry.exchanges.length > 0);
    if (removed.length > 0)
      recordUnlessLocked(() =>
        this.session.requireUnlocked().recordWithdrawn(
          packageHash,
          removed.map((entry) => ({
            recipient: entry.fingerprint,
            exchanges: entry.exchanges,
            complete: entry.outcome === 'withdrawn',
          })),
          outcomes.filter((entry) => entry.outcome === 'picked-up').length,
        ),
      );
    return { packageHash, recipients: outcomes, problems };
  }

  /**
   * Puts a signed withdrawal notice into `recipient`'s inbox on `transport` (a contact's: the notice
   * is encrypted to their card). False when it could not go now: the package is gone all the same.
   */
  private async notify(transport: Transport, packageHash: string, recipient: string): Promise<boolean> {
    const profile = this.session.requireUnlocked();
    const contact = (await profile.contacts.list()).find(
      (candidate) => fingerprintHex(candidate.card.fingerprint) === recipient,
    );
    if (!contact) return false; // no longer a contact: no key to write to
    const notice = createWithdrawalNotice(profile.identity, contact.card, packageHash);
    const id = createHash('sha256').update(notice).digest('hex').slice(0, 32);
    const folder = join(this.session.folder.path, 'withdrawals');
    const file = join(folder, `${id}.medseal-receipt`);
    try {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await writeFile(file, notice, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw toIoError('the withdrawal notice', error);
    }
    try {
      await transport.deliver(file, 'receipt', id, [recipient], undefined, { [recipient]: contact.card.profile.email });
      return true;
    } catch (error) {
      if (isMedSealError(error) && error.category === 'io') return false; // that exchange failed just now: the notice is the only loss
      throw error;
    } finally {
      await rm(file, { force: true });
    }
  }
}

/**
 * What a withdrawal that did not end cleanly should say, the same for the app and the CLI: an
 * exchange not reached or a copy left (the package may still be there), or nothing to take back
 * (every recipient picked it up), or a package that went by e-mail (a message cannot be taken back).
 * Null when nothing of ours is left waiting anywhere.
 */
export function withdrawalProblem(outcome: Withdrawal, nameOf: (fingerprint: string) => string): MedSealError | null {
  if (outcome.problems.length > 0)
    return new WithdrawIncomplete(
      'unreachable',
      outcome.problems.map((problem) => problem.exchange),
    );
  const left = outcome.recipients.filter((entry) => entry.outcome === 'left');
  if (left.length > 0)
    return new WithdrawIncomplete(
      'left',
      left.map((entry) => nameOf(entry.fingerprint)),
    );
  // Sent by e-mail: the message stays in their mailbox, and their MedSeal still opens it.
  const mailed = outcome.recipients.filter((entry) => entry.outcome === 'mailed');
  if (mailed.length > 0)
    return new WithdrawIncomplete(
      'mailed',
      mailed.map((entry) => nameOf(entry.fingerprint)),
    );
  const pickedUp = outcome.recipients.some((entry) => entry.outcome === 'picked-up');
  if (pickedUp && !outcome.recipients.some((entry) => entry.outcome === 'withdrawn')) return new AlreadyPickedUp();
  return null;
}
