/**
 * The health check's lines for partner organisations (partner-organisations.ts):
 * one per partner, in the state `org partner list` shows; a stale directory
 * (still valid) is a warning, an expired one, one never fetched and a fork
 * alarm are failures, since the partner then vouches for nobody. A fork of
 * the organisation's own directory, found through a colleague's gossip
 * (own-directory-gossip.ts), is a failure too.
 */
import { check, warn, type HealthCheck } from './health-check.js';
import type { PartnerView } from './partner-organisations.js';

export function partnerChecks(views: readonly PartnerView[]): HealthCheck[] {
  return views.map((view) => {
    const name = `partner ${view.name}`;
    const head = view.head ? `change ${view.head.seq}, valid until ${view.head.validUntil.slice(0, 10)}` : '';
    switch (view.status) {
      case 'fresh':
        return check(name, true, `${view.cards} clinician(s) vouched for; ${head}`);
      case 'stale':
        return warn(
          name,
          `${view.cards} clinician(s) vouched for, but the last fetch ${view.lastProblem ? `failed (${view.lastProblem})` : 'is more than a day old'}; ${head}: medseal org partner refresh`,
        );
      case 'expired':
        return check(
          name,
          false,
          `its directory expired (${head}): nobody is vouched for until a fresh one is fetched`,
        );
      case 'never':
        return check(
          name,
          false,
          `no directory fetched yet${view.lastProblem ? ` (${view.lastProblem})` : ''}: nobody is vouched for`,
        );
      case 'fork':
        return check(
          name,
          false,
          `FORK ALARM: its key signed two different histories (${view.alarm ?? ''}); nobody is vouched for until IT resolves it with the partner`,
        );
    }
  });
}

/** The organisation's own directory's fork alarm (found through gossip), when one stands. */
export function ownDirectoryAlarmChecks(alarm: string | null): HealthCheck[] {
  if (alarm === null) return [];
  return [
    check(
      'organisation directory',
      false,
      `FORK ALARM: the organisation key signed two different histories (${alarm}), seen in a colleague's package or receipt; no directory card is trusted on this workstation until IT replaces the organisation key (orgPublicKey)`,
    ),
  ];
}
