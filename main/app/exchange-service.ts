/**
 * Exchanges in the running app, on the shared delivery services
 * (services/delivery/): the exchanges this profile uses and how each did
 * at the last look ("connected", "host key changed", "unreachable since
 * 10:42"), delivering a sealed package (or queueing it while its exchange
 * is down), our inbox (polled while unlocked: network file systems and SFTP
 * servers do not report changes; every 5 s, backing off to 5 min while an
 * exchange fails; each poll also tries what is due in the delivery queue),
 * and settling a package opened from the inbox (archive, receipt to its sender). The poll also
 * counts the contact cards waiting in the mailbox and tells Contacts when that number changes.
 */
import type { Logger } from '../logging/logger.js';
import { DeliveryService } from '../services/delivery/delivery.js';
import { DeliveryQueue, type SendReport } from '../services/delivery/delivery-queue.js';
import { Exchanges } from '../services/delivery/exchanges.js';
import { InboxService, type InboxListing, type InboxPackage } from '../services/delivery/inbox.js';
import { Receipts } from '../services/delivery/receipts.js';
import type { ReceiveService, PackagePreview } from '../services/receive.js';
import type { FileIdentity } from '../fs/publish-file.js';
import type { TransportPool } from '../exchange/transport-config.js';
import { WithdrawService, type Withdrawal } from '../services/delivery/withdraw.js';
import { vouchedByOf } from '../services/views.js';

/** HostKeyChanged's code: compared by code, since errors from a transport worker arrive as JobFailed. */
const HOST_KEY_CHANGED = 'HOST_KEY_CHANGED';
import { isMedSealError, codeOf } from '../errors/medseal-error.js';
import type { Host } from './host.js';
import type { Session } from './session.js';
import type { Notifier } from './notifier.js';
import { mailboxRequest, type MailboxForm } from './mailbox-form.js';

export const INBOX_POLL_MS = 5_000;
const MAX_POLL_MS = 5 * 60_000;

interface ExchangeStatus {
  readonly state: 'not-checked' | 'connected' | 'host-key-changed' | 'unreachable';
  readonly since: string | null;
  readonly message: string | null;
}

export class ExchangeService {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pollDelay = INBOX_POLL_MS;
  private lastSeen = '';
  /** Contact cards waiting in the mailbox at the last poll that could look at it (told to Contacts when it changes). */
  private cardsOffered = 0;
  private readonly statuses = new Map<string, ExchangeStatus>();
  private readonly exchanges: Exchanges;
  private readonly delivery: DeliveryService;
  private readonly queue: DeliveryQueue;
  private readonly inboxService: InboxService;
  /** How the inbox was looked at: now, or when last (for "Last checked 12:45 · 2 exchanges"). */
  private inboxState = { checking: false, lastCheckedAt: null as string | null, exchanges: 0, failing: 0 };
  /** Local paths of the listed inbox packages (to settle one once opened). */
  private readonly inboxPaths = new Set<string>();

  constructor(
    private readonly session: Session,
    private readonly host: Host,
    receive: ReceiveService,
    private readonly log: Logger,
    private readonly notifier: Notifier,
    private readonly transports?: TransportPool,
  ) {
    this.exchanges = new Exchanges(session.profiles, transports?.open);
    this.delivery = new DeliveryService(session.profiles, this.exchanges);
    this.queue = new DeliveryQueue(session.profiles, this.delivery);
    this.inboxService = new InboxService(
      session.profiles,
      this.exchanges,
      receive,
      this.delivery,
      new Receipts(session.profiles),
    );
    session.onUnlock(() => this.startPolling());
    session.onLock(() => this.stopPolling());
  }

  /** The folders in use: the organisation's (policy) first, then the user's own. */
  async folders(): Promise<string[]> {
    return (await this.exchanges.list()).filter((entry) => entry.kind === 'folder').map((entry) => entry.location);
  }

  /** Every exchange, with how it did at the last poll. */
  async list() {
    return (await this.exchanges.list()).map((entry) => ({
      ...entry,
      status: this.statuses.get(entry.name) ?? { state: 'not-checked' as const, since: null, message: null },
    }));
  }

  async addFolder(name?: string): Promise<string[]> {
    this.session.requireProfile();
    const chosen = await this.host.dialogs.chooseExchangeFolder();
    if (chosen) {
      await this.exchanges.addFolder(chosen, name);
      this.startPolling(); // look at the new folder now, not in a few seconds
    }
    return this.folders();
  }

  /** The key an SFTP server presents, to be compared with the one IT gave before it is pinned. */
  async checkSftp(url: string): Promise<{ hostKey: string }> {
    this.session.requireProfile();
    return { hostKey: await this.exchanges.presentedHostKey(url) };
  }

  /** Adds an SFTP server with the host key the person confirmed; the login key comes from a native dialog. */
  async addSftp(request: { url: string; hostKey: string; name?: string }) {
    this.session.requireProfile();
    if (await this.exchanges.addSftp({ ...request, keyFile: () => this.host.dialogs.chooseSftpKey() }))
      this.startPolling();
    return this.list();
  }

