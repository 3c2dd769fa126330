/**
 * One package in Activity's table: when, which way, with whom, its subject and files, its size,
 * and how far it got (each recipient of a sent one; "opened" for one received), with Withdraw
 * for a sent package still waiting in an inbox.
 */
import { formatBytes, formatDate } from '../../format.js';
import { nextTryText, queuedStatusText } from '../../../../main/texts/queue-texts.js';
import { PASSPHRASE_OPENED_TEXT } from '../../../../main/texts/delivery-texts.js';
import type { Item } from './activityGroups.js';
import { passphrasePackageText } from '../../../../main/texts/passphrase-texts.js';

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
  const word = entry.passphrase && entry.status === 'opened' ? PASSPHRASE_OPENED_TEXT : STATUS_TEXT[entry.status];
  return `${word}${entry.at ? ` ${formatDate(entry.at)}` : ''}`;
}

/** At most this many file names in a row; the rest are counted (the search still finds them). */
const NAMES_SHOWN = 3;

function filesText(files: readonly { name: string }[]): string {
  const shown = files.slice(0, NAMES_SHOWN).map((file) => file.name);
  const more = files.length - shown.length;
  return `${files.length === 1 ? '1 file' : `${files.length} files`}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

export function ActivityRow({
  item,
  nameOf,
  inThread,
  onWithdraw,
}: {
  item: Item;
  nameOf: (fingerprint: string) => string;
  /** Shown under its thread's heading (indented). */
  inThread: boolean;
  onWithdraw: (item: Item) => void;
}) {
  return (
    <tr className={inThread ? 'in-thread' : undefined}>
      <td>{formatDate(item.recordedAt)}</td>
      <td>{item.direction === 'sent' ? 'Sent' : 'Received'}</td>
      <td className="people">
        {item.direction === 'sent' ? (
          <ul className="plain" aria-label="Sent to">
            {item.recipients.map((fingerprint) => (
              <li key={fingerprint}>{nameOf(fingerprint)}</li>
            ))}
            {item.passphraseRecipient && <li>{passphrasePackageText(item.passphraseRecipient)}</li>}
          </ul>
        ) : (
          nameOf(item.counterpart)
        )}
      </td>
      <td className="files">
        {item.subject !== null && <span className="subject">{item.subject}</span>}
        {filesText(item.files)}
      </td>
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
            onClick={() => onWithdraw(item)}
          >
            Withdraw…
          </button>
        )}
      </td>
    </tr>
  );
}
