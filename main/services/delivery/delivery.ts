/**
 * "Send" that delivers: a sealed package goes to each recipient's inbox on
 * every exchange where that recipient has one (their MedSeal made it: they
 * look there), or else, when the person has a mailbox, by e-mail to the
 * address on the recipient's card; receipts go back the same way, and what was delivered is
 * recorded per recipient with an audit event. One exchange failing (host
 * key changed, server down) does not stop the others; the caller learns
 * who was reached, who was not, and why.
 */
import { toIoError } from '../../errors/io-error.js';
import { isNodeError } from '../../errors/node-error.js';
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closeAll, type Transport, type TransportKind } from '../../exchange/transport.js';
import type { ContactCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { recordUnlessLocked } from '../send.js';
import { codeOf, isMedSealError } from '../../errors/medseal-error.js';
import { FolderChanged } from '../../fs/pinned-folder.js';
import { JobFailed } from '../package-runner.js';
import type { ProfileSession } from '../profile-session.js';
import { inboxOn, type AnnouncementProblem } from './announce.js';
import type { Exchanges } from './exchanges.js';
import { isDown } from './delivery-queue.js';

export interface Delivered {
  readonly recipient: string;
  readonly exchange: string;
  readonly kind: TransportKind;
  readonly location: string;
  /**
   * Whether the recipient ever answered with a receipt through this exchange. When not, the person
   * is told: their inbox there is signed by them, but they may not be reading it.
   */
  readonly answeredThere: boolean;
}

/** An inbox in a recipient's name that was not used, and why (a copied, stale or squatted announcement). */
export interface InboxNotUsed {
  readonly recipient: string;
  readonly exchange: string;
  readonly problem: Exclude<AnnouncementProblem, 'missing'>;
}

export interface DeliveryOutcome {
  readonly delivered: readonly Delivered[];
  /** Recipients no exchange reached (no inbox of theirs on any, or their exchange failed). */
  readonly unreached: readonly string[];
  /** Exchanges that failed, with why (the recipients they would have reached are in `unreached`). */
  readonly problems: readonly { readonly exchange: string; readonly error: Error }[];
  /** Inboxes in a recipient's name that were not used, with why. */
  readonly notUsed: readonly InboxNotUsed[];
}

export interface DeliveryOptions {
  readonly onProgress?: (sentBytes: number) => void;
  /** Cards of recipients who need not be contacts; a contact's own card comes first. */
  readonly cards?: readonly ContactCard[];
  /** Only through these exchanges (by name): a retry from the delivery queue. */
  readonly exchanges?: readonly string[];
}

export class DeliveryService {
  constructor(
    private readonly session: ProfileSession,
    private readonly exchanges: Exchanges,
  ) {}

  /** Which of these recipients some exchange reaches now (their signed inbox is there), before anything is sealed. */
  async reachable(recipients: readonly string[]): Promise<string[]> {
    const transports = await this.exchanges.open();
    const cards = await this.cards();
    const reached = new Set<string>();
    try {
      for (const transport of byRoute(transports)) {
        const missing = recipients.filter((recipient) => !reached.has(recipient));
        if (missing.length === 0) break;
        const found = await reachedBy(transport, missing, cards).catch((error: unknown) => {
          if (isMedSealError(error)) return { reached: [] as string[], notUsed: [] }; // this exchange is down or changed: the others may reach them; deliver() says why
          throw error;
        });
        for (const recipient of found.reached) reached.add(recipient);
      }
    } finally {
      await closeAll(transports);
    }
    return recipients.filter((recipient) => reached.has(recipient));
  }

  private async cards(): Promise<Map<string, ContactCard>> {
    return new Map(
      (await this.session.requireUnlocked().contacts.list()).map((contact) => [
        fingerprintHex(contact.card.fingerprint),
        contact.card,
      ]),
    );
  }

  /**
   * Delivers a sealed package (its header hash names the delivery, so a retry resumes it). Recipients
   * are found by their contact card, or by one of `options.cards` for someone who need not be a
   * contact (the sender named in a package, told of an emergency access); either way an inbox counts
   * only when that card's key announced it.
   */
  async deliverPackage(
    file: string,
    packageHash: string,
    recipients: readonly string[],
    options: DeliveryOptions = {},
  ): Promise<DeliveryOutcome> {
    const outcome = await this.deliver(file, 'package', packageHash.slice(0, 32), recipients, options);
    const byExchange = new Map<string, Delivered[]>();
    for (const entry of outcome.delivered)
      byExchange.set(entry.exchange, [...(byExchange.get(entry.exchange) ?? []), entry]);
    recordUnlessLocked(() => {
      const profile = this.session.requireUnlocked();
      for (const [name, entries] of byExchange)
        profile.recordDelivered(
          packageHash,
          entries.map((entry) => entry.recipient),
          { name, kind: entries[0]!.kind },
        );
    });
    return outcome;
  }

  /**
   * Sends a receipt to the package's sender through every exchange that reaches them; true when
   * one did. Until then it waits in the profile's outbox and goes with a later attempt
   * (`retryReceipts`): a receipt is never lost because the sender's exchange was down.
   */
  async deliverReceipt(receipt: Buffer, sender: string, outcome: 'opened' | 'refused'): Promise<boolean> {
    const id = createHash('sha256').update(receipt).digest('hex').slice(0, 32);
    const file = join(this.outbox, `${sender}-${outcome}-${id}.medseal-receipt`);
    await mkdir(this.outbox, { recursive: true, mode: 0o700 });
    await writeFile(file, receipt, { mode: 0o600 });
    return this.sendWaitingReceipt(file, sender, outcome, id);
  }

  /** Tries again every receipt still waiting in the outbox; returns how many went. */
  async retryReceipts(): Promise<number> {
    let sent = 0;
    const names = await readdir(this.outbox).catch((error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return [] as string[]; // no receipt was ever queued
      throw toIoError('the receipt outbox', error);
    });
    for (const name of names) {
      const match = /^([0-9a-f]{64})-(opened|refused)-([0-9a-f]{32})\.medseal-receipt$/.exec(name);
      if (
        match &&
        (await this.sendWaitingReceipt(join(this.outbox, name), match[1]!, match[2] as 'opened' | 'refused', match[3]!))
      )
        sent++;
    }
    return sent;
  }

  private get outbox(): string {
    return join(this.session.folder.path, 'outbox');
  }

  private async sendWaitingReceipt(
    file: string,
    sender: string,
    outcome: 'opened' | 'refused',
    id: string,
  ): Promise<boolean> {
    const route = (await this.deliver(file, 'receipt', id, [sender])).delivered[0];
    if (route) {
      await rm(file, { force: true });
      recordUnlessLocked(() =>
        this.session
          .requireUnlocked()
          .recordReceiptSent(sender, outcome, route.kind === 'email' ? 'email' : 'exchange'),
      );
    }
    return route !== undefined;
  }

  private async deliver(
    file: string,
    kind: 'package' | 'receipt',
    deliveryId: string,
    recipients: readonly string[],
    { onProgress, cards: known = [], exchanges: only }: DeliveryOptions = {},
  ): Promise<DeliveryOutcome> {
    const transports = await this.exchanges.open();
    const cards = await this.cards();
    for (const card of known) {
      const fingerprint = fingerprintHex(card.fingerprint);
      if (!cards.has(fingerprint)) cards.set(fingerprint, card); // the fingerprint is of the card's keys
    }
    const delivered: Delivered[] = [];
    const problems: { exchange: string; error: Error }[] = [];
    const notUsed: InboxNotUsed[] = [];
    const profile = this.session.requireUnlocked();
    try {
      // Exchanges first; e-mail last, for whoever no exchange reached (byRoute).
      for (const transport of byRoute(transports)) {
        if (only && !only.includes(transport.name)) continue;
        try {
          const waiting = isMail(transport)
            ? recipients.filter(
                (recipient) =>
                  !delivered.some((entry) => entry.recipient === recipient) &&
                  !waitsForItsExchange(recipient, problems, profile.deliveries),
              )
            : recipients;
          const found = await reachedBy(transport, waiting, cards);
          notUsed.push(...found.notUsed);
          if (found.reached.length === 0) continue;
          const addresses = isMail(transport) ? addressesOf(found.reached, cards) : undefined;
          // A message once sent cannot be taken back or resent harmlessly: e-mail goes to one recipient at a
          // time, so that one refused address neither hides who was sent it nor has them sent it again.
          const batches = isMail(transport) ? found.reached.map((recipient) => [recipient]) : [found.reached];
          let sentBefore = 0;
          let sentNow = 0;
          const progress =
            onProgress &&
            ((sentBytes: number) => {
              sentNow = sentBytes;
              onProgress(sentBefore + sentBytes);
            });
          for (const batch of batches) {
            try {
              for (const report of await transport.deliver(file, kind, deliveryId, batch, progress, addresses)) {
                // An address on their card needs no proof that they read it; an inbox on an exchange does.
                const answeredThere =
                  isMail(transport) || profile.deliveries.answeredVia(report.recipient, transport.name);
                delivered.push({
                  recipient: report.recipient,
                  exchange: transport.name,
                  kind: transport.kind,
                  location: report.location,
                  answeredThere,
                });
              }
            } catch (error) {
              if (batches.length === 1) throw error;
              problems.push({ exchange: transport.name, error: asError(error) });
              // Only a refused address is theirs alone; a server that failed fails the others too (they wait).
              if (codeOf(error) !== 'MAIL_REFUSED') break;
            } finally {
              sentBefore += sentNow;
              sentNow = 0;
            }
          }
        } catch (error) {
          problems.push({ exchange: transport.name, error: asError(error) });
          if (error instanceof FolderChanged || (error instanceof JobFailed && error.code === 'FOLDER_CHANGED')) {
            recordUnlessLocked(() =>
              profile.recordFolderChanged('exchange', error instanceof FolderChanged ? error.change : 'changed'),
            );
          }
        }
      }
    } finally {
      await closeAll(transports);
    }
    const unreached = recipients.filter((recipient) => !delivered.some((entry) => entry.recipient === recipient));
    return { delivered, unreached, problems, notUsed };
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Whether a transport is e-mail: it reaches recipients by the address on their card, not by an announced inbox. */
export function isMail(transport: Transport): boolean {
  return transport.kind === 'email';
}

/**
 * Whether `recipient` should wait for an exchange that is down now rather than get the package by
 * e-mail: one that reached them before (a delivery there, or their receipt through it). The queue's
 * rule holds for them ("it will be tried again; no need to send it another way"), and the
 * organisation's exchange stays their route; e-mail is for partners no exchange is known to reach.
 */
function waitsForItsExchange(
  recipient: string,
  problems: readonly { exchange: string; error: Error }[],
  deliveries: { reachedVia(fingerprint: string, exchange: string): boolean },
): boolean {
  return problems.some((problem) => isDown(problem.error) && deliveries.reachedVia(recipient, problem.exchange));
}

/** The transports in the order a delivery tries them: every exchange, then e-mail. */
function byRoute(transports: readonly Transport[]): Transport[] {
  return [...transports.filter((transport) => !isMail(transport)), ...transports.filter(isMail)];
}

/** Each recipient's e-mail address, from their card. */
function addressesOf(recipients: readonly string[], cards: ReadonlyMap<string, ContactCard>): Record<string, string> {
  return Object.fromEntries(recipients.map((recipient) => [recipient, cards.get(recipient)!.profile.email]));
}

/**
 * The recipients whose own inbox this exchange holds (for e-mail: everyone with a card): announced by them (signed by the key their
 * card holds), for this very exchange, in a folder that belongs to the account they announced, and
 * not expired. A folder made in their name, or an announcement copied from elsewhere, does not count.
 */
async function reachedBy(
  transport: Transport,
  recipients: readonly string[],
  cards: ReadonlyMap<string, ContactCard>,
): Promise<{ reached: string[]; notUsed: InboxNotUsed[] }> {
  const reached: string[] = [];
  const notUsed: InboxNotUsed[] = [];
  for (const recipient of recipients) {
    const card = cards.get(recipient);
    if (!card) continue;
    if (isMail(transport)) {
      reached.push(recipient); // every card names an e-mail address, verified with the card
      continue;
    }
    const check = await inboxOn(transport, card);
    if (check.ok) reached.push(recipient);
    else if (check.problem !== 'missing') notUsed.push({ recipient, exchange: transport.name, problem: check.problem });
  }
  return { reached, notUsed };
}
