/**
 * The exchanges a profile delivers through: the organisation's (policy:
 * shared folders, SFTP servers whose login key each user adds) and the
 * person's own (folders in the settings, SFTP servers in the store, their
 * login key sealed there), and the person's mailbox for delivery by e-mail
 * (mailbox-setup.ts). An SFTP server is saved only after a login with
 * its pinned host key worked; one without a confirmed host key is never
 * saved: the error carries the key the server presented, to be compared.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../../errors/usage-error.js';
import { toIoError } from '../../errors/io-error.js';
import { formatSftpAddress, parseHostKeyFingerprint, parseSftpAddress } from '../../exchange/sftp/sftp-address.js';
import { SftpSession } from '../../exchange/sftp/sftp-session.js';
import type { Transport, TransportKind } from '../../exchange/transport.js';
import { openTransport as inProcess, type TransportOpener } from '../../exchange/transport-config.js';
import { ManagedSetting } from '../policy-gate.js';
import type { ProfileSession } from '../profile-session.js';
import type { StoredSftpExchange } from '../../store/sftp-exchanges.js';
import { announceSelf } from './announce.js';
import { addMailbox, mailboxAllowed, mailboxConfig, mailboxInUse, type MailboxRequest } from './mailbox-setup.js';
import { checkExchange, type ExchangeCheck } from './exchange-check.js';
import { checkMailbox } from './mailbox-check.js';
import { HostKeyConfirmationNeeded, UnknownExchange } from './errors.js';
import { HOST_KEY_CHANGED } from './delivery-failure.js';
import { HostKeyChanged } from '../../exchange/errors.js';
import { isMedSealError } from '../../errors/medseal-error.js';

export interface ExchangeInfo {
  readonly name: string;
  /** As people see it: "Lab partners (sftp.lab.example)", or the server or folder alone when it has no other name. */
  readonly label: string;
  readonly kind: TransportKind;
  /** Folder path or sftp://user@host/path. */
  readonly location: string;
  /** Set by the organisation's policy: cannot be removed here. */
  readonly managed: boolean;
  /** SFTP: the pinned host key. */
  readonly hostKey: string | null;
  /** False for a managed SFTP server this user has not added a login key for yet. */
  readonly ready: boolean;
}

export interface SftpRequest {
  readonly url: string;
  /** SHA256:…; omitted, the server is asked for its key and HostKeyConfirmationNeeded reports it. */
  readonly hostKey?: string;
  /** Where the login key file is: asked only once the request itself passed every check (a dialog in the app). */
  readonly keyFile: () => Promise<string | null>;
  readonly name?: string;
}

/** A name people give an exchange ("Lab partners"): letters, digits, spaces and . _ - & + , (at most 64). */
const EXCHANGE_NAME = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._&+,-]{0,62}[\p{L}\p{N}._&+,-])?$/u;

/** "Lab partners (sftp.lab.example)"; the place alone when the name is the place. */
function labelOf(name: string, place: string): string {
  return name === place ? place : `${name} (${place})`;
}

/** Whether people may mean `entry` by `name`: its name, its folder or address, its label, or the name they gave it. */
function isCalled(entry: ExchangeInfo, name: string): boolean {
  return entry.name === name || entry.location === name || entry.label === name || entry.label.startsWith(`${name} (`);
}

export class Exchanges {
  constructor(
    private readonly session: ProfileSession,
    /** How transports are opened: here by default; the app opens them in a worker thread. */
    private readonly openTransport: TransportOpener = inProcess,
  ) {}

  async list(): Promise<ExchangeInfo[]> {
    const policy = this.session.policy.effective;
    const profile = this.session.requireUnlocked();
    const settings = await this.settings();
    const userFolders = settings.get('exchangeFolders') ?? [];
    const folderNames = settings.get('exchangeNames') ?? {};
    const stored = profile.sftpExchanges.list();
    const folders = [
      ...policy.exchangeFolders.map((path) => ({ path, managed: true })),
      ...userFolders.filter((path) => !policy.exchangeFolders.includes(path)).map((path) => ({ path, managed: false })),
    ];
    const managedSftp = policy.sftpExchanges.map((entry) => ({
      name: entry.name,
      location: formatSftpAddress(parseSftpAddress(entry.url)),
      hostKey: entry.hostKey,
      managed: true,
      ready: stored.some((own) => own.name === entry.name),
    }));
    const ownSftp = stored
      .filter((own) => !policy.sftpExchanges.some((entry) => entry.name === own.name))
      .map((own) => ({ name: own.name, location: own.address, hostKey: own.hostKey, managed: false, ready: true }));
    const mailbox = profile.mailbox.get();
    return [
      ...folders.map((folder): ExchangeInfo => ({
        name: folder.path,
        label: labelOf(folderNames[folder.path] ?? folder.path, folder.path),
        kind: 'folder',
        location: folder.path,
        managed: folder.managed,
        hostKey: null,
        ready: true,
      })),
      ...[...managedSftp, ...ownSftp].map((entry): ExchangeInfo => ({
        ...entry,
        label: labelOf(entry.name, parseSftpAddress(entry.location).host),
        kind: 'sftp',
      })),
      ...(mailbox
        ? [
            {
              name: mailbox.account.address,
              label: `E-mail (${mailbox.account.address})`,
              kind: 'email' as const,
              location: mailbox.account.address,
              managed: false,
              hostKey: null,
              ready: mailboxAllowed(this.session, mailbox.account),
            },
          ]
        : []),
    ];
  }

