/**
 * One profile's life: create an identity, unlock it (passphrase or a
 * remembered master key), change the passphrase, lock. Every step writes
 * its audit event here, once, for the desktop app and the CLI alike: a
 * wrong passphrase is queued while locked and signed in at the next unlock.
 * Locking wipes every key; the database stays open for the next unlock.
 */
import type { AuditAction } from '../audit/audit-entry.js';
import { sha256 } from '../crypto/primitives.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { directorySourceFor, type DirectorySource } from '../directory/directory-source.js';
import type { VerifiedChain } from '../directory/org-directory.js';
import { OwnDirectoryGossip } from './own-directory-gossip.js';
import { checkPartnerDirectories, partnerCardsOf } from './partner-organisations.js';
import type { SignedHead } from '../directory/directory-log.js';
import type { DirectoryProblem } from '../directory/errors.js';
import { InvalidProfile, RecoveryCodeWrong, WrongPassphrase } from '../identity/errors.js';
import { wipe } from '../crypto/primitives.js';
import { whileNextDerivationRuns } from '../crypto/while-deriving.js';
import { warmUpXwing } from '../crypto/xwing.js';
import { parseRecoveryCode } from '../recovery/recovery-code.js';
import { AutomaticBackups } from './automatic-backups.js';
import { IdentityStore } from '../identity/identity-store.js';
import { normalisePersonDetails, PersonDetailsSchema, type PersonDetails } from '../identity/person-details.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import type { KdfStrength } from '../identity/keystore.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import { ProfileStore } from '../store/profile-store.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import { ProfileLocked } from './errors.js';
import type { PolicyGate } from './policy-gate.js';
import { FolderChanged, type FolderNotSafe } from '../fs/pinned-folder.js';

export interface NewIdentityInput {
  readonly name: string;
  readonly organisation: string;
  readonly role?: string;
  readonly email: string;
}

/** Checks what a person typed for their identity; throws InvalidProfile naming the first bad field. */
export function validateNewIdentity(input: NewIdentityInput): PersonDetails {
  const parsed = PersonDetailsSchema.safeParse(normalisePersonDetails(input));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidProfile({ field: issue?.path.join('.') ?? 'profile', problem: issue?.message ?? 'is invalid' });
}

export class ProfileSession {
  readonly identities: IdentityStore;
  private store: ProfileStore | undefined;
  private unlocked: UnlockedProfile | undefined;
  private ownHead: SignedHead | null = null;
  private ownGossip: OwnDirectoryGossip | null = null;
  /** Told why the backup after a new kit or passphrase failed (the app logs its code, the CLI warns). */
  onBackupFailed: (error: unknown) => void = () => undefined;

  constructor(
    readonly folder: ProfileFolder,
    readonly policy: PolicyGate,
    /** Key-derivation strength for new identities (tests use the minimum). */
    private readonly kdf?: KdfStrength,
  ) {
    this.identities = new IdentityStore(folder);
  }

  get isUnlocked(): boolean {
    return this.unlocked !== undefined;
  }

  /** The unlocked profile; ProfileLocked when there is none. */
  requireUnlocked(): UnlockedProfile {
    if (!this.unlocked) throw new ProfileLocked();
    return this.unlocked;
  }

  /** The profile's database, opened (and migrated) on first use. */
  async openStore(): Promise<ProfileStore> {
    this.store ??= await ProfileStore.open(this.folder);
    return this.store;
  }

  async create(input: NewIdentityInput, passphrase: string): Promise<UnlockedProfile> {
    this.policy.assertUsable();
    const profile = validateNewIdentity(input);
    this.policy.checkPassphrase(passphrase);
    const identity = await this.identities.create({ profile, passphrase, kdf: this.kdf });
    return this.attach(identity, 'identity.created');
  }

