/**
 * The app's SIEM forwarding (policy `syslogServer`): while MedSeal is
 * unlocked the audit log is sent every 15 seconds and at unlock
 * (services/siem-forwarder.ts); while locked, or while the server cannot be
 * reached, the events wait in the audit log on disk. The log notes when
 * forwarding stops and resumes, never a reason that could hold a path.
 */
import type { Logger } from '../logging/logger.js';
import { SiemForwarder } from '../services/siem-forwarder.js';
import type { Session } from './session.js';
import { whileUnlocked } from './while-unlocked.js';

const FLUSH_EVERY_MS = 15_000;

export class SiemService {
  private readonly forwarder: SiemForwarder;
  private waiting = false;

  constructor(
    session: Session,
    private readonly log: Logger,
    appVersion: string,
  ) {
    this.forwarder = new SiemForwarder(session.profiles, { appVersion });
    whileUnlocked(session, {
      enabled: () => session.profiles.policy.effective.syslogServer !== null,
      everyMs: FLUSH_EVERY_MS,
      run: () => void this.flush(),
    });
  }

  /** Sends what waits now (also called after the clinician did something worth recording quickly). */
  async flush(): Promise<void> {
    const result = await this.forwarder.flush();
    if (result.problem && !this.waiting)
      this.log.warn({ siem: 'waiting' }, 'audit events wait: the SIEM server cannot be reached');
    if (!result.problem && this.waiting)
      this.log.info({ siem: 'resumed', sent: result.sent }, 'audit events forwarded to the SIEM again');
    this.waiting = result.problem !== null;
  }
}
