/**
 * Under the inbox: whether the exchanges are being looked at now, or when they
 * were last ("Last checked 12:45 · 2 exchanges"), and how many failed (Settings
 * says which and why). Nothing when no exchange is set up.
 */
import { useEffect, useState } from 'react';
import { call, on, type AnswerOf } from '../../api.js';
import { formatTime } from '../../format.js';

type InboxStatus = AnswerOf<'exchange.inboxStatus'>;

export function InboxStatusLine({ fail }: { fail: (caught: unknown) => void }) {
  const [status, setStatus] = useState<InboxStatus | null>(null);
  useEffect(() => void call('exchange.inboxStatus', {}).then(setStatus, fail), [fail]);
  useEffect(() => on('exchange.inboxStatus', setStatus), []);
  if (!status || (status.exchanges === 0 && !status.checking)) return null;
  const exchanges = `${status.exchanges} ${status.exchanges === 1 ? 'exchange' : 'exchanges'}`;
  return (
    <p className="hint" role="status" aria-live="polite">
      {status.checking
        ? 'Checking the exchanges…'
        : status.lastCheckedAt
          ? `Last checked ${formatTime(status.lastCheckedAt)} · ${exchanges}`
          : 'Not checked yet'}
      {!status.checking && status.failing > 0 && <> · {status.failing} not reachable (Settings → Exchanges says why)</>}
    </p>
  );
}