  /**
   * Sets up the person's mailbox for delivery by e-mail (mailbox-setup.ts): servers checked against
   * the policy, both logins tried over verified TLS, then saved. Null when the person cancelled.
   */
  async addMailbox(request: MailboxRequest): Promise<ExchangeInfo | null> {
    const account = await addMailbox(this.session, request);
    return account === null ? null : this.find(account.address);
  }

  /** Adds a shared folder, with the name people will see (`name`, else its path). */
  async addFolder(path: string, name?: string): Promise<ExchangeInfo> {
    if (!isAbsolute(path)) path = resolve(path);
    const profile = this.session.requireUnlocked();
    if (name !== undefined) await this.checkNewName(name, path);
    const settings = await this.settings();
    const folders = settings.get('exchangeFolders') ?? [];
    const folder = this.openTransport({ kind: 'folder', name: path, root: path });
    try {
      await announceSelf(folder, profile.identity); // reachable and writable, or a plain error now
    } finally {
      await folder.close();
    }
    if (!folders.includes(path) && !this.session.policy.effective.exchangeFolders.includes(path)) {
      settings.set('exchangeFolders', [...folders, path]);
      if (name !== undefined) settings.set('exchangeNames', { ...settings.get('exchangeNames'), [path]: name });
      profile.audit.append({ action: 'exchange.added', detail: 'folder' });
    }
    return this.find(path);
  }

  /** The host key the server at `url` presents (no login), for the person to compare before pinning it. */
  async presentedHostKey(url: string): Promise<string> {
    const managed = this.session.policy.effective.sftpExchanges.find(
      (entry) => entry.name === url || entry.url === url,
    );
    return SftpSession.presentedHostKey(parseSftpAddress(managed?.url ?? url));
  }

  /** Adds an SFTP server (or this user's login key for a managed one) after logging in with the pinned key. */
  async addSftp(request: SftpRequest): Promise<ExchangeInfo | null> {
    const profile = this.session.requireUnlocked();
    const managed = this.session.policy.effective.sftpExchanges.find(
      (entry) => entry.name === request.url || entry.url === request.url,
    );
    const address = parseSftpAddress(managed?.url ?? request.url);
    const name = managed?.name ?? request.name ?? address.host;
    if (!managed) await this.checkNewName(name, null);
    const given = request.hostKey === undefined ? undefined : parseHostKeyFingerprint(request.hostKey);
    if (managed && given && given !== managed.hostKey) throw new ManagedSetting({}, { variant: 'host-key' });
    const hostKey = managed?.hostKey ?? given;
    if (!hostKey)
      throw new HostKeyConfirmationNeeded(formatSftpAddress(address), await SftpSession.presentedHostKey(address));
    if ((await this.list()).some((entry) => entry.name === name && entry.ready))
      throw new UsageError({ variant: 'exchange-exists', params: { name } });
    const keyFile = await request.keyFile();
    if (keyFile === null) return null; // the person cancelled
    const privateKey = await readFile(keyFile, 'utf8').catch((error: unknown) => {
      throw toIoError('the key file', error);
    });
    const transport = this.openTransport({ kind: 'sftp', name, address, hostKey, privateKey });
    try {
      await announceSelf(transport, profile.identity); // the login works, and partners can reach us there
    } catch (error) {
      // Nothing was pinned before: the key that does not match is the one just typed (or the policy's).
      if (isMedSealError(error) && error.code === HOST_KEY_CHANGED)
        throw new HostKeyChanged(String(error.params.server), hostKey, String(error.params.presented), {
          against: managed ? 'managed' : 'typed',
        });
      throw error;
    } finally {
      await transport.close();
    }
    profile.sftpExchanges.add({ name, address: formatSftpAddress(address), hostKey, privateKey });
    profile.audit.append({ action: 'exchange.added', detail: 'sftp' });
    return this.find(name);
  }

