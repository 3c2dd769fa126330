/** First run → "Restore from a backup": choose it, see whose it is, open it with its passphrase or the recovery kit. */
import { useState, type FormEvent } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { PassphraseField, passphraseAcceptable, usePassphraseJudge } from '../components/PassphraseField.js';
import { formatDate } from '../format.js';
import { useAction } from '../useAction.js';

export function RestoreBackup({ onRestored, onCancel }: { onRestored: () => void; onCancel: () => void }) {
  const [backup, setBackup] = useState<NonNullable<AnswerOf<'backup.pick'>> | null>(null);
  const judge = usePassphraseJudge();
  const [useKit, setUseKit] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const [newPassphrase, setNewPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, progress, error, run } = useAction();
  const pick = () =>
    run(async () => {
      const picked = await call('backup.pick', {});
      if (picked) setBackup(picked);
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!backup) return;
    void run(async () => {
      await call(
        'backup.restore',
        useKit ? { token: backup.token, recoveryCode: code, newPassphrase } : { token: backup.token, passphrase },
      );
      onRestored();
    }, 'Restoring…');
  };
  const ready = useKit
    ? code.trim().length > 0 && passphraseAcceptable(judge, newPassphrase, confirmation)
    : passphrase.length > 0;
  return (
    <main className="centered">
      <h1>Restore from a backup</h1>
      <p>Bring your identity, contacts, history and audit log from another workstation.</p>
      <ActionError error={error} focus={false} />
      {!backup ? (
        <div className="card-form">
          <button type="button" disabled={busy} onClick={() => void pick()}>
            Choose a backup…
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Back
          </button>
        </div>
      ) : (
        <form onSubmit={submit} className="card-form">
          <p>
            Backup of <strong>{backup.owner.name}</strong>, {backup.owner.organisation} ({backup.owner.email}), made{' '}
            {formatDate(backup.createdAt)}.
          </p>
          <fieldset>
            <legend>Open it with</legend>
            <label className="checkbox">
              <input type="radio" name="restore-with" checked={!useKit} onChange={() => setUseKit(false)} />
              The passphrase it was made with
            </label>
            <label className="checkbox">
              <input type="radio" name="restore-with" checked={useKit} onChange={() => setUseKit(true)} />
              My recovery kit
            </label>
          </fieldset>
          {useKit ? (
            <>
              <label htmlFor="restore-code">The 24 words of your recovery kit</label>
              <textarea
                id="restore-code"
                rows={4}
                autoComplete="off"
                spellCheck={false}
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
              <PassphraseField
                judge={judge}
                label="New passphrase"
                value={newPassphrase}
                confirmation={confirmation}
                onChange={setNewPassphrase}
                onConfirmationChange={setConfirmation}
              />
            </>
          ) : (
            <>
              <label htmlFor="restore-passphrase">Passphrase of the backup</label>
              <input
                id="restore-passphrase"
                type="password"
                autoComplete="current-password"
                value={passphrase}
                onChange={(event) => setPassphrase(event.target.value)}
              />
            </>
          )}
          <button type="submit" disabled={busy || !ready}>
            {progress ?? 'Restore'}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Back
          </button>
        </form>
      )}
    </main>
  );
}
