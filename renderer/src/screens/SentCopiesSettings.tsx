/**
 * Settings → Copies of sent packages: "Seal and send" asks no Save dialog, so
 * whoever wants to keep what they sent chooses a folder here once. Where IT
 * set one by policy it is shown, and cannot be changed.
 */
import { useCallback, useEffect, useState } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { useAction } from '../useAction.js';

type SentCopies = AnswerOf<'settings.sentCopies'>;

export function SentCopiesSettings() {
  const [copies, setCopies] = useState<SentCopies | null>(null);
  const { error, run, fail } = useAction();
  useEffect(() => void call('settings.sentCopies', {}).then(setCopies, fail), [fail]);
  const change = useCallback(
    async (request: () => Promise<SentCopies>) => {
      const answer = await run(request);
      if (answer.ok) setCopies(answer.value);
    },
    [run],
  );
  if (!copies) return null;
  return (
    <section aria-labelledby="sent-copies-title">
      <h3 id="sent-copies-title">Copies of sent packages</h3>
      {copies.managed ? (
        <p>
          Your organisation keeps a copy of every package you send in <strong>{copies.folder}</strong>.
        </p>
      ) : copies.folder ? (
        <p>
          A copy of every package you send is kept in <strong>{copies.folder}</strong>.
        </p>
      ) : (
        <p>Packages you send go only to the exchanges; no copy is kept on this computer.</p>
      )}
      <ActionError error={error} />
      {!copies.managed && (
        <div className="row">
          <button
            type="button"
            className="secondary"
            onClick={() => void change(() => call('settings.chooseSentCopyFolder', {}))}
          >
            {copies.folder ? 'Choose another folder…' : 'Keep copies in a folder…'}
          </button>
          {copies.folder && (
            <button
              type="button"
              className="secondary"
              onClick={() => void change(() => call('settings.stopSentCopies', {}))}
            >
              Stop keeping copies
            </button>
          )}
        </div>
      )}
    </section>
  );
}
