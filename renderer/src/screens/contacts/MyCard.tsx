/**
 * The reader's own contact card, as partners will see it once they import it (name, role,
 * organisation, e-mail, fingerprint), with a QR code of the fingerprint to compare in person;
 * sent as a file, or its text copied or pasted into an e-mail.
 */
import { useEffect, useState } from 'react';
import { call, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { Notice } from '../../components/Notice.js';
import { QrCode } from '../../components/QrCode.js';
import { useAction } from '../../useAction.js';

/** A fingerprint in groups of four, to read or compare group by group. */
function groupedFingerprint(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}

export function MyCard() {
  const [card, setCard] = useState<AnswerOf<'identity.myCard'> | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const { error, run, fail } = useAction();
  useEffect(() => {
    call('identity.myCard', {}).then(setCard, fail);
  }, [fail]);
  if (!card) return <ActionError error={error} />;
  const { profile } = card;
  const save = () =>
    run(async () => {
      const result = await call('identity.saveMyCard', {});
      setSaved(result.saved ? 'Card saved.' : null);
    });
  const copy = () =>
    run(async () => {
      await call('identity.copyMyCard', {});
      setSaved('Card copied: paste it into an e-mail.');
    });
  return (
    <section aria-labelledby="mycard-title" className="mycard">
      <h3 id="mycard-title">Your contact card</h3>
      <p>
        Send it to your partners (a file, or paste the text into an e-mail), then compare safety numbers with each of
        them. This is what they will see:
      </p>
      <div className="row">
        <dl aria-label="Your card as partners see it">
          <dt>Name</dt>
          <dd>{profile.name}</dd>
          {profile.role && (
            <>
              <dt>Role</dt>
              <dd>{profile.role}</dd>
            </>
          )}
          <dt>Organisation</dt>
          <dd>{profile.organisation}</dd>
          <dt>E-mail</dt>
          <dd>{profile.email}</dd>
          <dt>Fingerprint</dt>
          <dd className="fingerprint">{groupedFingerprint(profile.fingerprint)}</dd>
        </dl>
        <QrCode
          text={profile.fingerprint}
          label="QR code of your fingerprint, for a partner to scan and compare with the card they received"
        />
      </div>
      <div className="row">
        <button type="button" onClick={() => void save()}>
          Save as file…
        </button>
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {saved && <Notice kind="success">{saved}</Notice>}
      <details>
        <summary>Card text, to paste into an e-mail</summary>
        <label htmlFor="mycard-text">Card text</label>
        <textarea id="mycard-text" readOnly rows={6} value={card.armored} onFocus={(event) => event.target.select()} />
      </details>
      <ActionError error={error} />
    </section>
  );
}