  /** Sets up the mailbox after both logins worked (the CA file, when asked for, from a native dialog); then looks at it. */
  async addMail(form: MailboxForm) {
    this.session.requireProfile();
    const request = await mailboxRequest(this.session.profiles, this.host.dialogs, form);
    const added = request && (await this.exchanges.addMailbox(request));
    if (!added) return { added: null };
    this.startPolling(); // look at the mailbox now, not in a few seconds
    return { added: (await this.list()).find((entry) => entry.name === added.name) ?? null };
  }

  async remove(name: string) {
    this.session.requireProfile();
    await this.exchanges.remove(name);
    this.statuses.delete(name);
    return this.list();
  }

  /** Whether "Send" goes through the exchanges: one is set up and ready (the rule the Send button's label shows). */
  async sendsThroughExchanges(): Promise<boolean> {
    this.session.requireProfile();
    return (await this.exchanges.list()).some((entry) => entry.ready);
  }

  /** "Test connection": one exchange tried step by step, as `medseal doctor` does (services/delivery/exchange-check.ts). */
  async test(name: string) {
    this.session.requireProfile();
    const { name: exchange, label, passed, failed } = await this.exchanges.check(name);
    return { name: exchange, label, passed: [...passed], failed: failed && { ...failed, next: failed.next.words } };
  }

  /** The recipients no exchange reaches now. */
  async unreached(recipients: readonly string[]): Promise<string[]> {
    this.session.requireProfile();
    const reached = await this.delivery.reachable(recipients);
    return recipients.filter((recipient) => !reached.includes(recipient));
  }

  deliver(packagePath: string, packageHash: string, recipients: readonly string[]): Promise<SendReport> {
    this.session.requireProfile();
    return this.queue.send(packagePath, packageHash, recipients);
  }

  /** Takes a sent package (its history id) back from every exchange inbox where it still waits (services/delivery/withdraw.ts). */
  withdraw(packageId: number): Promise<Withdrawal> {
    this.session.requireProfile();
    return new WithdrawService(this.session.profiles, this.exchanges).withdraw(packageId);
  }

  /** Packages waiting for us in every exchange, registered as file tokens (receipts there are taken in). */
  async inbox() {
    const packages = await this.poll(); // a fresh look, through the poll, so receipts it takes in are announced like the timer's
    const found = [];
    for (const entry of packages) {
      let file;
      try {
        // A package fetched from an SFTP exchange waits in the profile's private downloads folder.
        file = await this.session.files.register(entry.path, { alsoInside: this.inboxService.downloadsFolder });
      } catch (error) {
        // Listed with its reason, never dropped: the sender's Activity waits on this package.
        if (!isMedSealError(error)) throw error;
        this.log.warn({ inbox: 'cannot-list', code: error.code }, 'an inbox package cannot be shown');
        found.push({
          token: null,
          name: 'package',
          size: entry.size,
          arrivedAt: entry.arrivedAt,
          exchanges: [...entry.exchanges],
          sender: null,
          problem: error.userMessage,
        });
        continue;
      }
      this.inboxPaths.add(entry.path);
      const sender = entry.preview && {
        name: entry.preview.sender.profile.name,
        organisation: entry.preview.sender.profile.organisation,
        trust: entry.preview.trust.kind,
        vouchedBy: vouchedByOf(entry.preview.trust),
      };
      found.push({
        ...this.session.files.ref(file),
        arrivedAt: entry.arrivedAt,
        exchanges: [...entry.exchanges],
        sender,
        problem: entry.problem?.userMessage ?? null,
      });
    }
    return found;
  }

  /** Whether this local path is a package listed from our inbox (its sender is answered by itself). */
  isFromInbox(path: string): boolean {
    return this.inboxPaths.has(path);
  }

  /** After an open from our inbox (`error` null) or a refusal: archive, receipt, and show the shorter inbox. */
  async settle(preview: PackagePreview, error: unknown, opened: FileIdentity | null): Promise<void> {
    if (!this.inboxPaths.has(preview.path)) return; // not from an inbox
    await this.inboxService.settle(preview, error, opened);
    await this.poll(true);
  }

  inboxStatus() {
    return { ...this.inboxState };
  }

