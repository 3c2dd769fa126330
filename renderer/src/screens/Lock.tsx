/** The lock screen: passphrase, or this device's keychain where allowed; the recovery kit when forgotten. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { call, messageOf, type AnswerOf } from '../api.js';
import { Notice } from '../components/Notice.js';
import { RecoverIdentity } from './RecoverIdentity.js';

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovering, setRecovering] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  // After a wrong passphrase, straight back to the field, its text selected to type over.
  useEffect(() => {
    if (!error) return;
    field.current?.focus();
    field.current?.select();
  }, [error]);
  const attempt = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setPassphrase('');
      onUnlocked();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void attempt(() => call('session.unlock', { passphrase, remember }));
  };
  if (recovering) return <RecoverIdentity onRecovered={onUnlocked} onCancel={() => setRecovering(false)} />;
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
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" disabled={busy || passphrase.length === 0}>
          {busy ? 'Unlocking…' : 'Unlock'}
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
    </main>
  );
}
