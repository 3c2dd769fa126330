/**
 * Forwards the audit log to the SIEM named by policy `syslogServer`: every
 * entry after the last one the server confirmed, in order, as RFC 5424 or
 * CEF messages (siem/siem-message.ts). The audit log is the queue: it is on
 * disk, signed and numbered, so nothing is lost while the server is down,
 * and the position (the last confirmed seq per server) is saved only after
 * a batch was confirmed, so a restart sends nothing twice. The app flushes
 * on a timer while unlocked, the CLI at the end of each command.
 */
import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { isSystemError } from '../errors/node-error.js';
import { parseSiemAddress } from '../siem/siem-address.js';
import { siemMessage, type SiemOrigin } from '../siem/siem-message.js';
import { sendSiemBatch, type SiemSend } from '../siem/siem-sender.js';
import type { ProfileSession } from './profile-session.js';

const BATCH = 500;

export type SiemFlush =
  { readonly sent: number; readonly problem: null } | { readonly sent: number; readonly problem: string };

function currentUser(): string {
  try {
    return userInfo().username;
  } catch (error) {
    if (isSystemError(error)) return 'unknown'; // an account with no entry in the user database (a container, a service)
    throw error;
  }
}

export class SiemForwarder {
  private running: Promise<SiemFlush> | null = null;

  constructor(
    private readonly session: ProfileSession,
    private readonly options: {
      readonly send?: SiemSend;
      readonly origin?: SiemOrigin;
      readonly appVersion?: string;
      readonly timeoutMs?: number;
    } = {},
  ) {}

  /** Sends what the server has not confirmed yet; one flush at a time. Never throws: a problem is returned (and the entries wait). */
  flush(): Promise<SiemFlush> {
    this.running ??= this.flushNow().finally(() => (this.running = null));
    return this.running;
  }

  private async flushNow(): Promise<SiemFlush> {
    const { syslogServer, syslogFormat, syslogCaFile } = this.session.policy.effective;
    if (!syslogServer || !this.session.isUnlocked) return { sent: 0, problem: null };
    let sent = 0;
    try {
      const address = parseSiemAddress(syslogServer);
      const ca = syslogCaFile ? await readFile(syslogCaFile) : undefined;
      const origin = this.options.origin ?? {
        hostname: hostname(),
        user: currentUser(),
        appVersion: this.options.appVersion ?? '0',
      };
      const send = this.options.send ?? sendSiemBatch;
      const { settings } = await this.session.openStore();
      for (;;) {
        const profile = this.session.requireUnlocked();
        const positions = settings.get('siemForwarded') ?? {};
        const entries = profile.audit.entriesAfter(positions[syslogServer] ?? 0, BATCH);
        if (entries.length === 0) return { sent, problem: null };
        await send(
          address,
          entries.map((entry) => siemMessage(entry, origin, syslogFormat)),
          { ca, timeoutMs: this.options.timeoutMs },
        );
        settings.set('siemForwarded', { ...positions, [syslogServer]: entries.at(-1)!.seq });
        sent += entries.length;
      }
    } catch {
      // The reason stays out: system messages can hold paths. The entries wait for the next flush.
      return { sent, problem: 'the SIEM server could not be reached, or did not take the events' };
    }
  }
}
