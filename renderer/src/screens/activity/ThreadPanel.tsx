/**
 * Activity → a whole thread (main's `history.thread`): the referral and every reply, newest first,
 * each with who, its subject and files, and its state in words (main/texts/thread-texts.ts), for a
 * thread the list shows only part of (older packages, or a search).
 */
import { useEffect, useState } from 'react';
import { call, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { formatDate } from '../../format.js';
import { useAction } from '../../useAction.js';
import { useFocusOn } from '../../useFocusOn.js';
import { THREAD_STATE_TEXT } from '../../../../main/texts/thread-texts.js';

export function ThreadPanel({
  rootId,
  title,
  nameOf,
  onClose,
}: {
  rootId: number;
  title: string;
  nameOf: (fingerprint: string) => string;
  onClose: () => void;
}) {
  const { error, fail } = useAction();
  const [thread, setThread] = useState<AnswerOf<'history.thread'> | null>(null);
  const heading = useFocusOn<HTMLHeadingElement>(rootId);
  useEffect(() => {
    call('history.thread', { id: rootId }).then(setThread, fail);
  }, [rootId, fail]);
  return (
    <section className="confirm" aria-labelledby="thread-title">
      <h3 id="thread-title" ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <ActionError error={error} focus={false} />
      {thread === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <ol className="plain thread" aria-label="Packages of the thread, newest first">
          {thread.entries.map((entry) => (
            <li key={entry.id}>
              {formatDate(entry.recordedAt)} ·{' '}
              {entry.direction === 'sent'
                ? `sent to ${entry.recipients.map(nameOf).join(', ')}`
                : `from ${nameOf(entry.counterpart)}`}
              {entry.subject !== null && ` · ${entry.subject}`} · {entry.files.map((file) => file.name).join(', ')}:{' '}
              <strong>{THREAD_STATE_TEXT[entry.threadState]}</strong>
            </li>
          ))}
        </ol>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
