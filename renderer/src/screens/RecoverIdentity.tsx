/**
 * Lock screen → "Forgot your passphrase?": the recovery kit's words set a new passphrase. Without
 * a kit, what is left: the organisation's emergency access where its policy has one, else nothing.
 */
import { useState, type FormEvent } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { PassphraseField, passphraseAcceptable, usePassphraseJudge } from '../components/PassphraseField.js';
import { useAction } from '../useAction.js';

type EmergencyAccess = AnswerOf<'session.status'>['policy']['emergencyAccess'];

export function RecoverIdentity({
  onRecovered,
  onCancel,
  emergencyAccess,
}: {
  onRecovered: () => void;
  onCancel: () => void;
  /** The organisation recovery key of the policy, or null. */
  emergencyAccess: EmergencyAccess;
}) {
  const [code, setCode] = useState('');
  const judge = usePassphraseJudge();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, progress, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ((await run(() => call('identity.recover', { code, newPassphrase: passphrase }), 'Setting it…')).ok)
      onRecovered();
  };
  return (
    <main className="centered">
      <h1>Forgot your passphrase?</h1>
      <p>
        Type the 24 words of your recovery kit (the first four letters of each are enough), then choose a new
        passphrase. The old passphrase stops working.
      </p>
      <form onSubmit={submit} className="card-form">
        <label htmlFor="recover-code">The 24 words of your recovery kit</label>
        <textarea
          id="recover-code"
          rows={4}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <PassphraseField
          judge={judge}
          label="New passphrase"
          value={passphrase}
          confirmation={confirmation}
          onChange={setPassphrase}
          onConfirmationChange={setConfirmation}
        />
        <ActionError error={error} focus={false} />
        <button
          type="submit"
          disabled={busy || code.trim().length === 0 || !passphraseAcceptable(judge, passphrase, confirmation)}
        >
          {progress ?? 'Set the new passphrase'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Back
        </button>
      </form>
      {emergencyAccess ? (
        <p className="hint">
          No recovery kit? {emergencyAccess.organisation} has emergency access: several custodians together can restore
          your identity from a backup made since its recovery key was in your policy (the automatic backups are), with a
          new passphrase for you. Ask IT ({emergencyAccess.email}); each use is recorded in the organisation&rsquo;s
          emergency-access log.
        </p>
      ) : (
        <p className="hint">
          No recovery kit? Your IT department cannot open your identity either; restore a backup only with the
          passphrase it was made with.
        </p>
      )}
    </main>
  );
}