  /** `via` names what unlocks (`app`, `cli:seal`…) for the audit log: a short code, never free text. */
  async unlock(passphrase: string, via?: string): Promise<UnlockedProfile> {
    this.policy.assertUsable();
    await this.identities.publicCard(); // IdentityMissing before any key derivation
    whileNextDerivationRuns(warmUpXwing); // the first package after an unlock needs it
    const identity = await this.audited(() => this.identities.unlock(passphrase));
    return this.attachUpgraded(identity, via);
  }

  /** With a master key the OS keychain remembered; the caller wipes its copy. */
  async unlockWithMasterKey(masterKey: Uint8Array, via?: string): Promise<UnlockedProfile> {
    this.policy.assertUsable();
    return this.attachUpgraded(await this.identities.unlockWithMasterKey(masterKey), via);
  }

  /** The first unlock of a profile restored from a backup; `detail` says when it was made and how it was opened (recorded). */
  async unlockRestored(masterKey: Uint8Array, detail: string): Promise<UnlockedProfile> {
    const profile = await this.unlockWithMasterKey(masterKey);
    profile.audit.append({ action: 'identity.restored', detail });
    return profile;
  }

  /** Re-wraps the keys under a new passphrase; the profile is unlocked afterwards. */
  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<UnlockedProfile> {
    this.policy.assertUsable();
    this.policy.checkPassphrase(newPassphrase);
    const identity = await this.audited(() => this.identities.changePassphrase(oldPassphrase, newPassphrase));
    let profile: UnlockedProfile;
    if (!this.unlocked) profile = await this.attach(identity, 'identity.passphrase-changed');
    else {
      identity.wipe(); // the running profile keeps its own copy of the (unchanged) keys
      this.unlocked.audit.append({ action: 'identity.passphrase-changed' });
      profile = this.unlocked;
    }
    await this.supersedeBackups();
    return profile;
  }

  /**
   * Automatic backups made before a new kit, a recovery or a passphrase change still open with the
   * old kit or passphrase: one is written now and the older ones removed (policy backupFolder).
   * Best effort: the change stands; an unreachable share is told to onBackupFailed, tried again by
   * the next regular run, and doctor shows the age of the newest backup.
   */
  private async supersedeBackups(): Promise<void> {
    await new AutomaticBackups(this).supersede().catch((error: unknown) => this.onBackupFailed(error));
  }

  /**
   * Makes `entropy` (a new recovery kit's code) the second way to unwrap the keys, replacing the
   * previous kit's, which stops working. Recorded in the audit log.
   */
  async setRecoveryCode(entropy: Uint8Array, now = new Date()): Promise<void> {
    const profile = this.requireUnlocked();
    await this.identities.setRecoveryCode(profile.identity, entropy, now);
    profile.audit.append({ action: 'identity.recovery-kit-created', at: now });
    await this.supersedeBackups();
  }

  /** A forgotten passphrase: the recovery code sets `newPassphrase`; the profile is unlocked afterwards. */
  async recover(codeText: string, newPassphrase: string): Promise<UnlockedProfile> {
    this.policy.assertUsable();
    this.policy.checkPassphrase(newPassphrase);
    await this.identities.publicCard(); // IdentityMissing first
    const entropy = parseRecoveryCode(codeText);
    const identity = await this.audited(() => this.identities.recover(entropy, newPassphrase)).finally(() =>
      wipe(entropy),
    );
    const profile = await this.attachUpgraded(identity);
    profile.audit.append({ action: 'identity.recovered' });
    await this.supersedeBackups();
    return profile;
  }

  /** Wipes the keys; returns whether anything was unlocked. */
  lock(): boolean {
    if (!this.unlocked) return false;
    this.unlocked.lock();
    this.unlocked = undefined;
    return true;
  }

  close(): void {
    this.lock();
    this.store?.close();
    this.store = undefined;
  }

  /** Runs a passphrase check; a wrong passphrase is queued for the audit log before it is rethrown. */
  private async audited(unlock: () => Promise<UnlockedIdentity>): Promise<UnlockedIdentity> {
    const store = await this.openStore();
    try {
      return await unlock();
    } catch (error) {
      if (error instanceof WrongPassphrase || error instanceof RecoveryCodeWrong) store.recordFailedUnlock(error.code);
      throw error;
    }
  }

