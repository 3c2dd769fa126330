/** Settings: auto-lock, this device's keychain, recovery kit and backups, exchanges, partner organisations, passphrase change, about. */
import { useEffect, useState, type FormEvent } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { Notice } from '../components/Notice.js';
import { PassphraseField, passphraseAcceptable, usePassphraseJudge } from '../components/PassphraseField.js';
import { useAction } from '../useAction.js';
import { ContinuitySettings } from './ContinuitySettings.js';
import { ExchangesSettings } from './ExchangesSettings.js';
import { SentCopiesSettings } from './SentCopiesSettings.js';
import { NotificationSettings } from './NotificationSettings.js';
import { PartnerSettings } from './PartnerSettings.js';

/** Where the answer to an action shows: beside the control it answers (the passphrase form is far down the page). */
type Where = 'top' | 'passphrase';

export function Settings({
  status,
  onChanged,
  toExchanges = null,
}: {
  status: AnswerOf<'session.status'>;
  onChanged: () => void;
  /** Opened to set up e-mail (a new key each time): the Exchanges part takes the focus. */
  toExchanges?: number | null;
}) {
  const [about, setAbout] = useState<AnswerOf<'app.about'> | null>(null);
  const judge = usePassphraseJudge();
  const [oldPassphrase, setOldPassphrase] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { error, run, fail } = useAction();
  /** The last action's place, and what it did once it succeeded. */
  const [answer, setAnswer] = useState<{ where: Where; success: string | null }>({ where: 'top', success: null });
  useEffect(() => {
    call('app.about', {}).then(setAbout, fail);
  }, [fail]);
  const act = async (work: () => Promise<unknown>, success: string, where: Where = 'top') => {
    setAnswer({ where, success: null });
    if (!(await run(work)).ok) return;
    setAnswer({ where, success });
    onChanged();
  };
  const shown = (where: Where) =>
    answer.where === where &&
    (error ? (
      <ActionError error={error} />
    ) : (
      answer.success && (
        <Notice kind="success" focus>
          {answer.success}
        </Notice>
      )
    ));
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
      <SentCopiesSettings />
      <NotificationSettings />
      <ExchangesSettings
        focusKey={toExchanges}
        sendReceipts={status.policy.sendReceipts}
        receiptsManaged={status.policy.managed.includes('sendReceipts')}
      />
      <PartnerSettings />
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
