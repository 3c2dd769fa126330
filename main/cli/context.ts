/**
 * What every CLI command needs: the profile folder, the output, and a way to
 * unlock the profile (identity + database). Commands stay small; `close()`
 * locks the profile (wipes keys) and closes the database whatever happened.
 */
import type { AuditAction } from '../audit/audit-entry.js';
import { IdentityStore } from '../identity/identity-store.js';
import { WrongPassphrase } from '../identity/errors.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { ProfileFolder, resolveProfileFolder } from '../profile/profile-folder.js';
import { ProfileStore } from '../store/profile-store.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import { obtainPassphrase } from './passphrase.js';
import { Output } from './output.js';
import { PolicyGate } from '../app/policy-gate.js';
import { loadPolicy } from '../policy/load-policy.js';
import { directorySourceFor } from '../directory/directory-source.js';

export interface GlobalOptions {
  readonly home?: string;
  readonly json?: boolean;
  readonly passphraseFile?: string;
}

export class CliContext {
  readonly folder: ProfileFolder;
  readonly identities: IdentityStore;
  readonly out: Output;
  private store: ProfileStore | undefined;
  private policyGate: PolicyGate | undefined;
  private profile: UnlockedProfile | undefined;

  constructor(
    readonly options: GlobalOptions,
    /** Aborted on Ctrl-C or SIGTERM: long jobs stop and remove what they wrote. */
    readonly signal: AbortSignal = new AbortController().signal,
  ) {
    this.folder = new ProfileFolder(resolveProfileFolder(options.home));
    this.identities = new IdentityStore(this.folder);
    this.out = new Output(Boolean(options.json));
  }

  passphrase(confirm = false): Promise<string> {
    return obtainPassphrase({
      file: this.options.passphraseFile,
      envVar: 'MEDSEAL_PASSPHRASE',
      prompt: confirm ? 'New passphrase: ' : 'Passphrase: ',
      confirm,
    });
  }

  /** The machine's managed policy; a policy file with an error stops every command that changes anything. */
  async policy(): Promise<PolicyGate> {
    this.policyGate ??= new PolicyGate(await loadPolicy());
    this.policyGate.assertUsable();
    return this.policyGate;
  }

  async openStore(): Promise<ProfileStore> {
    this.store ??= await ProfileStore.open(this.folder);
    return this.store;
  }

  /** Asks for the passphrase and opens the profile; a wrong passphrase is audited. */
  async unlock(): Promise<UnlockedProfile> {
    if (this.profile) return this.profile;
    await this.identities.publicCard(); // IdentityMissing before asking for a passphrase
    await this.policy();
    const store = await this.openStore();
    let identity: UnlockedIdentity;
    try {
      identity = await this.identities.unlock(await this.passphrase());
    } catch (error) {
      if (error instanceof WrongPassphrase) store.recordWhileLocked('identity.unlock-failed', error.code);
      throw error;
    }
    return this.attach(identity);
  }

  /** Opens the profile with an identity already unlocked (just created, or passphrase just changed). */
  async attach(identity: UnlockedIdentity, event?: AuditAction): Promise<UnlockedProfile> {
    const store = await this.openStore();
    try {
      this.profile = await store.unlock(identity, { event, directory: this.policyGate ? directorySourceFor(this.policyGate.effective) : undefined });
    } catch (error) {
      identity.wipe();
      throw error;
    }
    return this.profile;
  }

  close(): void {
    this.profile?.lock();
    this.store?.close();
  }
}
