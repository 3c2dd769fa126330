/**
 * Partner organisations in the running app: their directories fetched in
 * the background at unlock and every hour while unlocked (whileUnlocked, as
 * SIEM forwarding and backups), and on "Refresh now" — always through the
 * one service, services/partner-organisations.ts, which keeps each
 * partner's state (fresh, stale, the last problem) and audits a refused
 * directory. Never two refreshes at once. A failure in the background is
 * logged by its code only when a partner's outcome changes (no spam, no
 * crash). A fork alarm is told once per app run, by a desktop notification
 * naming the organisation; Settings → Partner organisations shows it as long
 * as it stands ('partners.changed' tells the window after each refresh).
 */
import { codeOf, isMedSealError } from '../errors/medseal-error.js';
import type { Handlers } from '../ipc/dispatcher.js';
import type { Logger } from '../logging/logger.js';
import { PartnerDirectories, type PartnerView } from '../services/partner-organisations.js';
import { forkAlarmText, partnerProblemText } from '../texts/partner-texts.js';
import type { Host } from './host.js';
import type { Notifier } from './notifier.js';
import type { Session } from './session.js';
import { whileUnlocked } from './while-unlocked.js';

/** How often partner directories are fetched while unlocked (a directory is "stale" after a day). */
export const PARTNER_REFRESH_MS = 60 * 60_000;

export type PartnerChannel = 'partners.list' | 'partners.refresh';

/** A partner as the window is shown it: the service's view, its problem and alarm in words. */
export function partnerWindowView(view: PartnerView) {
  return {
    id: view.id,
    name: view.name,
    source: view.source,
    code: view.code,
    managed: view.managed,
    status: view.status,
    cards: view.cards,
    head: view.head && { ...view.head },
    fetchedAt: view.fetchedAt,
    lastProblem:
      view.lastProblem === null ? null : { code: view.lastProblem, message: partnerProblemText(view.lastProblem) },
    alarm: view.alarm === null ? null : forkAlarmText(view.alarm),
  };
}

export class PartnerRefresh {
  private readonly partners: PartnerDirectories;
  private running: Promise<ReturnType<typeof partnerWindowView>[]> | undefined;
  /** Fork alarms told already (partner id and both heads): each is told once per app run. */
  private readonly told = new Set<string>();
  /** Each partner's last outcome and problem code, so that the log notes changes, not every hour. */
  private readonly lastOutcome = new Map<string, string>();

  constructor(
    session: Session,
    private readonly host: Host,
    private readonly log: Logger,
    private readonly notifier: Notifier,
  ) {
    this.partners = new PartnerDirectories(session.profiles);
    whileUnlocked(session, {
      enabled: () => true, // partners may be added with the CLI while the app runs: the tick looks each time
      everyMs: PARTNER_REFRESH_MS,
      run: () => void this.inBackground(),
    });
  }

  handlers(): Pick<Handlers, PartnerChannel> {
    return {
      'partners.list': async () => this.partners.list().map(partnerWindowView),
      'partners.refresh': () => this.refresh(),
    };
  }

  /** Fetches every partner's directory now (or joins the refresh under way); the partners after it. */
  refresh(): Promise<ReturnType<typeof partnerWindowView>[]> {
    this.running ??= this.refreshAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async inBackground(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      // Locked meanwhile, the store closed, a fault of ours: the next tick (or unlock) tries again.
      this.log.warn({ partners: 'refresh-failed', code: codeOf(error) }, 'partner directories not refreshed');
    }
  }

  private async refreshAll() {
    if (this.partners.partners().length === 0) return [];
    const results = await this.partners.refresh();
    for (const result of results) {
      const code = result.problem && isMedSealError(result.problem) ? result.problem.code : null;
      const outcome = `${result.outcome}:${code ?? ''}`;
      if (this.lastOutcome.get(result.name) === outcome) continue;
      this.lastOutcome.set(result.name, outcome);
      if (result.outcome === 'accepted') this.log.info({ partners: 'accepted' }, 'a partner directory was accepted');
      else this.log.warn({ partners: result.outcome, code }, 'a partner directory was not accepted');
    }
    const views = this.partners.list();
    const alarms = views.filter((view) => view.status === 'fork');
    for (const view of alarms) {
      const key = `${view.id} ${view.alarm ?? ''}`;
      if (this.told.has(key)) continue;
      this.told.add(key);
      await this.notifier.partnerAlarm(view.name);
    }
    this.host.emit('partners.changed', { alarms: alarms.length });
    return views.map(partnerWindowView);
  }
}
