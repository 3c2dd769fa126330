/**
 * Whether Send goes through the exchanges (one is set up and ready), asked whenever the Send tab
 * is shown: exchanges are added and removed in Settings. Main decides by the same rule when the
 * package is sealed, so the button's label says what will happen.
 */
import { useEffect, useState } from 'react';
import { call } from '../../api.js';

export function useSendRoute(active: boolean, fail: (caught: unknown) => void): boolean | null {
  const [sends, setSends] = useState<boolean | null>(null);
  useEffect(() => {
    if (!active) return;
    let current = true;
    call('exchange.sendsThrough', {}).then(
      (answer) => current && setSends(answer.sends),
      (caught: unknown) => current && fail(caught),
    );
    return () => {
      current = false;
    };
  }, [active, fail]);
  return sends;
}
