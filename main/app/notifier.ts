/**
 * Desktop notifications in the running app, and the count on the app's icon:
 * a package that newly waits in the inbox ("New package from Dr Bob Brown")
 * and a receipt that came back ("Dr Bob Brown opened your package"). Each
 * package is told once per unlock; nothing is told while locked (the inbox
 * is not polled then). The policy `desktopNotifications: false` turns them
 * off for everyone; otherwise each person may (Settings).
 */
import type { ReceiptBody } from '../package/receipt.js';
import type { InboxPackage } from '../services/delivery/inbox.js';
import { ManagedSetting } from '../services/policy-gate.js';
import { packageArrivedText, partnerForkText, receiptArrivedText } from '../texts/notification-texts.js';
import type { Host } from './host.js';
import type { Session } from './session.js';

/** Trust kinds whose shown sender is the contact book's card; any other name is what the package claims. */
const CONTACTS: ReadonlySet<string> = new Set(['verified', 'org-verified', 'partner-vouched', 'unverified']);

/**
 * The sender's name as the contact book has it, or null: a name a package claims for itself (an
 * unknown sender, keys that do not belong together) is never shown outside the window, where it
 * could pass for a contact or carry any text at all into the notification history.
 */
function contactName(entry: InboxPackage): string | null {
  return entry.preview && CONTACTS.has(entry.preview.trust.kind) ? entry.preview.sender.profile.name : null;
}

export class Notifier {
  /** Packages already told about (or already waiting at the unlock's first look). */
  private readonly told = new Set<string>();
  private firstLook = true;

  constructor(
    private readonly session: Session,
    private readonly host: Host,
  ) {
    session.onLock(() => {
      this.told.clear();
      this.firstLook = true;
      host.desktop.setBadgeCount(0);
    });
  }

  /** Whether notifications are shown, and whether the organisation decided it (then the person cannot change it). */
  async settings(): Promise<{ enabled: boolean; managed: boolean }> {
    if (!this.session.policy.effective.desktopNotifications) return { enabled: false, managed: true };
    const chosen = (await this.session.profiles.openStore()).settings.get('notifications');
    return { enabled: chosen ?? true, managed: false };
  }

  async setEnabled(enabled: boolean): Promise<{ enabled: boolean; managed: boolean }> {
    if (!this.session.policy.effective.desktopNotifications)
      throw new ManagedSetting({}, { variant: 'notifications-off' });
    (await this.session.profiles.openStore()).settings.set('notifications', enabled);
    return this.settings();
  }

  /**
   * After a look at the inbox: the icon's count, and a notification for what arrived since the last
   * look. What already waited when the app was unlocked is counted, not announced.
   */
  async inboxListed(packages: readonly InboxPackage[]): Promise<void> {
    this.host.desktop.setBadgeCount(packages.length);
    const fresh = packages.filter((entry) => !this.told.has(entry.id));
    for (const entry of fresh) this.told.add(entry.id);
    const quiet = this.firstLook;
    this.firstLook = false;
    if (quiet || fresh.length === 0 || !(await this.settings()).enabled) return;
    this.host.desktop.notify(packageArrivedText(contactName(fresh[0]!), fresh.length));
  }

  /** A partner organisation's directory is under a fork alarm (told once by app/partner-refresh.ts): its name only. */
  async partnerAlarm(partner: string): Promise<void> {
    if ((await this.settings()).enabled) this.host.desktop.notify(partnerForkText(partner));
  }

  /** After receipts were taken in: one notification per answer, naming the recipient as the contact book does. */
  async receiptsTakenIn(answers: readonly ReceiptBody[]): Promise<void> {
    if (answers.length === 0 || !(await this.settings()).enabled) return;
    const contacts = await this.session.requireProfile().contacts.list();
    for (const answer of answers) {
      const name = contacts.find((contact) => contact.fingerprint === answer.recipient)?.card.profile.name;
      this.host.desktop.notify(receiptArrivedText(name ?? 'A recipient', answer.outcome));
    }
  }
}
