/**
 * What main says about the recipients chosen, asked again whenever they change: whether an
 * exchange reaches every one (else the package is saved for e-mail, and the button says so),
 * and the cautions (look-alike contacts, a first package to someone). An answer for recipients
 * no longer chosen is dropped.
 */
import { useEffect, useState } from 'react';
import { call, type AnswerOf, type Contact } from '../../api.js';

export function useRecipientChecks(chosen: readonly Contact[], fail: (caught: unknown) => void) {
  /** Whether an exchange reaches every chosen recipient (null while unknown). */
  const [reachable, setReachable] = useState<boolean | null>(null);
  const [cautions, setCautions] = useState<AnswerOf<'seal.cautions'> | null>(null);
  useEffect(() => {
    setReachable(null);
    setCautions(null);
    if (chosen.length === 0) return;
    let current = true;
    const recipients = chosen.map((contact) => contact.fingerprint);
    call('seal.reachability', { recipients }).then(
      (answer) => current && setReachable(answer.unreached.length === 0),
      (caught: unknown) => {
        if (!current) return;
        setReachable(false); // not known to be reached: the package is saved for e-mail
        fail(caught);
      },
    );
    call('seal.cautions', { recipients }).then(
      (answer) => current && setCautions(answer),
      (caught: unknown) => current && fail(caught),
    );
    return () => {
      current = false;
    };
  }, [chosen, fail]);
  return { reachable, cautions };
}
