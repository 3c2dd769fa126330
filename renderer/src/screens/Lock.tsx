/** The lock screen: passphrase, or this device's keychain where allowed; the recovery kit when forgotten. */
import { useState, type FormEvent } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { Notice } from '../components/Notice.js';
import { useAction } from '../useAction.js';
import { useFocusOn } from '../useFocusOn.js';
import { RecoverIdentity } from './RecoverIdentity.js';
import { PassphraseOpen } from './PassphraseOpen.js';

export function Lock({
  status,
  onUnlocked,
  reason,
}: {
  status: AnswerOf<'session.status'>;
  onUnlocked: () => void;
  reason: string | null;
}) {
  const [passphrase, setPassphrase] = useState('');
  const [remember, setRemember] = useState(false);
  const [recovering, setRecovering] = useState(false);
  const [openingPackage, setOpeningPackage] = useState(false);
  const { busy, progress, error, run } = useAction();
  // After a wrong passphrase, straight back to the field, its text selected to type over.
  const field = useFocusOn<HTMLInputElement>(error, { select: true });
  const attempt = async (work: () => Promise<unknown>) => {
    if (!(await run(work, 'Unlocking…')).ok) return;
    setPassphrase('');
    onUnlocked();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void attempt(() => call('session.unlock', { passphrase, remember }));
  };
  if (openingPackage) return <PassphraseOpen onBack={() => setOpeningPackage(false)} />;
  if (recovering)
    return (
      <RecoverIdentity
        onRecovered={onUnlocked}
        onCancel={() => setRecovering(false)}
        emergencyAccess={status.policy.emergencyAccess}
      />
    );
  return (
    <main className="centered">
      <h1>MedSeal is locked</h1>
      {status.profile && (
        <p>
          {status.profile.name} · {status.profile.organisation}
        </p>
      )}
      {reason && <Notice kind="info">{reason}</Notice>}
      <form onSubmit={submit} className="card-form">
        <label htmlFor="unlock-passphrase">Passphrase</label>
        <input
          id="unlock-passphrase"
          ref={field}
          type="password"
          autoComplete="current-password"
          autoFocus
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={remember}
            disabled={!status.remember.available}
            onChange={(event) => setRemember(event.target.checked)}
          />
          Remember on this device
        </label>
        {!status.remember.available && <p className="hint">Not available: {status.remember.reason}.</p>}
        <ActionError error={error} focus={false} />
        <button type="submit" disabled={busy || passphrase.length === 0}>
          {progress ?? 'Unlock'}
        </button>
        {status.remember.enabled && status.remember.available && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void attempt(() => call('session.unlockRemembered', {}))}
          >
            Unlock with this device
          </button>
        )}
        <button type="button" className="link" onClick={() => setRecovering(true)}>
          Forgot your passphrase?
        </button>
      </form>
      <p>
        Someone sent you a package with a six-word passphrase?{' '}
        <button type="button" className="link" onClick={() => setOpeningPackage(true)}>
          Open a package with a passphrase
        </button>
      </p>
    </main>
  );
}
