/**
 * One exchange in Settings → Exchanges: its name as people see it, how it did at the last look,
 * "Test connection" (the check `medseal doctor` runs: each step that passed, or the one that
 * failed with the next step), and Remove, which asks first.
 */
import { useState } from 'react';
import { call, type AnswerOf } from '../api.js';
import { Notice } from '../components/Notice.js';
import { formatDate } from '../format.js';
import { useAction } from '../useAction.js';
import { ActionError } from '../components/ActionError.js';
import { EXCHANGE_STEP_FAILED, EXCHANGE_STEP_PASSED } from '../../../main/texts/exchange-check-texts.js';

type Exchange = AnswerOf<'exchange.list'>[number];
type Check = AnswerOf<'exchange.test'>;

/** Before the label, which already says "E-mail (address)" for the mailbox. */
const KIND_PREFIX: Record<Exchange['kind'], string> = { folder: 'Folder ', sftp: 'SFTP ', email: '' };

function statusText(exchange: Exchange): string {
  const { state, since } = exchange.status;
  if (!exchange.ready)
    return exchange.kind === 'email'
      ? 'not used: your organisation does not allow these servers'
      : 'needs your login key';
  if (state === 'connected') return 'connected';
  if (state === 'host-key-changed')
    return `host key changed — nothing is sent or fetched (since ${since ? formatDate(since) : 'now'})`;
  if (state === 'unreachable') return `unreachable since ${since ? formatDate(since) : 'now'}`;
  return 'not checked yet';
}

function CheckResult({ check }: { check: Check }) {
  const passed = check.passed.map((step) => EXCHANGE_STEP_PASSED[step]).join(' · ');
  if (!check.failed)
    return (
      <Notice kind="success" focus>
        {check.label} works: {passed}.
      </Notice>
    );
  return (
    <Notice kind="error" focus>
      <strong>
        {check.label}: {EXCHANGE_STEP_FAILED[check.failed.step]}.
      </strong>{' '}
      {passed ? `(${passed}.) ` : ''}
      {check.failed.message} <strong>Next:</strong> {check.failed.next}
    </Notice>
  );
}

export function ExchangeRow({ exchange, onRemove }: { exchange: Exchange; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [check, setCheck] = useState<Check | null>(null);
  const { busy, progress, error, run } = useAction();
  const test = () =>
    void run(async () => {
      setCheck(null);
      setCheck(await call('exchange.test', { name: exchange.name }));
    }, 'Testing…');
  return (
    <li className="exchange">
      <div className="row">
        <span className="truncate" title={exchange.location}>
          {KIND_PREFIX[exchange.kind]}
          {exchange.label}
        </span>
        <span className={exchange.status.state === 'connected' ? 'muted' : 'warning-text'}>{statusText(exchange)}</span>
        <button
          type="button"
          className="link"
          disabled={busy}
          aria-label={`${progress ?? 'Test connection'} of ${exchange.label}`}
          onClick={test}
        >
          {progress ?? 'Test connection'}
        </button>
        {exchange.managed ? (
          <span className="muted">Managed by your organisation</span>
        ) : (
          !confirming && (
            <button
              type="button"
              className="link"
              aria-label={`Remove ${exchange.label}`}
              onClick={() => setConfirming(true)}
            >
              Remove
            </button>
          )
        )}
      </div>
      {confirming && (
        <div role="group" aria-label={`Remove ${exchange.label}?`} className="confirm">
          <p>
            {exchange.kind === 'email'
              ? `Remove ${exchange.label}? MedSeal will no longer send or fetch packages by e-mail; what waits in the mailbox stays there.`
              : `Remove ${exchange.label}? Packages waiting there will not be fetched, and partners who send there will not reach you.`}
          </p>
          <button type="button" onClick={onRemove}>
            Remove it
          </button>{' '}
          <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      )}
      {check && <CheckResult check={check} />}
      <ActionError error={error} />
    </li>
  );
}
