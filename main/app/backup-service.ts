/**
 * The app's automatic backups (policy `backupFolder`): at unlock and every
 * 10 minutes while unlocked, a backup is written when the newest is older
 * than `backupIntervalHours` (services/automatic-backups.ts). A failure
 * (the share is not mounted, the disk is full) is logged by its code only,
 * never a path, and retried at the next tick; `medseal doctor` reports the
 * age of the newest backup. So is a failed backup after a new recovery kit
 * or passphrase (services/profile-session.ts).
 */
import { codeOf } from '../errors/medseal-error.js';
import type { Logger } from '../logging/logger.js';
import { AutomaticBackups } from '../services/automatic-backups.js';
import type { Session } from './session.js';
import { whileUnlocked } from './while-unlocked.js';

const CHECK_EVERY_MS = 10 * 60_000;

export class BackupService {
  private readonly backups: AutomaticBackups;
  private running: Promise<void> | undefined;

  constructor(
    session: Session,
    private readonly log: Logger,
  ) {
    this.backups = new AutomaticBackups(session.profiles);
    session.profiles.onBackupFailed = (error) => this.failed(error, 'backup after a new kit or passphrase failed');
    whileUnlocked(session, {
      enabled: () => session.profiles.policy.effective.backupFolder !== null,
      everyMs: CHECK_EVERY_MS,
      run: () => void this.runIfDue(),
    });
  }

  /** One check (and backup if due); never two at once. */
  runIfDue(): Promise<void> {
    this.running ??= this.backups
      .runIfDue()
      .then((outcome) => {
        if (outcome.state === 'written')
          this.log.info({ backup: 'written', removed: outcome.removed }, 'automatic backup written');
      })
      .catch((error: unknown) => this.failed(error, 'automatic backup failed; retrying later'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private failed(error: unknown, message: string): void {
    this.log.warn({ backup: 'failed', code: codeOf(error) }, message);
  }
}
