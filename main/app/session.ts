/**
 * The app's session: no identity, locked, or unlocked. The profile's life
 * (create, unlock, passphrase, audit events) is the shared ProfileSession;
 * this adds what only a running desktop app has: auto-lock, "remember on
 * this device", file tokens for the window, and hooks run on lock and
 * unlock. Locking — by the user, after inactivity, or when the OS locks or
 * suspends — wipes the keys, forgets file tokens, stops running jobs and
 * tells the window.
 */
import type { KdfStrength } from '../identity/keystore.js';
import { emergencyAccessView } from '../services/emergency-access-view.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import { PolicyBlocked, PolicyGate } from '../services/policy-gate.js';
import { ProfileSession, type NewIdentityInput } from '../services/profile-session.js';
import { personView } from '../services/views.js';
import { restoreBackup, type BackupUnlock } from '../services/restore.js';
import type { Settings } from '../store/settings.js';
import { AutoLock, defaultAutoLockMinutes } from './auto-lock.js';
import { DeviceKey } from './device-key.js';
import { NothingRemembered } from './errors.js';
import { FileTokens } from './file-tokens.js';
import type { Host } from './host.js';

export type LockReason = 'user' | 'idle' | 'os-lock' | 'suspend';

export class Session {
  readonly profiles: ProfileSession;
  readonly files: FileTokens;
  readonly autoLock: AutoLock;
  private readonly deviceKey: DeviceKey;
  private readonly lockHooks: (() => void)[] = [];
  private readonly unlockHooks: (() => void)[] = [];
  private readonly keychain;
  private settingsLoaded = false;

  constructor(
    readonly folder: ProfileFolder,
    private readonly host: Host,
    readonly policy: PolicyGate = PolicyGate.none(),
    /** Key-derivation strength for a new identity; the keystore's default unless given (tests use the floor). */
    private readonly kdf?: KdfStrength,
  ) {
    this.profiles = new ProfileSession(folder, policy, kdf);
    this.files = new FileTokens(folder.path);
    this.keychain = policy.gateKeychain(host.keychain);
    this.deviceKey = new DeviceKey(folder.path, this.keychain);
    this.autoLock = new AutoLock(() => this.lock('idle'), policy.clampAutoLock(defaultAutoLockMinutes()));
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
    return this.profiles.isUnlocked;
  }

  requireProfile(): UnlockedProfile {
    return this.profiles.requireUnlocked();
  }

  async status() {
    const hasIdentity = await this.profiles.identities.exists();
    const keychain = this.keychain.status();
    const policy = this.policy.state;
    return {
      state:
        policy.state === 'error'
          ? ('policy-error' as const)
          : !hasIdentity
            ? ('no-identity' as const)
            : this.isUnlocked
              ? ('unlocked' as const)
              : ('locked' as const),
      policy: {
        problem: policy.state === 'error' ? new PolicyBlocked(policy.source, policy.problem).userMessage : null,
        source: policy.source,
        managed: [...this.policy.managed],
        requireVerifiedRecipients: this.policy.effective.requireVerifiedRecipients,
        maxAutoLockMinutes: this.policy.effective.maxAutoLockMinutes,
        exchangeFolders: [...this.policy.effective.exchangeFolders],
        sendReceipts: this.policy.effective.sendReceipts,
        emergencyAccess: emergencyAccessView(this.policy.recoveryKey(), this.policy),
        passphrasePackages: this.policy.effective.passphrasePackages,
      },
      profile: hasIdentity ? personView(await this.profiles.identities.publicCard()) : null,
      remember: {
        available: keychain.available,
        reason: keychain.reason,
        enabled: hasIdentity && (await this.deviceKey.exists()),
      },
      autoLockMinutes: this.autoLock.currentMinutes,
    };
  }

  async create(input: NewIdentityInput & { passphrase: string }) {
    return this.attached(() => this.profiles.create(input, input.passphrase));
  }

  async unlock(passphrase: string, remember: boolean) {
    if (remember) this.deviceKey.assertAvailable();
    return this.attached(async () => {
      const profile = await this.profiles.unlock(passphrase, 'app');
      if (remember) await this.deviceKey.save(profile.identity.masterKeyForRewrap());
      return profile;
    });
  }

  async unlockRemembered() {
    const masterKey = await this.deviceKey.load();
    if (!masterKey) throw new NothingRemembered();
    try {
      return await this.attached(() => this.profiles.unlockWithMasterKey(masterKey, 'app:device'));
    } finally {
      masterKey.fill(0);
    }
  }

  /** Forgotten passphrase: the recovery code sets a new one, then the profile is unlocked. */
  async recover(code: string, newPassphrase: string) {
    return this.attached(() => this.profiles.recover(code, newPassphrase));
  }

  /** Restores a backup into this profile (no identity yet), then it is unlocked. */
  async restore(path: string, unlock: BackupUnlock, newPassphrase: string | undefined) {
    return this.attached(
      async () => (await restoreBackup(this.profiles, path, unlock, { newPassphrase, kdf: this.kdf })).profile,
    );
  }

  async forgetDevice(): Promise<void> {
    await this.deviceKey.forget();
  }

  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    this.requireProfile();
    await this.profiles.changePassphrase(oldPassphrase, newPassphrase);
  }

  /** The profile's typed settings (the database opens on first use). */
  async settings(): Promise<Settings> {
    const { settings } = await this.profiles.openStore();
    if (!this.settingsLoaded) {
      this.settingsLoaded = true;
      const minutes = settings.get('autoLockMinutes');
      if (minutes !== null) this.autoLock.setMinutes(this.policy.clampAutoLock(minutes));
    }
    return settings;
  }

  async setAutoLockMinutes(minutes: number): Promise<number> {
    this.policy.checkAutoLock(minutes);
    this.autoLock.setMinutes(minutes);
    (await this.settings()).set('autoLockMinutes', minutes);
    return minutes;
  }

  lock(reason: LockReason): void {
    if (!this.isUnlocked) return;
    for (const hook of this.lockHooks) hook();
    // A person who locks ends the draft; a lock the computer or the idle timer made keeps its files for after the unlock.
    if (reason === 'user') this.files.clear();
    else this.files.park();
    this.autoLock.disarm();
    this.profiles.lock();
    this.host.emit('session.locked', { reason });
  }

  close(): void {
    this.lock('user');
    this.profiles.close();
  }

  /** Unlocks through `unlock` (a running profile is locked first), then arms auto-lock and runs the hooks. */
  private async attached(unlock: () => Promise<UnlockedProfile>) {
    await this.settings();
    if (this.isUnlocked) this.lock('user');
    const profile = await unlock();
    await this.files.restore();
    this.autoLock.arm();
    for (const hook of this.unlockHooks) hook();
    return personView(profile.identity.card);
  }
}
