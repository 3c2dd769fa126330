/**
 * Exchanges in the running app, on the shared delivery services
 * (services/delivery/): the folders this profile uses, delivering a sealed
 * package, our inbox (polled every few seconds while unlocked: network file
 * systems and SFTP servers do not report changes), and settling a package
 * opened from the inbox (archive, receipt to its sender).
 */
import { DeliveryService, type DeliveryOutcome } from '../services/delivery/delivery.js';
import { Exchanges } from '../services/delivery/exchanges.js';
import { InboxService } from '../services/delivery/inbox.js';
import { Receipts } from '../services/delivery/receipts.js';
import type { ReceiveService, PackagePreview } from '../services/receive.js';
import type { FileIdentity } from '../fs/publish-file.js';
import type { Host } from './host.js';
import type { Session } from './session.js';

export const INBOX_POLL_MS = 5_000;

export class ExchangeService {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSeen = '';
  private readonly exchanges: Exchanges;
  private readonly delivery: DeliveryService;
  private readonly inboxService: InboxService;
  /** Local path of each listed inbox package → its inbox id (to settle it once opened). */
  private readonly inboxIds = new Map<string, string>();

  constructor(
    private readonly session: Session,
    private readonly host: Host,
    receive: ReceiveService,
  ) {
    this.exchanges = new Exchanges(session.profiles);
    this.delivery = new DeliveryService(session.profiles, this.exchanges);
    this.inboxService = new InboxService(session.profiles, this.exchanges, receive, this.delivery, new Receipts(session.profiles));
    session.onUnlock(() => this.startPolling());
    session.onLock(() => this.stopPolling());
  }

  /** The folders in use: the organisation's (policy) first, then the user's own. */
  async folders(): Promise<string[]> {
    return (await this.exchanges.list()).filter((entry) => entry.kind === 'folder').map((entry) => entry.location);
  }

  async addFolder(): Promise<string[]> {
    this.session.requireProfile();
    const chosen = await this.host.dialogs.chooseExchangeFolder();
    if (chosen) {
      await this.exchanges.addFolder(chosen);
      this.startPolling(); // look at the new folder now, not in a few seconds
    }
    return this.folders();
  }

  async removeFolder(index: number): Promise<string[]> {
    this.session.requireProfile();
    const folder = (await this.folders())[index];
    if (folder) await this.exchanges.remove(folder);
    return this.folders();
  }

  deliver(packagePath: string, packageHash: string, recipients: readonly string[]): Promise<DeliveryOutcome> {
    this.session.requireProfile();
    return this.delivery.deliverPackage(packagePath, packageHash, recipients);
  }

  /** Packages waiting for us in every exchange, registered as file tokens (receipts there are taken in). */
  async inbox() {
    const listing = await this.inboxService.list();
    const found = [];
    for (const entry of listing.packages) {
      const file = await this.session.files.register(entry.path).catch(() => null);
      if (!file) continue;
      this.inboxIds.set(entry.path, entry.id);
      found.push({ ...this.session.files.ref(file), arrivedAt: entry.arrivedAt });
    }
    return found;
  }

  /** After an open from our inbox (`error` null) or a refusal: archive, receipt, and show the shorter inbox. */
  async settle(preview: PackagePreview, error: unknown, opened: FileIdentity | null): Promise<void> {
    const id = this.inboxIds.get(preview.path);
    if (!id) return; // not from an inbox
    await this.inboxService.settle(id, preview, error, opened);
    await this.poll(true);
  }

  /** Looks at our inbox in every exchange; tells the UI when what is there changed (or always, when `force`). */
  private async poll(force = false): Promise<void> {
    if (!this.session.isUnlocked) return;
    const listing = await this.inboxService.list();
    if (listing.receipts.accepted + listing.receipts.refused > 0) this.host.emit('exchange.receiptsArrived', listing.receipts);
    const seen = listing.packages.map((entry) => entry.id).join('\n');
    if (force || seen !== this.lastSeen) {
      this.lastSeen = seen;
      this.host.emit('exchange.inboxChanged', { count: listing.packages.length });
    }
  }

  private startPolling(): void {
    this.stopPolling();
    this.timer = setInterval(() => void this.poll().catch(() => undefined), INBOX_POLL_MS);
    this.timer.unref?.();
    void this.poll().catch(() => undefined);
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.lastSeen = '';
    this.inboxIds.clear();
  }
}
