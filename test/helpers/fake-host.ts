/** A scripted host for the app core: dialogs answer from queues, a fake keychain, events recorded. */
import type { Host, SaveKind } from '../../main/app/host.js';
import type { EventName, EventOf } from '../../main/ipc/contract.js';

export class FakeHost implements Host {
  readonly events: { name: EventName; payload: unknown }[] = [];
  readonly answers = {
    filesToSeal: [] as string[][],
    package: [] as (string | null)[],
    card: [] as (string | null)[],
    save: [] as (string | null)[],
    folder: [] as (string | null)[],
    exchange: [] as (string | null)[],
    sentCopyFolder: [] as (string | null)[],
    sftpKey: [] as (string | null)[],
    mailCaFile: [] as (string | null)[],
    backup: [] as (string | null)[],
  };
  readonly saveRequests: { kind: SaveKind; defaultName: string }[] = [];
  keychainAvailable = true;
  readonly revealed: string[] = [];
  readonly dragged: string[] = [];
  readonly clipboard: string[] = [];
  readonly notifications: { title: string; body: string }[] = [];
  badgeCount = 0;
  readonly desktop = {
    revealInFolder: (path: string) => void this.revealed.push(path),
    startDrag: (path: string) => void this.dragged.push(path),
    copyToClipboard: (text: string) => void this.clipboard.push(text),
    notify: (notice: { title: string; body: string }) => void this.notifications.push({ ...notice }),
    setBadgeCount: (count: number) => void (this.badgeCount = count),
  };

  readonly dialogs = {
    chooseFilesToSeal: async () => this.answers.filesToSeal.shift() ?? [],
    choosePackage: async () => this.answers.package.shift() ?? null,
    chooseCard: async () => this.answers.card.shift() ?? null,
    chooseSaveLocation: async (kind: SaveKind, defaultName: string) => {
      this.saveRequests.push({ kind, defaultName });
      return this.answers.save.shift() ?? null;
    },
    chooseFolderForOpenedFiles: async () => this.answers.folder.shift() ?? null,
    chooseExchangeFolder: async () => this.answers.exchange.shift() ?? null,
    chooseSentCopyFolder: async () => this.answers.sentCopyFolder.shift() ?? null,
    chooseSftpKey: async () => this.answers.sftpKey.shift() ?? null,
    chooseMailCaFile: async () => this.answers.mailCaFile.shift() ?? null,
    chooseBackup: async () => this.answers.backup.shift() ?? null,
  };

  readonly keychain = {
    status: () =>
      this.keychainAvailable
        ? { available: true, reason: null }
        : { available: false, reason: "Linux's basic_text backend stores secrets in plain text" },
    encrypt: (plain: string) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
    decrypt: (data: Buffer) => Buffer.from(data.toString().replace(/^sealed:/, ''), 'hex').toString(),
  };

  emit<E extends EventName>(name: E, payload: EventOf<E>): void {
    this.events.push({ name, payload });
  }

  /** Resolves with the payload of the next `name` event matching `accept`. */
  async next<E extends EventName>(
    name: E,
    accept: (payload: EventOf<E>) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<EventOf<E>> {
    const start = Date.now();
    for (;;) {
      const found = this.events.find((event) => event.name === name && accept(event.payload as EventOf<E>));
      if (found) return found.payload as EventOf<E>;
      if (Date.now() - start > timeoutMs) throw new Error(`no ${name} event`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
