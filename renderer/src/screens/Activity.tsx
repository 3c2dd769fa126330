/**
 * Activity: sent and received packages with every recipient, search by file name, person or
 * organisation, Withdraw for a sent package still waiting in an inbox, the audit log's status and export.
 */
import { useEffect, useRef, useState } from 'react';
import { call, on, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { Notice } from '../components/Notice.js';
import { formatBytes, formatDate } from '../format.js';
import { useAction } from '../useAction.js';
import { WithdrawPackage } from './WithdrawPackage.js';
import { nextTryText, queuedStatusText } from '../../../main/texts/queue-texts.js';

type Item = AnswerOf<'history.recent'>[number];

const STATUS_TEXT: Record<Item['deliveries'][number]['status'], string> = {
  sealed: 'sealed, not delivered',
  delivered: 'delivered, waiting for receipt',
  withdrawn: 'withdrawn',
  opened: 'opened',
  refused: 'refused',
  queued: 'queued',
};

/** "opened 3 Mar 2026, 14:02", or for a queued delivery "queued, next try 14:05" (the queue tries it again by itself). */
function statusText(entry: Item['deliveries'][number]): string {
  if (entry.status === 'queued' && entry.nextTryAt) return queuedStatusText(nextTryText(entry.nextTryAt));
  return `${STATUS_TEXT[entry.status]}${entry.at ? ` ${formatDate(entry.at)}` : ''}`;
}

/** At most this many file names in a row; the rest are counted (the search still finds them). */
const NAMES_SHOWN = 3;

function filesText(files: readonly { name: string }[]): string {
  const shown = files.slice(0, NAMES_SHOWN).map((file) => file.name);
  const more = files.length - shown.length;
  return `${files.length === 1 ? '1 file' : `${files.length} files`}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

export function Activity() {
  const [items, setItems] = useState<Item[] | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [query, setQuery] = useState('');
  const { error, fail } = useAction();
  const [audit, setAudit] = useState<AnswerOf<'audit.verify'> | null>(null);
  const [exported, setExported] = useState(false);
  const nameOf = (fingerprint: string) => names.get(fingerprint) ?? `${fingerprint.slice(0, 12)}…`;

  useEffect(() => {
    call('contacts.list', {}).then(
      (contacts) =>
        setNames(new Map(contacts.map((contact) => [contact.fingerprint, `${contact.name}, ${contact.organisation}`]))),
      fail,
    );
  }, [fail]);
  const [changes, setChanges] = useState(0); // receipts came in, the delivery queue moved, or a withdrawal: load again
  useEffect(() => on('exchange.receiptsArrived', () => setChanges((count) => count + 1)), []);
  useEffect(() => on('delivery.queueChanged', () => setChanges((count) => count + 1)), []);
  /** The sent package whose withdrawal is being asked about or shown. */
  const [withdrawing, setWithdrawing] = useState<Item | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      const request = query.trim()
        ? call('history.search', { query, limit: 200 })
        : call('history.recent', { limit: 200 });
      request.then(setItems, fail);
    }, 150);
    return () => clearTimeout(timer);
  }, [query, changes, fail]);

  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title" ref={title} tabIndex={-1}>
        Activity
      </h2>
      <label htmlFor="activity-search">Search by file name, person or organisation</label>
      <input id="activity-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      <ActionError error={error} focus={false} />
      {withdrawing && (
        <WithdrawPackage
          key={withdrawing.id}
          item={withdrawing}
          nameOf={nameOf}
          onWithdrawn={() => setChanges((count) => count + 1)}
          onClose={() => {
            setWithdrawing(null);
            title.current?.focus(); // the panel is gone: back to the top of the screen, not the page body
          }}
        />
      )}
      {items === null ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="empty">
          {query ? 'No package has a file, a sender or a recipient matching that.' : 'Nothing sent or received yet.'}
        </p>
      ) : (
        <div
          className="scroll-x"
          tabIndex={0}
          role="region"
          aria-label="Sent and received packages (scrolls sideways on a narrow window)"
        >
          <table className="activity">
            <caption className="visually-hidden">Sent and received packages</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Direction</th>
                <th scope="col">With</th>
                <th scope="col">Files</th>
                <th scope="col">Size</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={`${item.direction}-${item.id}`}>
                  <td>{formatDate(item.recordedAt)}</td>
                  <td>{item.direction === 'sent' ? 'Sent' : 'Received'}</td>
                  <td className="people">
                    {item.direction === 'sent' ? (
                      <ul className="plain" aria-label="Sent to">
                        {item.recipients.map((fingerprint) => (
                          <li key={fingerprint}>{nameOf(fingerprint)}</li>
                        ))}
                      </ul>
                    ) : (
                      nameOf(item.counterpart)
                    )}
                  </td>
                  <td className="files">{filesText(item.files)}</td>
                  <td>{formatBytes(item.totalBytes)}</td>
                  <td>
                    {item.direction === 'sent' ? (
                      <ul className="plain" aria-label="Recipients">
                        {item.deliveries.map((entry) => (
                          <li key={entry.fingerprint}>
                            {entry.name ?? `${entry.fingerprint.slice(0, 12)}…`}: {statusText(entry)}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      'opened'
                    )}
                    {item.direction === 'sent' && item.deliveries.some((entry) => entry.status === 'delivered') && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Withdraw the package sent ${formatDate(item.recordedAt)}`}
                        onClick={() => setWithdrawing(item)}
                      >
                        Withdraw…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Audit log</h3>
      <div className="row">
        <button type="button" onClick={() => void call('audit.verify', {}).then(setAudit, fail)}>
          Verify the audit log
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void call('audit.export', { format: 'csv' }).then((result) => setExported(result.saved), fail)}
        >
          Export CSV…
        </button>
      </div>
      {audit &&
        (audit.ok ? (
          <Notice kind="success">The audit log is intact: {audit.entries} entries, all signed and chained.</Notice>
        ) : (
          <Notice kind="error">
            The audit log was changed outside MedSeal (entry {audit.firstBadSeq}: {audit.problem}). Contact IT.
          </Notice>
        ))}
      {exported && <Notice kind="success">Audit log exported.</Notice>}
    </section>
  );
}
