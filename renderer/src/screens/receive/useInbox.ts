/**
 * The packages waiting in the exchange inboxes, read when Receive opens, whenever main says the
 * inboxes changed, and after a package is saved (one opened from the inbox leaves it).
 */
import { useCallback, useEffect, useState } from 'react';
import { call, on, type AnswerOf } from '../../api.js';
import type { useJob } from '../../useJob.js';

export type Inbox = AnswerOf<'exchange.inbox'>;

export function useInbox(finished: ReturnType<typeof useJob>['finished'], fail: (caught: unknown) => void): Inbox {
  const [inbox, setInbox] = useState<Inbox>([]);
  const load = useCallback(
    () =>
      void call('exchange.inbox', {}).then(setInbox, (caught: unknown) => {
        setInbox([]);
        fail(caught);
      }),
    [fail],
  );
  useEffect(load, [load]);
  useEffect(() => on('exchange.inboxChanged', load), [load]);
  useEffect(() => {
    if (finished?.ok) load();
  }, [finished, load]);
  return inbox;
}
