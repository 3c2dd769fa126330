/**
 * What every CLI command needs: the profile folder, the output, the
 * passphrase sources, and the shared services (profile session, send,
 * receive) built on the machine's policy. Commands stay small: parse,
 * call a service, print. `close()` locks the profile (wipes keys) and
 * closes the database whatever happened.
 */
import { whileNextDerivationRuns } from '../crypto/while-deriving.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { IdentityStore } from '../identity/identity-store.js';
import { InProcessPackageJobs } from '../jobs/in-process-package-jobs.js';
import { loadMachinePolicy, type PolicyState } from '../policy/load-policy.js';
import { SiemForwarder } from '../services/siem-forwarder.js';
import { AutomaticBackups } from '../services/automatic-backups.js';
import { ProfileFolder, resolveProfileFolder } from '../profile/profile-folder.js';
import { PolicyGate } from '../services/policy-gate.js';
import { ProfileSession } from '../services/profile-session.js';
import { ReceiveService } from '../services/receive.js';
import { SendService } from '../services/send.js';
import { PassphraseOpenService } from '../services/passphrase-open.js';
import { DeliveryService } from '../services/delivery/delivery.js';
import { DeliveryQueue } from '../services/delivery/delivery-queue.js';
import { Exchanges } from '../services/delivery/exchanges.js';
import { InboxService } from '../services/delivery/inbox.js';
import { Receipts } from '../services/delivery/receipts.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import { warmUpLocalTime } from './format-text.js';
import { Output } from './output.js';
import { obtainPassphrase } from './passphrase.js';
/** Set by the build (esbuild `define`). */
declare const MEDSEAL_VERSION: string | undefined;

export interface GlobalOptions {
  readonly home?: string;
  readonly json?: boolean;
  readonly passphraseFile?: string;
}

export class CliContext {
  readonly folder: ProfileFolder;
  /** The keystore, for commands that need only the public card (no passphrase, no policy). */
  readonly identities: IdentityStore;
  readonly out: Output;
  private profiles: ProfileSession | undefined;
  private forwarder: SiemForwarder | undefined;
  private queue: DeliveryQueue | undefined;
  private backingUp: Promise<void> | undefined;
  private readonly jobs = new InProcessPackageJobs();

  constructor(
    readonly options: GlobalOptions,
    /** Aborted on Ctrl-C or SIGTERM: long jobs stop and remove what they wrote. */
    readonly signal: AbortSignal = new AbortController().signal,
    /** The command, as the audit log names what unlocked (`seal`, `inbox-open`). */
    private readonly commandName = 'cli',
    /** How the machine's policy is read (the machine's own unless a test runs the CLI in-process). */
    private readonly loadPolicy: () => Promise<PolicyState> = () => loadMachinePolicy(),
  ) {
    this.folder = new ProfileFolder(resolveProfileFolder(options.home));
    this.identities = new IdentityStore(this.folder);
    this.out = new Output(Boolean(options.json));
  }

