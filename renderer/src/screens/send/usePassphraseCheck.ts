/**
 * A partner without MedSeal already added is checked again whenever the chosen contacts change:
 * beside a passphrase every contact needs a post-quantum key, and main says so in its words (the
 * Send button waits meanwhile). An answer for an earlier choice is dropped.
 */
import { useEffect, useState } from 'react';
import { call, type Contact } from '../../api.js';
import type { PassphraseRecipient } from './sendDraft.js';

export function usePassphraseCheck(
  recipient: PassphraseRecipient | null,
  chosen: readonly Contact[],
  fail: (caught: unknown) => void,
): string | null {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setProblem(null);
    if (!recipient) return;
    let current = true;
    call('seal.checkPassphraseRecipient', {
      name: recipient.name,
      email: recipient.email,
      ...(recipient.phone ? { phone: recipient.phone } : {}),
      recipients: chosen.map((contact) => contact.fingerprint),
    }).then(
      (answer) => current && setProblem(answer.problem?.message ?? null),
      (caught: unknown) => current && fail(caught),
    );
    return () => {
      current = false;
    };
  }, [recipient, chosen, fail]);
  return problem;
}
