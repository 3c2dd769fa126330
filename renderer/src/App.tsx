/** The app's frame: first run, lock screen, or the main screens with a lock button always in reach. */
import { useCallback, useEffect, useState } from 'react';
import { call, on, type AnswerOf } from './api.js';
import { Activity } from './screens/activity/Activity.js';
import { Contacts } from './screens/contacts/Contacts.js';
import { FirstRun } from './screens/FirstRun.js';
import { Lock } from './screens/Lock.js';
import { Receive } from './screens/receive/Receive.js';
import { Send } from './screens/send/Send.js';
import type { ReplyRequest } from './screens/send/sendDraft.js';
import { Settings } from './screens/Settings.js';

const SCREENS = ['Send', 'Receive', 'Contacts', 'Activity', 'Settings'] as const;
type Screen = (typeof SCREENS)[number];
const LOCK_REASONS: Record<string, string> = {
  idle: 'MedSeal locked itself after a period without activity.',
  'os-lock': 'MedSeal locked because the computer was locked.',
  suspend: 'MedSeal locked because the computer went to sleep.',
};

export function App() {
  const [status, setStatus] = useState<AnswerOf<'session.status'> | null>(null);
  const [screen, setScreen] = useState<Screen>('Send');
  const [lockReason, setLockReason] = useState<string | null>(null);
  /** The last lock was automatic: the screens (and the draft in them) were kept. */
  const [draftKept, setDraftKept] = useState(false);
  const [incoming, setIncoming] = useState<AnswerOf<'files.registerDropped'> | null>(null);
  /** Packages waiting in the exchange inboxes, shown on the Receive tab. */
  const [waiting, setWaiting] = useState(0);
  /** A reply asked for on Receive, for Send to start its draft with (each request once: `key`). */
  const [reply, setReply] = useState<ReplyRequest | null>(null);
  /** Settings opened to set up e-mail (from Contacts): its Exchanges part takes the focus, once per request. */
  const [toExchanges, setToExchanges] = useState<number | null>(null);
  useEffect(() => on('exchange.inboxChanged', (event) => setWaiting(event.count)), []);
  const refresh = useCallback(() => void call('session.status', {}).then(setStatus), []);
  useEffect(refresh, [refresh]);
  useEffect(
    () =>
      on('session.locked', (event) => {
        setLockReason(LOCK_REASONS[event.reason] ?? null);
        setDraftKept(event.reason !== 'user');
        refresh();
      }),
    [refresh],
  );
  useEffect(
    () =>
      on('app.fileOpened', (event) => {
        if (event.kind === 'package') {
          setIncoming(event.file);
          setScreen('Receive');
        } else setScreen('Contacts');
      }),
    [],
  );
  useEffect(() => {
    document.title = 'MedSeal';
  }, [screen]);

  if (!status)
    return (
      <main className="centered">
        <p aria-busy="true">Starting…</p>
      </main>
    );
  if (status.state === 'policy-error') {
    return (
      <main className="centered">
        <h1>MedSeal cannot start</h1>
        <div className="notice notice-error" role="alert">
          {status.policy.problem}
        </div>
      </main>
    );
  }
  if (status.state === 'no-identity')
    return (
      <FirstRun
        onCreated={() => {
          setScreen('Contacts');
          refresh();
        }}
      />
    );
  const locked = status.state === 'locked';
  // After an automatic lock the screens stay mounted, hidden, so the draft is there again after the
  // unlock (main parks its file tokens meanwhile); the Lock button ends the session's work.
  const keepScreens = !locked || (draftKept && status.profile !== null);
  return (
    <>
      {locked && (
        <Lock
          status={status}
          reason={lockReason}
          onUnlocked={() => {
            setLockReason(null);
            refresh();
          }}
        />
      )}
      {keepScreens && mainScreens(locked, status)}
    </>
  );

  function mainScreens(hidden: boolean, current: AnswerOf<'session.status'>) {
    return (
      <div className="app" hidden={hidden}>
        <a
          className="skip-link"
          href="#main-content"
          onClick={(event) => {
            event.preventDefault();
            document.getElementById('main-content')?.focus();
          }}
        >
          Skip to main content
        </a>
        <header>
          <span className="brand">MedSeal</span>
          <nav aria-label="Main">
            {SCREENS.map((name) => (
              <button
                key={name}
                type="button"
                className={name === screen ? 'tab active' : 'tab'}
                aria-current={name === screen ? 'page' : undefined}
                onClick={() => {
                  setToExchanges(null);
                  setScreen(name);
                }}
              >
                {name}
                {name === 'Receive' && waiting > 0 && <span className="count"> {waiting} waiting</span>}
              </button>
            ))}
          </nav>
          <span className="who truncate">{current.profile?.name}</span>
          <button type="button" className="lock" onClick={() => void call('session.lock', {}).then(refresh)}>
            Lock
          </button>
        </header>
        <main id="main-content" tabIndex={-1}>
          {/* Send and Receive stay mounted while another tab is shown: a draft or a previewed package survives a look at Contacts. */}
          <div hidden={screen !== 'Send'}>
            <Send
              active={screen === 'Send'}
              emergencyAccess={current.policy.emergencyAccess}
              passphrasePackages={current.policy.passphrasePackages}
              reply={reply}
            />
          </div>
          <div hidden={screen !== 'Receive'}>
            <Receive
              incoming={incoming}
              onReply={(draft) => {
                setReply({ ...draft, key: Date.now() });
                setScreen('Send');
              }}
            />
          </div>
          {screen === 'Contacts' && (
            <Contacts
              onSetUpMail={() => {
                setToExchanges(Date.now());
                setScreen('Settings');
              }}
            />
          )}
          {screen === 'Activity' && <Activity />}
          {screen === 'Settings' && <Settings status={current} onChanged={refresh} toExchanges={toExchanges} />}
        </main>
      </div>
    );
  }
}
