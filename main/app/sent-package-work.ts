/**
 * A sealed package after its seal job, in the running app: delivered through
 * the exchanges (who was reached, who not, and why, in words), a copy kept
 * where the user or IT chose once, the private outgoing file dropped once
 * every recipient has it, and — only when someone was not reached, and only
 * on request — saved where the person chooses, or dragged into an e-mail.
 */
import { isMedSealError } from '../errors/medseal-error.js';
import { basename, dirname } from 'node:path';
import { COPY, type SentCopies } from '../services/delivery/sent-copies.js';
import { copyToNewFile } from '../fs/write-new-file.js';
import { inboxNotUsedText, notAnsweredThereText } from '../texts/delivery-texts.js';
import { nextTryText, queuedText } from '../texts/queue-texts.js';
import { deliveryFailure, HOST_KEY_CHANGED, problemsToTell } from '../services/delivery/delivery-failure.js';
import { UnknownJob } from './errors.js';
import type { ExchangeService } from './exchange-service.js';
import type { Host } from './host.js';
import type { Session } from './session.js';
import type { TransportKind } from '../exchange/transport.js';

/** What a finished seal job wrote, as the send side needs it. */
export interface SealedOutput {
  /** Where the package is now (null once the private outgoing copy was dropped). */
  path: string | null;
  readonly recipients: string[];
  packageHash?: string;
  /** Sealed into the private outgoing folder ("Seal and send"), not where the person chose. */
  readonly outgoing: boolean;
  /** The copy kept in the sent-copies folder, if any. */
  copy?: string | null;
}

export interface DeliveryView {
  /** `kind` and `location` as texts/delivery-texts.ts `deliveredText` words them ("Sent by e-mail to …"). */
  delivered: { name: string; exchange: string; kind: TransportKind; location: string }[];
  unreached: string[];
  problems: string[];
  notices: string[];
  queued: { name: string; exchange: string; nextTryAt: string }[];
  /** Where a copy of the package is kept for the person ("Show in folder"), or null. */
  keptIn: string | null;
  /** It waits only in the private outgoing folder: "Save the package…" puts it where the person chooses. */
  canSave: boolean;
}

export class SentPackageWork {
  constructor(
    private readonly session: Session,
    private readonly host: Host,
    private readonly sentCopies: SentCopies,
    private readonly outputOf: (jobId: string) => SealedOutput | undefined,
    private readonly exchange?: ExchangeService,
  ) {}

  /** Delivers the package a finished seal job wrote to its recipients' inboxes on every exchange that reaches them; names who was reached and who not. */
  async deliver(jobId: string): Promise<DeliveryView> {
    const profile = this.session.requireProfile();
    const output = this.outputOf(jobId);
    if (!output?.packageHash || !output.path || !this.exchange) throw new UnknownJob();
    // Only a partner without MedSeal (no contact): nothing for the exchanges, the person hands it over.
    const outcome =
      output.recipients.length === 0
        ? { delivered: [], unreached: [], problems: [], notUsed: [], queued: [] }
        : await this.exchange.deliver(output.path, output.packageHash, output.recipients);
    const copyProblems: string[] = [];
    if (output.outgoing) {
      // Delivered is delivered: a copy that cannot be kept is said beside it, never instead of it.
      output.copy = await this.sentCopies.keep(output.path).catch((error: unknown) => {
        if (!isMedSealError(error)) throw error;
        copyProblems.push(`The package was sent, but no copy of it could be kept: ${error.userMessage}`);
        return null;
      });
      if (outcome.unreached.length === 0) {
        await this.sentCopies.release(output.path); // every recipient has it: the private copy goes
        output.path = null;
      }
    }
    const contacts = await profile.contacts.list();
    const nameOf = (fingerprint: string) =>
      contacts.find((contact) => contact.fingerprint === fingerprint)?.card.profile.name ?? fingerprint.slice(0, 16);
    const failure = deliveryFailure(outcome.problems, outcome.unreached.map(nameOf));
    return {
      delivered: outcome.delivered.map((entry) => ({
        name: nameOf(entry.recipient),
        exchange: entry.exchange,
        kind: entry.kind,
        location: entry.location,
      })),
      unreached: outcome.unreached.map(nameOf),
      // A changed host key first; the problems of an exchange a queued delivery waits for are told by its notice alone.
      problems: [
        ...(failure?.code === HOST_KEY_CHANGED ? [failure] : []),
        ...problemsToTell(outcome.problems, outcome.queued, failure).map((problem) => problem.error),
      ]
        .map((error) => (isMedSealError(error) ? error.userMessage : 'An exchange could not be used.'))
        .concat(copyProblems),
      queued: outcome.queued.map((entry) => ({
        name: nameOf(entry.recipient),
        exchange: entry.exchange,
        nextTryAt: entry.nextTryAt,
      })),
      notices: [
        ...outcome.queued
          .filter((entry, index) => outcome.queued.findIndex((other) => other.recipient === entry.recipient) === index)
          .map((entry) => queuedText(nameOf(entry.recipient), entry.exchange, nextTryText(entry.nextTryAt))),
        ...outcome.notUsed.map((entry) => inboxNotUsedText(nameOf(entry.recipient), entry.exchange, entry.problem)),
        ...outcome.delivered
          .filter((entry) => !entry.answeredThere)
          .map((entry) => notAnsweredThereText(nameOf(entry.recipient), entry.exchange)),
      ],
      keptIn: this.shownPath(output),
      canSave: output.outgoing && output.path !== null,
    };
  }

  /** Saves the package of a seal job where the person chooses (for a recipient no exchange reached); never over a file. */
  async saveCopy(jobId: string): Promise<{ saved: boolean }> {
    this.session.requireProfile();
    const output = this.outputOf(jobId);
    if (!output?.path) throw new UnknownJob();
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const target = await this.host.dialogs.chooseSaveLocation('package', `medseal-package-${stamp}.medseal`);
    if (!target) return { saved: false };
    output.copy = await copyToNewFile(output.path, dirname(target), [basename(target)], COPY);
    return { saved: true };
  }

  /** The file "Show in folder" and dragging use: the package where it is, else the copy kept of it. */
  shownPath(output: SealedOutput): string | null {
    return output.outgoing ? (output.copy ?? null) : output.path;
  }
}