  /**
   * Attaches an identity unlocked from its keystore, first giving it a post-quantum key when it
   * was made before there were any (recorded in the audit log). If the keystore cannot be
   * rewritten now, the identity is used as it is and the next unlock tries again.
   */
  private async attachUpgraded(identity: UnlockedIdentity, via?: string): Promise<UnlockedProfile> {
    const upgrade = await this.identities.withPostQuantumKey(identity).catch((error: unknown) => {
      if (!isMedSealError(error)) {
        identity.wipe();
        throw error;
      }
      return { identity, added: false }; // IoError, KeystoreMalformed…: the next unlock tries again
    });
    const profile = await this.attach(upgrade.identity, undefined, via);
    // The detail names the new key (16 hex digits of its SHA-256): a second upgrade, after an old
    // keystore was put back, shows as a second entry with another key.
    if (upgrade.added)
      profile.audit.append({
        action: 'identity.post-quantum-added',
        detail: `pq-key:${sha256(upgrade.identity.card.pqKey!).toString('hex').slice(0, 16)}`,
      });
    return profile;
  }

  /** The organisation's own directory's cards, then those partner organisations vouch for (partner-organisations.ts). */
  private vouchedCards(own: DirectorySource | undefined): DirectorySource {
    return async () => {
      const profile = this.unlocked;
      const rows = profile?.partners.list() ?? [];
      await checkPartnerDirectories(this.policy.effective, rows); // a first check lets other work run
      const partners = partnerCardsOf(this.policy.effective, rows);
      return [...(own ? await own() : []), ...partners];
    };
  }

  /**
   * The head of the organisation's own directory this profile accepted last, signed (null: none, or
   * accepted before heads were kept whole): what sealed packages carry as gossip (FORMAT.md §11).
   */
  ownDirectoryHead(): SignedHead | null {
    return this.ownHead;
  }

  /** Gossip about the organisation's own directory, for the unlocked profile (null while locked). */
  ownDirectoryGossip(): OwnDirectoryGossip | null {
    return this.unlocked ? this.ownGossip : null;
  }

  private async attach(identity: UnlockedIdentity, event?: AuditAction, via?: string): Promise<UnlockedProfile> {
    const store = await this.openStore();
    this.lock();
    const kept = store.settings.get('directoryHeadSeen');
    this.ownHead =
      kept?.validUntil && kept.signature ? { ...kept, validUntil: kept.validUntil, signature: kept.signature } : null;
    const gossip = new OwnDirectoryGossip(store.settings, this.policy.effective.orgPublicKey ?? null, (fork) =>
      this.unlocked?.recordDirectoryRefused(fork),
    );
    this.ownGossip = gossip;
    try {
      const memory = {
        newest: () => store.settings.get('directoryRevocationsSeen'),
        accepted: (updatedAt: string) => store.settings.set('directoryRevocationsSeen', updatedAt),
        heldHead: () => store.settings.get('directoryHeadSeen'),
        acceptedHead: (head: SignedHead) => {
          store.settings.set('directoryHeadSeen', head);
          this.ownHead = head;
        },
        chainVerified: (chain: VerifiedChain) => gossip.chainVerified(chain),
        forked: () => gossip.forked(),
      };
      const onRefused = (problem: DirectoryProblem) => this.unlocked?.recordDirectoryRefused(problem);
      const onFolderProblem = (error: FolderChanged | FolderNotSafe) => {
        const change = error instanceof FolderChanged ? error.change : error.problem;
        this.unlocked?.recordFolderChanged('directory', change); // locked meanwhile: the next unlock reads the folder afresh
      };
      this.unlocked = await store.unlock(identity, {
        event,
        via,
        directory: this.vouchedCards(
          directorySourceFor(this.policy.effective, memory, undefined, onFolderProblem, onRefused),
        ),
      });
    } catch (error) {
      identity.wipe();
      throw error;
    }
    return this.unlocked;
  }
}