  /** Looks at our inbox in every exchange; tells the UI when what is there changed (or always, when `force`); returns what waits. */
  private async poll(force = false): Promise<readonly InboxPackage[]> {
    if (!this.session.isUnlocked) return [];
    this.setInboxState({ checking: true });
    let listing;
    try {
      listing = await this.inboxService.list();
    } finally {
      this.setInboxState({ checking: false });
    }
    const entries = await this.exchanges.list();
    this.setInboxState({
      lastCheckedAt: new Date().toISOString(),
      exchanges: entries.filter((entry) => entry.ready).length,
      failing: new Set(listing.problems.map((problem) => problem.exchange)).size,
    });
    // Exchanges that work again: what waits for them goes now (at the app's first poll, everything queued).
    const back = [...this.statuses]
      .filter(([name, status]) => status.state !== 'connected' && !listing.problems.some((is) => is.exchange === name))
      .map(([name]) => name);
    this.retryQueued(this.statuses.size === 0 ? undefined : back);
    this.noteStatuses(entries, listing.problems);
    await this.notifier.inboxListed(listing.packages);
    await this.notifier.receiptsTakenIn(listing.receipts.answers);
    if (listing.receipts.answers.length + listing.receipts.refused > 0)
      this.host.emit('exchange.receiptsArrived', {
        accepted: listing.receipts.answers.length,
        refused: listing.receipts.refused,
      });
    this.noteCardsOffered(entries, listing);
    const seen = listing.packages.map((entry) => entry.id).join('\n');
    if (force || seen !== this.lastSeen) {
      this.lastSeen = seen;
      this.host.emit('exchange.inboxChanged', { count: listing.packages.length });
    }
    return listing.packages;
  }

  /**
   * Tells Contacts when the number of cards waiting in the mailbox changed, so that it looks at
   * them (services/delivery/invitations.ts) only then; a poll that could not reach the mailbox
   * changes nothing.
   */
  private noteCardsOffered(entries: readonly { name: string; kind: string }[], listing: InboxListing): void {
    const mailboxes = new Set(entries.filter((entry) => entry.kind === 'email').map((entry) => entry.name));
    if (listing.problems.some((problem) => mailboxes.has(problem.exchange))) return;
    if (listing.cardsOffered === this.cardsOffered) return;
    this.cardsOffered = listing.cardsOffered;
    this.host.emit('exchange.cardsOffered', { count: listing.cardsOffered });
  }

  private setInboxState(change: Partial<typeof this.inboxState>): void {
    this.inboxState = { ...this.inboxState, ...change };
    this.host.emit('exchange.inboxStatus', this.inboxStatus());
  }

  /**
   * What is due in the delivery queue, and what waits for `back` (exchanges working again; all of
   * it when undefined, at the first poll), beside the poll: a down server's timeout never holds up
   * the inbox. Activity is told of a change.
   */
  private retryQueued(back: readonly string[] | undefined): void {
    this.queue
      .retry(back === undefined ? { all: true } : { exchanges: back })
      .then((report) => {
        if (report.delivered.length + report.unreached.length > 0)
          this.host.emit('delivery.queueChanged', { delivered: report.delivered.length, queued: report.queued.length });
      })
      .catch((error: unknown) =>
        this.log.warn({ queue: 'retry-failed', code: codeOf(error) }, 'delivery queue not tried'),
      );
  }

  /** Each exchange's state after a poll; a failing one keeps the time it first failed. */
  private noteStatuses(
    entries: readonly { name: string }[],
    problems: readonly { exchange: string; error: Error }[],
  ): void {
    const now = new Date().toISOString();
    for (const entry of entries) {
      const problem = problems.find((candidate) => candidate.exchange === entry.name);
      const before = this.statuses.get(entry.name);
      if (!problem) this.statuses.set(entry.name, { state: 'connected', since: now, message: null });
      else {
        const state =
          isMedSealError(problem.error) && problem.error.code === HOST_KEY_CHANGED ? 'host-key-changed' : 'unreachable';
        this.statuses.set(entry.name, {
          state,
          since: before?.state === state ? before.since : now,
          message: isMedSealError(problem.error) ? problem.error.userMessage : null,
        });
      }
    }
    this.pollDelay = problems.length > 0 ? Math.min(this.pollDelay * 2, MAX_POLL_MS) : INBOX_POLL_MS;
  }

  /** A poll that failed as a whole (each exchange's own failure is its status): logged by code, tried again later. */
  private pollFailed(error: unknown): void {
    this.log.warn({ inbox: 'poll-failed', code: codeOf(error) }, 'inbox not polled');
    this.pollDelay = Math.min(this.pollDelay * 2, MAX_POLL_MS);
  }

  private startPolling(): void {
    this.stopPolling();
    this.pollDelay = INBOX_POLL_MS;
    const next = () => {
      this.timer = setTimeout(
        () =>
          void this.poll()
            .catch((error: unknown) => this.pollFailed(error))
            .finally(() => this.timer !== undefined && next()),
        this.pollDelay,
      );
      this.timer.unref?.();
    };
    void this.poll()
      .catch((error: unknown) => this.pollFailed(error))
      .finally(next);
  }

  private stopPolling(): void {
    void this.transports
      ?.closeAll() // locked: no exchange stays connected
      .catch((error: unknown) => this.log.warn({ exchange: 'close', code: codeOf(error) }, 'exchange not closed'));
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastSeen = '';
    this.cardsOffered = 0;
    this.inboxPaths.clear();
    this.inboxState = { checking: false, lastCheckedAt: null, exchanges: 0, failing: 0 };
  }
}
