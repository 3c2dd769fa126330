/** The exchange inbox on Receive: who sent each package and how far they are trusted, before it is opened. */
import { TrustBadge } from '../../components/TrustBadge.js';
import { formatBytes, formatDate } from '../../format.js';
import type { Inbox } from './useInbox.js';

export function InboxList({ inbox, onOpen }: { inbox: Inbox; onOpen: (token: string) => void }) {
  if (inbox.length === 0) return null;
  return (
    <section aria-labelledby="inbox-title">
      <h3 id="inbox-title">In your exchange inbox</h3>
      <ul className="file-list">
        {inbox.map((entry, index) => (
          <li key={entry.token ?? `unavailable-${index}`}>
            {entry.sender ? (
              <span>
                From <strong>{entry.sender.name}</strong>, {entry.sender.organisation}{' '}
                <TrustBadge state={entry.sender.trust} vouchedBy={entry.sender.vouchedBy} />
              </span>
            ) : (
              <span className="muted">Cannot be read: {entry.problem}</span>
            )}{' '}
            <span className="muted">
              arrived {formatDate(entry.arrivedAt)} · {formatBytes(entry.size)} · on {entry.exchanges.join(' and ')}
            </span>
            {entry.token !== null && (
              <button type="button" className="link" onClick={() => onOpen(entry.token!)}>
                Open
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
