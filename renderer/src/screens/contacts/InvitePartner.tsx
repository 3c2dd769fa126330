/**
 * Contacts → "Invite a partner": the reader's own contact card e-mailed from their mailbox to a
 * partner's address, with how to install MedSeal. It says plainly what comes next: the partner's
 * card comes back by e-mail (under "Cards received by e-mail"), and the safety number is compared
 * by phone before anything is sent. Without a mailbox, main's words for it (MAILBOX_MISSING) and
 * the way to Settings → Exchanges. The answer shows here, beside the form, and takes the focus.
 */
import { useState, type FormEvent, type RefObject } from 'react';
import { call } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { Notice } from '../../components/Notice.js';
import { useAction } from '../../useAction.js';

export function InvitePartner({
  field,
  onSetUpMail,
}: {
  /** The address field, for "Invite a partner" above the list to bring the reader here. */
  field: RefObject<HTMLInputElement | null>;
  /** Shows Settings → Exchanges, where the mailbox is set up. */
  onSetUpMail: () => void;
}) {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, progress, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const to = email.trim();
    if (!to || busy) return;
    setSentTo(null);
    void run(() => call('contacts.invite', { email: to }), 'Sending your card…').then((outcome) => {
      if (!outcome.ok) return;
      setSentTo(to);
      setEmail('');
    });
  };
  // noValidate: a mistyped address is answered in main's words, like every other refusal.
  return (
    <form className="card-form" onSubmit={submit} aria-labelledby="invite-title" noValidate>
      <h3 id="invite-title">Invite a partner</h3>
      <p id="invite-explained" className="hint">
        MedSeal e-mails your contact card to your partner, with how to install MedSeal. Their card comes back to you by
        e-mail and is listed under &ldquo;Cards received by e-mail&rdquo;. Before you send them anything, compare the
        safety number with them by phone.
      </p>
      <label htmlFor="invite-email">Partner&rsquo;s e-mail address</label>
      <input
        id="invite-email"
        ref={field}
        type="email"
        value={email}
        maxLength={254}
        autoComplete="off"
        aria-describedby="invite-explained"
        onChange={(event) => setEmail(event.target.value)}
        placeholder="colleague@partner.example"
      />
      <button type="submit" disabled={busy || !email.trim()}>
        {progress ?? 'Send invitation'}
      </button>
      {error ? (
        <>
          <ActionError error={error} />
          {error.code === 'MAILBOX_MISSING' && (
            <button type="button" className="secondary" onClick={onSetUpMail}>
              Set up e-mail in Settings → Exchanges
            </button>
          )}
        </>
      ) : (
        sentTo && (
          <Notice kind="success" focus>
            {`Your contact card was sent to ${sentTo}. When their card comes back by e-mail, it is listed under "Cards received by e-mail": import it, then compare the safety number with them by phone before you send anything.`}
          </Notice>
        )
      )}
    </form>
  );
}
