/**
 * Activity: sent and received packages with every recipient, a referral and its replies together
 * as one thread (the whole thread on request), search by file name, subject, person or
 * organisation, Withdraw for a sent package still waiting in an inbox, the audit log's status and
 * export.
 */
import { useEffect, useRef, useState } from 'react';
import { call, on, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { Notice } from '../../components/Notice.js';
import { useAction } from '../../useAction.js';
import { WithdrawPackage } from './WithdrawPackage.js';
import { ActivityRow } from './ActivityRow.js';
import { groupByThread, threadTitle, type Item } from './activityGroups.js';
import { ThreadPanel } from './ThreadPanel.js';

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
  /** The thread shown whole (its first package's id and title). */
  const [threadShown, setThreadShown] = useState<{ rootId: number; title: string } | null>(null);
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
      <label htmlFor="activity-search">Search by file name, subject, person or organisation</label>
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
      {threadShown && (
        <ThreadPanel
          key={threadShown.rootId}
          rootId={threadShown.rootId}
          title={threadShown.title}
          nameOf={nameOf}
          onClose={() => {
            setThreadShown(null);
            title.current?.focus();
          }}
        />
      )}
      {items === null ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="empty">
          {query
            ? 'No package has a file, a subject, a sender or a recipient matching that.'
            : 'Nothing sent or received yet.'}
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
            {groupByThread(items).map((group) =>
              group.thread === null ? (
                <tbody key={group.key}>
                  <ActivityRow item={group.items[0]!} nameOf={nameOf} inThread={false} onWithdraw={setWithdrawing} />
                </tbody>
              ) : (
                <tbody key={group.key} className="thread" aria-label={threadTitle(group)}>
                  <tr className="thread-head">
                    <th scope="rowgroup" colSpan={6}>
                      {threadTitle(group)} · {group.thread.size} packages, newest first
                      {group.items.length < group.thread.size && (
                        <>
                          {' '}
                          ({group.items.length} shown){' '}
                          <button
                            type="button"
                            className="link"
                            onClick={() => setThreadShown({ rootId: group.thread!.rootId, title: threadTitle(group) })}
                          >
                            Show the whole thread
                          </button>
                        </>
                      )}
                    </th>
                  </tr>
                  {group.items.map((item) => (
                    <ActivityRow key={item.id} item={item} nameOf={nameOf} inThread onWithdraw={setWithdrawing} />
                  ))}
                </tbody>
              ),
            )}
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
