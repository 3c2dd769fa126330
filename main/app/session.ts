/**
 * The app's session: no identity, locked, or unlocked. Owns the one
 * UnlockedProfile (the keys) of the running app; locking — by the user,
 * after inactivity, or when the OS locks or suspends — wipes the keys,
 * forgets file tokens, stops running jobs and tells the window.
 */
import { IdentityStore } from '../identity/identity-store.js';
import { InvalidProfile, WrongPassphrase } from '../identity/errors.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { normaliseProfileInput, ProfileSchema } from '../identity/profile.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import { ProfileStore } from '../store/profile-store.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import type { AuditAction } from '../audit/audit-entry.js';
import { AutoLock, DEFAULT_AUTO_LOCK_MINUTES } from './auto-lock.js';
import { directorySourceFor } from '../directory/directory-source.js';
import { PolicyBlocked, PolicyGate } from './policy-gate.js';
import { DeviceKey } from './device-key.js';
import { AppLocked, NothingRemembered } from './errors.js';
import { FileTokens } from './file-tokens.js';
import type { Host } from './host.js';
import { profileView } from './views.js';

export type LockReason = 'user' | 'idle' | 'os-lock' | 'suspend';
const AUTO_LOCK_SETTING = 'app.autoLockMinutes';

export class Session {
  readonly identities: IdentityStore;
  readonly files: FileTokens;
  readonly autoLock: AutoLock;
  private readonly deviceKey: DeviceKey;
  private readonly lockHooks: (() => void)[] = [];
  private readonly unlockHooks: (() => void)[] = [];
  private store: ProfileStore | undefined;
  private profile: UnlockedProfile | undefined;

  private readonly keychain;

  constructor(
    readonly folder: ProfileFolder,
    private readonly host: Host,
    readonly policy: PolicyGate = PolicyGate.none(),
  ) {
    this.identities = new IdentityStore(folder);
    this.files = new FileTokens(folder.path);
    this.keychain = policy.gateKeychain(host.keychain);
    this.deviceKey = new DeviceKey(folder.path, this.keychain);
    this.autoLock = new AutoLock(() => this.lock('idle'), policy.clampAutoLock(DEFAULT_AUTO_LOCK_MINUTES));
  }

  /** Run on every lock, before the keys are wiped (cancel jobs, close previews). */
  onLock(hook: () => void): void {
    this.lockHooks.push(hook);
  }

  /** Run after every successful unlock (deliver files the OS asked us to open meanwhile). */
  onUnlock(hook: () => void): void {
    this.unlockHooks.push(hook);
  }

  get isUnlocked(): boolean {
    return this.profile !== undefined;
  }

  requireProfile(): UnlockedProfile {
    if (!this.profile) throw new AppLocked();
    return this.profile;
  }

  async status() {
    const hasIdentity = await this.identities.exists();
    const keychain = this.keychain.status();
    const policy = this.policy.state;
    return {
      state: policy.state === 'error' ? ('policy-error' as const) : !hasIdentity ? ('no-identity' as const) : this.profile ? ('unlocked' as const) : ('locked' as const),
      policy: { problem: policy.state === 'error' ? new PolicyBlocked(policy.source, policy.problem).userMessage : null, source: policy.source, managed: [...this.policy.managed], requireVerifiedRecipients: this.policy.effective.requireVerifiedRecipients, maxAutoLockMinutes: this.policy.effective.maxAutoLockMinutes, exchangeFolders: [...this.policy.effective.exchangeFolders] },
      profile: hasIdentity ? profileView(await this.identities.publicCard()) : null,
      remember: { available: keychain.available, reason: keychain.reason, enabled: hasIdentity && (await this.deviceKey.exists()) },
      autoLockMinutes: this.autoLock.currentMinutes,
    };
  }

  async create(input: { name: string; organisation: string; role: string; email: string; passphrase: string }) {
    this.policy.checkPassphrase(input.passphrase);
    const parsed = ProfileSchema.safeParse(normaliseProfileInput(input));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidProfile(`The ${issue?.path.join('.') ?? 'profile'} ${issue?.message ?? 'is invalid'}.`);
    }
    const identity = await this.identities.create({ profile: parsed.data, passphrase: input.passphrase });
    return this.attach(identity, 'identity.created');
  }

  async unlock(passphrase: string, remember: boolean) {
    if (remember) this.deviceKey.assertAvailable();
    const store = await this.openStore();
    let identity: UnlockedIdentity;
    try {
      identity = await this.identities.unlock(passphrase);
    } catch (error) {
      if (error instanceof WrongPassphrase) store.recordWhileLocked('identity.unlock-failed', error.code);
      throw error;
    }
    if (remember) await this.deviceKey.save(identity.masterKeyForRewrap());
    return this.attach(identity);
  }

  async unlockRemembered() {
    const masterKey = await this.deviceKey.load();
    if (!masterKey) throw new NothingRemembered();
    try {
      return await this.attach(await this.identities.unlockWithMasterKey(masterKey));
    } finally {
      masterKey.fill(0);
    }
  }

  async forgetDevice(): Promise<void> {
    await this.deviceKey.forget();
  }

  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    this.requireProfile();
    this.policy.checkPassphrase(newPassphrase);
    const store = await this.openStore();
    let identity: UnlockedIdentity;
    try {
      identity = await this.identities.changePassphrase(oldPassphrase, newPassphrase);
    } catch (error) {
      if (error instanceof WrongPassphrase) store.recordWhileLocked('identity.unlock-failed', error.code);
      throw error;
    }
    identity.wipe(); // the running profile keeps its own copy of the (unchanged) keys
    this.requireProfile().audit.append({ action: 'identity.passphrase-changed' });
  }

  /** A setting of this profile (plain text in the database: never patient information). */
  async setting(key: string): Promise<string | null> {
    return readSetting(await this.openStore(), key);
  }

  async saveSetting(key: string, value: string): Promise<void> {
    writeSetting(await this.openStore(), key, value);
  }

  setAutoLockMinutes(minutes: number): number {
    this.policy.checkAutoLock(minutes);
    this.autoLock.setMinutes(minutes);
    if (this.store) writeSetting(this.store, AUTO_LOCK_SETTING, String(minutes));
    return minutes;
  }

  lock(reason: LockReason): void {
    if (!this.profile) return;
    for (const hook of this.lockHooks) hook();
    this.files.clear();
    this.autoLock.disarm();
    this.profile.lock();
    this.profile = undefined;
    this.host.emit('session.locked', { reason });
  }

  close(): void {
    this.lock('user');
    this.store?.close();
    this.store = undefined;
  }

  private async openStore(): Promise<ProfileStore> {
    if (!this.store) {
      this.store = await ProfileStore.open(this.folder);
      const minutes = Number(readSetting(this.store, AUTO_LOCK_SETTING));
      if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 60) this.autoLock.setMinutes(this.policy.clampAutoLock(minutes));
    }
    return this.store;
  }

  private async attach(identity: UnlockedIdentity, event?: AuditAction) {
    const store = await this.openStore();
    if (this.profile) this.lock('user');
    try {
      this.profile = await store.unlock(identity, { event, directory: directorySourceFor(this.policy.effective) });
    } catch (error) {
      identity.wipe();
      throw error;
    }
    this.autoLock.arm();
    for (const hook of this.unlockHooks) hook();
    return profileView(identity.card);
  }
}

function readSetting(store: ProfileStore, key: string): string | null {
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

function writeSetting(store: ProfileStore, key: string, value: string): void {
  store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
