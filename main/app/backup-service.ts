/**
 * The app's automatic backups (policy `backupFolder`): at unlock and every
 * 10 minutes while unlocked, a backup is written when the newest is older
 * than `backupIntervalHours` (services/automatic-backups.ts). A failure
 * (the share is not mounted, the disk is full) is logged by its code only,
 * never a path, and retried at the next tick; `medseal doctor` reports the
 * age of the newest backup.
 */
import { isMedSealError } from '../errors/medseal-error.js';
import type { Logger } from '../logging/logger.js';
import { AutomaticBackups } from '../services/automatic-backups.js';
import type { Session } from './session.js';

const CHECK_EVERY_MS = 10 * 60_000;

export class BackupService {
  private readonly backups: AutomaticBackups;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly session: Session,
    private readonly log: Logger,
  ) {
    this.backups = new AutomaticBackups(session.profiles);
    session.onUnlock(() => this.start());
    session.onLock(() => this.stop());
  }

  /** One check (and backup if due); never two at once. */
  runIfDue(): Promise<void> {
    this.running ??= this.backups
      .runIfDue()
      .then((outcome) => {
        if (outcome.state === 'written') this.log.info({ backup: 'written', removed: outcome.removed }, 'automatic backup written');
      })
      .catch((error: unknown) => {
        this.log.warn({ backup: 'failed', code: isMedSealError(error) ? error.code : 'INTERNAL' }, 'automatic backup failed; retrying later');
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private start(): void {
    this.stop();
    if (!this.session.profiles.policy.effective.backupFolder) return;
    void this.runIfDue();
    this.timer = setInterval(() => void this.runIfDue(), CHECK_EVERY_MS);
    this.timer.unref?.();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
