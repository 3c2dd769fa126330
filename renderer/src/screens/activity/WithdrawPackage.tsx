/**
 * Activity → Withdraw: asks first, in plain words (where the package goes from, and that what a
 * recipient already downloaded or opened cannot be taken back), then says what became of each
 * recipient's copy (main decided it: services/delivery/withdraw.ts) and what could not be done.
 */
import { useState } from 'react';
import { call, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { Notice } from '../../components/Notice.js';
import { formatDate } from '../../format.js';
import { useAction } from '../../useAction.js';
import { useFocusOn } from '../../useFocusOn.js';
import { CANNOT_TAKE_BACK, withdrawOutcomeText } from '../../../../main/texts/withdraw-texts.js';

type Item = AnswerOf<'history.recent'>[number];
type Answer = AnswerOf<'history.withdraw'>;

export function WithdrawPackage({
  item,
  nameOf,
  onWithdrawn,
  onClose,
}: {
  item: Item;
  nameOf: (fingerprint: string) => string;
  /** Called once main answered, so the list shows the new statuses. */
  onWithdrawn: () => void;
  onClose: () => void;
}) {
  const { busy, progress, error, run } = useAction();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const waiting = item.deliveries.filter((entry) => entry.status === 'delivered');
  const heading = useFocusOn<HTMLHeadingElement>(item.id); // the question is where the reader is, whichever row asked
  const withdraw = async () => {
    const outcome = await run(() => call('history.withdraw', { id: item.id }), 'Withdrawing…');
    if (!outcome.ok) return;
    setAnswer(outcome.value);
    onWithdrawn();
  };

  return (
    <section className="confirm" aria-labelledby="withdraw-title">
      <h3 id="withdraw-title" ref={heading} tabIndex={-1}>
        Withdraw the package sent {formatDate(item.recordedAt)}
      </h3>
      {answer === null ? (
        <>
          <p>
            It is removed from every exchange inbox where it still waits for{' '}
            {waiting.map((entry) => entry.name ?? nameOf(entry.fingerprint)).join(', ')}, and their MedSeal is told.
          </p>
          <Notice kind="warning">{CANNOT_TAKE_BACK}</Notice>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void withdraw()}>
              Withdraw
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={onClose}>
              Keep it
            </button>
          </div>
          {progress && <p role="status">{progress}</p>}
          <ActionError error={error} />
        </>
      ) : (
        <>
          <Notice kind={answer.problems.length > 0 ? 'warning' : 'success'} focus>
            <ul className="plain" aria-label="What became of each copy">
              {answer.recipients.map((entry) => (
                <li key={entry.fingerprint}>
                  {withdrawOutcomeText(entry.name ?? nameOf(entry.fingerprint), entry.outcome)}
                </li>
              ))}
            </ul>
            {answer.problems.map((problem) => (
              <p key={problem}>{problem}</p>
            ))}
          </Notice>
          <button type="button" onClick={onClose}>
            Done
          </button>
        </>
      )}
    </section>
  );
}
