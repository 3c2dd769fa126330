/** Settings: auto-lock, this device's keychain, recovery kit and backups, exchanges, passphrase change, about. */
import { useEffect, useState, type FormEvent } from 'react';
import { call, messageOf, type AnswerOf } from '../api.js';
import { Notice } from '../components/Notice.js';
import { PassphraseField, passphraseAcceptable, usePassphraseJudge } from '../components/PassphraseField.js';
import { ContinuitySettings } from './ContinuitySettings.js';
import { ExchangesSettings } from './ExchangesSettings.js';

export function Settings({ status, onChanged }: { status: AnswerOf<'session.status'>; onChanged: () => void }) {
  const [about, setAbout] = useState<AnswerOf<'app.about'> | null>(null);
  const judge = usePassphraseJudge();
  const [oldPassphrase, setOldPassphrase] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  type Message = { kind: 'error' | 'success'; text: string; where: 'top' | 'passphrase' };
  // Each result is shown beside the control it answers (the passphrase form is far down the page).
  const [message, setMessage] = useState<Message | null>(null);
  useEffect(() => {
    void call('app.about', {}).then(setAbout);
  }, []);
  const act = async (work: () => Promise<unknown>, success: string, where: Message['where'] = 'top') => {
    setMessage(null);
    try {
      await work();
      setMessage({ kind: 'success', text: success, where });
      onChanged();
    } catch (caught) {
      setMessage({ kind: 'error', text: messageOf(caught), where });
    }
  };
  const shown = (where: Message['where']) =>
    message?.where === where && (
      <Notice kind={message.kind} focus>
        {message.text}
      </Notice>
    );
  const change = (event: FormEvent) => {
    event.preventDefault();
    void act(
      async () => {
        await call('identity.changePassphrase', { oldPassphrase, newPassphrase: passphrase });
        setOldPassphrase('');
        setPassphrase('');
        setConfirmation('');
      },
      'Passphrase changed.',
      'passphrase',
    );
  };
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {shown('top')}
      <label htmlFor="autolock">Lock automatically after</label>
      <select
        id="autolock"
        value={status.autoLockMinutes}
        onChange={(event) =>
          void act(() => call('settings.setAutoLock', { minutes: Number(event.target.value) }), 'Auto-lock time saved.')
        }
      >
        {[1, 5, 10, 15, 30, 60]
          .filter((minutes) => minutes <= status.policy.maxAutoLockMinutes || minutes === status.autoLockMinutes)
          .map((minutes) => (
            <option key={minutes} value={minutes}>
              {minutes} minute{minutes > 1 ? 's' : ''} without activity
            </option>
          ))}
      </select>
      {status.policy.managed.includes('maxAutoLockMinutes') && (
        <p className="hint">Managed by your organisation: at most {status.policy.maxAutoLockMinutes} minutes.</p>
      )}
      <h3>This device</h3>
      {status.remember.available ? (
        status.remember.enabled ? (
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void act(() => call('session.forgetDevice', {}), 'This device no longer remembers your key.')
            }
          >
            Forget my key on this device
          </button>
        ) : (
          <p>To let this device remember your key, tick "Remember on this device" the next time you unlock.</p>
        )
      ) : (
        <p>This device cannot remember your key: {status.remember.reason}.</p>
      )}
      <ContinuitySettings />
      <ExchangesSettings
        sendReceipts={status.policy.sendReceipts}
        receiptsManaged={status.policy.managed.includes('sendReceipts')}
      />
      <form onSubmit={change} className="card-form">
        <h3>Change passphrase</h3>
        <label htmlFor="old-passphrase">Current passphrase</label>
        <input
          id="old-passphrase"
          type="password"
          autoComplete="current-password"
          value={oldPassphrase}
          onChange={(event) => setOldPassphrase(event.target.value)}
        />
        <PassphraseField
          judge={judge}
          label="New passphrase"
          value={passphrase}
          confirmation={confirmation}
          onChange={setPassphrase}
          onConfirmationChange={setConfirmation}
        />
        {shown('passphrase')}
        <button type="submit" disabled={!oldPassphrase || !passphraseAcceptable(judge, passphrase, confirmation)}>
          Change passphrase
        </button>
      </form>
      <h3>About</h3>
      {about && (
        <dl>
          <dt>Version</dt>
          <dd>{about.version}</dd>
          <dt>Data folder</dt>
          <dd className="truncate" title={about.dataFolder}>
            {about.dataFolder}
          </dd>
        </dl>
      )}
    </section>
  );
}
