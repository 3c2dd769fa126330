/**
 * Exchange folders in the running app: which shared folders this profile
 * uses, delivering a sealed package to its recipients' inboxes, listing our
 * own inbox (polled every few seconds while unlocked: network file systems
 * do not report changes reliably), and archiving packages once opened.
 */
import { ExchangeFolder } from '../exchange/exchange-folder.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { FileIdentity } from '../fs/publish-file.js';
import type { Host } from './host.js';
import type { Session } from './session.js';
import { ManagedSetting } from '../services/policy-gate.js';

export const INBOX_POLL_MS = 5_000;

export class ExchangeService {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSeen = '';

  constructor(
    private readonly session: Session,
    private readonly host: Host,
  ) {
    session.onUnlock(() => this.startPolling());
    session.onLock(() => this.stopPolling());
  }

  /** The organisation's folders (policy) first, then the user's own. */
  async folders(): Promise<string[]> {
    const managed = this.session.policy.effective.exchangeFolders;
    return [...managed, ...(await this.userFolders()).filter((folder) => !managed.includes(folder))];
  }

  private async userFolders(): Promise<string[]> {
    return (await this.session.settings()).get('exchangeFolders') ?? [];
  }

  private async saveUserFolders(folders: string[]): Promise<void> {
    (await this.session.settings()).set('exchangeFolders', folders);
  }

  async addFolder(): Promise<string[]> {
    this.session.requireProfile();
    const chosen = await this.host.dialogs.chooseExchangeFolder();
    const folders = await this.userFolders();
    if (chosen && !(await this.folders()).includes(chosen)) {
      folders.push(chosen);
      await this.saveUserFolders(folders);
      this.startPolling(); // look at the new folder now, not in a few seconds
    }
    return this.folders();
  }

  async removeFolder(index: number): Promise<string[]> {
    this.session.requireProfile();
    const all = await this.folders();
    const folder = all[index];
    if (folder && this.session.policy.effective.exchangeFolders.includes(folder)) throw new ManagedSetting('This exchange folder is set by your organisation and cannot be removed here.');
    await this.saveUserFolders((await this.userFolders()).filter((entry) => entry !== folder));
    return this.folders();
  }

  async deliver(packagePath: string, recipients: readonly string[]): Promise<number> {
    let delivered = 0;
    for (const root of await this.folders()) delivered += (await new ExchangeFolder(root).deliver(packagePath, recipients)).length;
    return delivered;
  }

  /** New packages for us in every configured folder, registered as file tokens. */
  async inbox() {
    const me = fingerprintHex(this.session.requireProfile().identity.card.fingerprint);
    const found = [];
    for (const root of await this.folders()) {
      for (const entry of await new ExchangeFolder(root).inbox(me).catch(() => [])) {
        const file = await this.session.files.register(entry.path).catch(() => null);
        if (file) found.push({ ...this.session.files.ref(file), arrivedAt: entry.arrivedAt });
      }
    }
    return found;
  }

  /** After a successful open: a package from our inbox moves to its archive, if its entry is still the file that was opened. */
  async archiveIfFromInbox(path: string, opened: FileIdentity): Promise<void> {
    const me = fingerprintHex(this.session.requireProfile().identity.card.fingerprint);
    let archived = false;
    for (const root of await this.folders()) {
      const folder = new ExchangeFolder(root);
      if ((await folder.inbox(me).catch(() => [])).some((entry) => entry.path === path)) {
        archived = (await folder.archive(me, path, opened)) !== null || archived;
      }
    }
    if (archived) await this.poll(true); // show the shorter inbox now, even if no poll saw it arrive
  }

  /** Looks at our inbox in every exchange folder; tells the UI when what is there changed (or always, when `force`). */
  private async poll(force = false): Promise<void> {
    if (!this.session.isUnlocked) return;
    const folders = await this.folders();
    if (folders.length === 0) return;
    const me = fingerprintHex(this.session.requireProfile().identity.card.fingerprint);
    const entries = (await Promise.all(folders.map((root) => new ExchangeFolder(root).inbox(me).catch(() => [])))).flat();
    const seen = entries.map((entry) => entry.name).join('\n');
    if (force || seen !== this.lastSeen) {
      this.lastSeen = seen;
      this.host.emit('exchange.inboxChanged', { count: entries.length });
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
  }
}
