/**
 * Settings → Notifications: a desktop notification when a package arrives or
 * a recipient opens one (a name only, never a file name). Where IT turned
 * them off, that is said and cannot be changed here.
 */
import { useEffect, useState } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { useAction } from '../useAction.js';

type Notifications = AnswerOf<'settings.notifications'>;

export function NotificationSettings() {
  const [state, setState] = useState<Notifications | null>(null);
  const { error, run, fail } = useAction();
  useEffect(() => void call('settings.notifications', {}).then(setState, fail), [fail]);
  if (!state) return null;
  const change = async (enabled: boolean) => {
    const answer = await run(() => call('settings.setNotifications', { enabled }));
    if (answer.ok) setState(answer.value);
  };
  return (
    <section aria-labelledby="notifications-title">
      <h3 id="notifications-title">Notifications</h3>
      {state.managed ? (
        <p>Your organisation has turned desktop notifications off.</p>
      ) : (
        <label className="checkbox">
          <input type="checkbox" checked={state.enabled} onChange={(event) => void change(event.target.checked)} />
          Tell me when a package arrives or a recipient opens mine (their name only, never a file name)
        </label>
      )}
      <ActionError error={error} />
    </section>
  );
}
