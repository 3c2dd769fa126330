/**
 * Settings → Partner organisations, read-only: each partner whose directory
 * vouches for its clinicians, with its state in the CLI's words (fresh,
 * stale, expired, fork alarm), how many clinicians it vouches for, until
 * when, the last problem, and whether IT's policy sets it. A fork alarm is
 * shown as an alarm above the list. "Refresh now" fetches every directory
 * as the hourly background refresh does; the list follows each refresh
 * ('partners.changed'). Adding and removing partners is IT's, in the CLI.
 */
import { useCallback, useEffect, useState } from 'react';
import { call, on, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { Notice } from '../components/Notice.js';
import { formatDate } from '../format.js';
import { useAction } from '../useAction.js';
import {
  PARTNER_STATUS_EXPLANATION,
  PARTNER_STATUS_LABEL,
  PARTNERS_ADDED_BY_IT,
} from '../../../main/texts/partner-texts.js';

type Partner = AnswerOf<'partners.list'>[number];

const BADGE: Record<Partner['status'], string> = {
  never: 'badge-unknown',
  fresh: 'badge-verified',
  stale: 'badge-unverified',
  expired: 'badge-alarm',
  fork: 'badge-alarm',
};

function PartnerEntry({ partner }: { partner: Partner }) {
  return (
    <li className="partner">
      <h4>
        {partner.name} <span className={`badge ${BADGE[partner.status]}`}>{PARTNER_STATUS_LABEL[partner.status]}</span>
      </h4>
      <p>{PARTNER_STATUS_EXPLANATION[partner.status]}</p>
      <dl>
        <dt>Clinicians vouched for</dt>
        <dd>{partner.cards}</dd>
        <dt>Valid until</dt>
        <dd>{partner.head ? formatDate(partner.head.validUntil) : 'no directory accepted yet'}</dd>
        <dt>Last fetched</dt>
        <dd>{partner.fetchedAt ? formatDate(partner.fetchedAt) : 'never'}</dd>
        <dt>Last problem</dt>
        <dd>{partner.lastProblem ? partner.lastProblem.message : 'none'}</dd>
        <dt>Set by</dt>
        <dd>{partner.managed ? 'your organisation’s policy' : 'IT, on this computer'}</dd>
        <dt>Directory from</dt>
        <dd className="truncate" title={partner.source}>
          {partner.source}
        </dd>
      </dl>
    </li>
  );
}

export function PartnerSettings() {
  const [partners, setPartners] = useState<readonly Partner[] | null>(null);
  const { busy, progress, error, run, fail } = useAction();
  const load = useCallback(() => void call('partners.list', {}).then(setPartners, fail), [fail]);
  useEffect(() => {
    load();
    return on('partners.changed', load);
  }, [load]);
  const refresh = async () => {
    const answer = await run(() => call('partners.refresh', {}), 'Refreshing…');
    if (answer.ok) setPartners(answer.value);
  };
  if (!partners) return null;
  const alarms = partners.filter((partner) => partner.status === 'fork');
  return (
    <section aria-labelledby="partners-title">
      <h3 id="partners-title">Partner organisations</h3>
      <p>
        Clinicians of a partner organisation are vouched for by its signed directory, which MedSeal fetches when you
        unlock and every hour. {PARTNERS_ADDED_BY_IT}
      </p>
      {alarms.map((partner) => (
        <Notice key={partner.id} kind="error">
          <strong>Alarm: {partner.name}’s directory showed two different histories.</strong> {partner.alarm} Whoever
          holds its key may have shown different versions to different readers. Nobody is vouched for by {partner.name}{' '}
          until IT has resolved this with the partner; tell your IT.
        </Notice>
      ))}
      {partners.length === 0 ? (
        <p className="empty">No partner organisations.</p>
      ) : (
        <ul className="partner-list" aria-label="Partner organisations">
          {partners.map((partner) => (
            <PartnerEntry key={partner.id} partner={partner} />
          ))}
        </ul>
      )}
      <ActionError error={error} />
      {partners.length > 0 && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void refresh()}>
          {progress ?? 'Refresh now'}
        </button>
      )}
    </section>
  );
}