  /** A command to suggest ("Next: …"), with this run's --home kept so that it works when pasted. */
  commandLine(rest: string): string {
    const home = this.options.home;
    if (!home) return `medseal ${rest}`;
    const quoted = /^[\w./:@%+=,-]+$/.test(home) ? home : `"${home.replace(/(["\\$`])/g, '\\$1')}"`;
    return `medseal --home ${quoted} ${rest}`;
  }

  passphrase(confirm = false): Promise<string> {
    return obtainPassphrase({
      file: this.options.passphraseFile,
      envVar: 'MEDSEAL_PASSPHRASE',
      prompt: confirm ? 'New passphrase: ' : 'Passphrase: ',
      confirm,
    });
  }

  /** The machine's policy as this run reads it. */
  machinePolicy(): Promise<PolicyState> {
    return this.loadPolicy();
  }

  /** The profile session under the machine's policy; a policy file with an error stops every command that needs it. */
  async session(): Promise<ProfileSession> {
    if (!this.profiles) {
      this.profiles = new ProfileSession(this.folder, new PolicyGate(await this.loadPolicy()));
      this.profiles.onBackupFailed = (error) =>
        this.out.warn(
          `the automatic backups could not be renewed (${isMedSealError(error) ? error.userMessage : 'an internal error'}); older ones may still open with the old passphrase or kit until the next one is made`,
        );
    }
    this.profiles.policy.assertUsable();
    return this.profiles;
  }

  async policy(): Promise<PolicyGate> {
    return (await this.session()).policy;
  }

  /** Asks for the passphrase and unlocks the profile; a wrong passphrase is audited by the session. */
  async unlock(): Promise<UnlockedProfile> {
    const session = await this.session();
    if (session.isUnlocked) return session.requireUnlocked();
    await this.identities.publicCard(); // IdentityMissing before asking for a passphrase
    const passphrase = await this.passphrase();
    whileNextDerivationRuns(warmUpLocalTime); // most commands that unlock print a time
    return session.unlock(passphrase, `cli:${this.commandName}`);
  }

  /** The profile this command unlocked, or null when it has not (nothing is asked). */
  profileIfUnlocked(): UnlockedProfile | null {
    return this.profiles?.isUnlocked ? this.profiles.requireUnlocked() : null;
  }

  async sender(): Promise<SendService> {
    return new SendService(await this.session(), this.jobs);
  }

  async receiver(): Promise<ReceiveService> {
    return new ReceiveService(await this.session(), this.jobs);
  }

  /** Opening a passphrase package: no profile, no session (services/passphrase-open.ts). */
  passphraseOpener(): PassphraseOpenService {
    return new PassphraseOpenService(this.jobs);
  }

  async exchanges(): Promise<Exchanges> {
    return new Exchanges(await this.session());
  }

  async delivery(): Promise<DeliveryService> {
    return new DeliveryService(await this.session(), await this.exchanges());
  }

  /** Delivering that queues what a down exchange could not take (one queue per run: one retry at a time). */
  async deliveryQueue(): Promise<DeliveryQueue> {
    this.queue ??= new DeliveryQueue(await this.session(), await this.delivery());
    return this.queue;
  }

  async receipts(): Promise<Receipts> {
    return new Receipts(await this.session());
  }

  async inbox(): Promise<InboxService> {
    return new InboxService(
      await this.session(),
      await this.exchanges(),
      await this.receiver(),
      await this.delivery(),
      await this.receipts(),
    );
  }

  /** Runs a job until done; Ctrl-C cancels it (it removes what it wrote). */
  async untilDone<T>(job: { done: Promise<T>; cancel(): void }): Promise<T> {
    const cancel = () => job.cancel();
    if (this.signal.aborted) cancel();
    this.signal.addEventListener('abort', cancel);
    try {
      return await job.done;
    } finally {
      this.signal.removeEventListener('abort', cancel);
    }
  }

  /**
   * Sends the audit events of this command (and any that waited) to the SIEM when the policy names
   * one; a server that cannot be reached is a warning, never a failed command: the events wait in
   * the audit log for the next command or the app.
   */
  async forwardAudit(): Promise<void> {
    if (!this.profiles?.isUnlocked || !this.profiles.policy.effective.syslogServer) return;
    // One forwarder per command, so that its one-flush-at-a-time guard holds (watch flushes after every file).
    this.forwarder ??= new SiemForwarder(this.profiles, {
      appVersion: typeof MEDSEAL_VERSION === 'string' ? MEDSEAL_VERSION : 'development',
      timeoutMs: 5_000,
    });
    const result = await this.forwarder.flush();
    if (result.problem) this.out.warn(`audit events not forwarded yet: ${result.problem}.`);
  }

  /**
   * The policy's automatic backup, when one is due (services/automatic-backups.ts, as the app does
   * while unlocked), after a command that unlocked and every few minutes of `watch`: a service
   * account that only runs the CLI has backups too. Never two at once. A failure is a warning,
   * never a failed command: the next command tries again, and doctor shows the age.
   */
  backupIfDue(): Promise<void> {
    const profiles = this.profiles;
    if (!profiles?.isUnlocked || !profiles.policy.effective.backupFolder) return Promise.resolve();
    this.backingUp ??= new AutomaticBackups(profiles)
      .runIfDue()
      .then(
        () => undefined,
        (error: unknown) => {
          if (!isMedSealError(error)) throw error;
          this.out.warn(
            `the automatic backup could not be written (${error.userMessage}); the next command tries again`,
          );
        },
      )
      .finally(() => {
        this.backingUp = undefined;
      });
    return this.backingUp;
  }

  close(): void {
    this.profiles?.close();
  }
}