  async remove(name: string): Promise<void> {
    const profile = this.session.requireUnlocked();
    const entry = (await this.list()).find((candidate) => isCalled(candidate, name));
    if (!entry) throw new UnknownExchange();
    if (entry.managed) throw new ManagedSetting({}, { variant: 'exchange-fixed' });
    if (entry.kind === 'folder') {
      const settings = await this.settings();
      settings.set(
        'exchangeFolders',
        (settings.get('exchangeFolders') ?? []).filter((path) => path !== entry.location),
      );
      const { [entry.location]: _forgotten, ...names } = settings.get('exchangeNames') ?? {};
      settings.set('exchangeNames', names);
    } else if (entry.kind === 'email') profile.mailbox.remove();
    else profile.sftpExchanges.remove(entry.name);
    profile.audit.append({ action: 'exchange.removed', detail: entry.kind });
  }

  /** A transport for every ready exchange; the caller closes them. */
  async open(): Promise<Transport[]> {
    const profile = this.session.requireUnlocked();
    const stored = profile.sftpExchanges.list();
    const transports: Transport[] = [];
    for (const entry of await this.list()) {
      const transport = await this.transportFor(entry, stored);
      if (transport) transports.push(transport);
    }
    return transports;
  }

  /** Every exchange tried step by step (exchange-check.ts): `medseal doctor`. */
  async checkAll(now = new Date()): Promise<ExchangeCheck[]> {
    const checks: ExchangeCheck[] = [];
    for (const entry of await this.list()) checks.push(await this.checkOne(entry, now));
    return checks;
  }

  /** One exchange (by name or as shown) tried step by step: "Test connection". */
  async check(name: string, now = new Date()): Promise<ExchangeCheck> {
    const entry = (await this.list()).find((candidate) => isCalled(candidate, name));
    if (!entry) throw new UnknownExchange();
    return this.checkOne(entry, now);
  }

  private async checkOne(entry: ExchangeInfo, now: Date): Promise<ExchangeCheck> {
    const profile = this.session.requireUnlocked();
    if (entry.kind === 'email') {
      // Not ready (the policy no longer allows its servers): checkMailbox says so without trying it.
      const account = entry.ready ? await mailboxInUse(this.session) : null;
      const stored = profile.mailbox.get();
      if (stored) return checkMailbox(entry, account ?? stored.account);
    }
    const transport = await this.transportFor(entry, profile.sftpExchanges.list());
    try {
      return await checkExchange(entry, transport, profile.identity, now);
    } finally {
      await transport?.close();
    }
  }

  /** The transport of a ready exchange; null for one of the organisation's SFTP servers without this person's login key. */
  private async transportFor(entry: ExchangeInfo, stored: readonly StoredSftpExchange[]): Promise<Transport | null> {
    if (!entry.ready) return null;
    if (entry.kind === 'folder') return this.openTransport({ kind: 'folder', name: entry.name, root: entry.location });
    if (entry.kind === 'email') {
      const account = await mailboxInUse(this.session);
      const name = this.session.requireUnlocked().identity.card.profile.name;
      return account ? this.openTransport(mailboxConfig(account, name)) : null;
    }
    const own = stored.find((candidate) => candidate.name === entry.name);
    return own
      ? this.openTransport({
          kind: 'sftp',
          name: entry.name,
          address: parseSftpAddress(entry.location),
          hostKey: entry.hostKey ?? own.hostKey,
          privateKey: own.privateKey,
        })
      : null;
  }

  /** A name for a new exchange: well formed, and not already another exchange's name or label (`path`: the folder being named). */
  private async checkNewName(name: string, path: string | null): Promise<void> {
    if (!EXCHANGE_NAME.test(name)) throw new UsageError({ variant: 'exchange-name' });
    const taken = (await this.list()).some((entry) => entry.location !== path && entry.ready && isCalled(entry, name));
    if (taken) throw new UsageError({ variant: 'exchange-exists', params: { name } });
  }

  private async find(name: string): Promise<ExchangeInfo> {
    const entry = (await this.list()).find((candidate) => candidate.name === name);
    if (!entry) throw new UnknownExchange();
    return entry;
  }

  private async settings() {
    return (await this.session.openStore()).settings;
  }
}
