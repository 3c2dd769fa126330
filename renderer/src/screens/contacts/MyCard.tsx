/** The reader's own contact card, to send to partners: its text to paste into an e-mail, saved as a file, copied, or as a QR code. */
import { useEffect, useState } from 'react';
import { call, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { Notice } from '../../components/Notice.js';
import { QrCode } from '../../components/QrCode.js';
import { useAction } from '../../useAction.js';

export function MyCard() {
  const [card, setCard] = useState<AnswerOf<'identity.myCard'> | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const { error, run, fail } = useAction();
  useEffect(() => {
    call('identity.myCard', {}).then(setCard, fail);
  }, [fail]);
  if (!card) return <ActionError error={error} />;
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
        them.
      </p>
      <label htmlFor="mycard-text">Card text</label>
      <textarea id="mycard-text" readOnly rows={6} value={card.armored} onFocus={(event) => event.target.select()} />
      <div className="row">
        <button type="button" onClick={() => void save()}>
          Save as file…
        </button>
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy
        </button>
        <QrCode text={card.armored} label="QR code of your contact card" />
      </div>
      {saved && <Notice kind="success">{saved}</Notice>}
      <ActionError error={error} />
    </section>
  );
}
