/**
 * After sealing: whether the package was sent ("Sent", "Partly sent", or "Saved — not sent yet"
 * while no exchange reaches a recipient), each delivery and problem, and the package to drag
 * into an e-mail or show in its folder. The title takes the focus, again when it changes: the
 * button that started the sealing is gone.
 */
import { call, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { Notice } from '../../components/Notice.js';
import type { ActionFailure } from '../../useAction.js';
import { useFocusOn } from '../../useFocusOn.js';
import { deliveredText } from '../../../../main/texts/delivery-texts.js';
import { PassphraseHandover } from './PassphraseHandover.js';
import type { PassphraseRecipient } from './sendDraft.js';

type Delivery = AnswerOf<'seal.deliver'>;

function titleOf(delivery: Delivery | null, handOver: boolean): string {
  if (delivery === null) return 'Sending…';
  const contacts = delivery.delivered.length + delivery.unreached.length + delivery.queued.length;
  if (handOver && contacts === 0) return 'Sealed — now hand it over';
  if (delivery.unreached.length === 0 && delivery.queued.length === 0) return 'Sent';
  if (delivery.delivered.length > 0) return 'Partly sent';
  // Queued: the app sends it by itself once the exchange is back (the notice says when it tries next).
  return delivery.unreached.length === 0 ? 'Queued — not sent yet' : 'Saved — not sent yet';
}

export function SendResult(props: {
  jobId: string;
  delivery: Delivery | null;
  error: ActionFailure | null;
  fail: (caught: unknown) => void;
  onSendAnother: () => void;
  /** A partner without MedSeal: the package and the words to hand over (words null once passed on). */
  handover: { recipient: PassphraseRecipient; words: string | null; onPassedOn: () => void } | null;
}) {
  const { jobId, delivery, fail, handover } = props;
  const title = titleOf(delivery, handover !== null);
  const heading = useFocusOn<HTMLHeadingElement>(title);
  const unreached = delivery?.unreached ?? [];
  return (
    <section aria-labelledby="send-title">
      <h2 id="send-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {delivery?.delivered.map((entry) => (
        <Notice key={`${entry.name}-${entry.exchange}`} kind="success">
          {deliveredText(entry.name, entry)} · waiting for receipt
        </Notice>
      ))}
      {unreached.length > 0 && (
        <Notice kind="warning">
          Not sent to {unreached.join(', ')}: no exchange reaches {unreached.length === 1 ? 'them' : 'these recipients'}
          . The package is sealed, and only the recipients you named can open it: save it or drag it into an e-mail, or
          ask them to add the same exchange in Settings.
        </Notice>
      )}
      {delivery?.keptIn && <p className="hint">The package is in {delivery.keptIn}.</p>}
      {delivery?.notices.map((notice) => (
        <Notice key={notice} kind="warning">
          {notice}
        </Notice>
      ))}
      {delivery?.problems.map((problem) => (
        <Notice key={problem} kind="error">
          {problem}
        </Notice>
      ))}
      {handover && delivery && (
        <PassphraseHandover
          jobId={jobId}
          recipient={handover.recipient}
          words={handover.words}
          keptIn={delivery.keptIn}
          fail={fail}
          onPassedOn={handover.onPassedOn}
        />
      )}
      <ActionError error={props.error} />
      <div className="row">
        {unreached.length > 0 && !handover && (
          <span
            className="drag-out"
            draggable
            role="note"
            aria-label="Drag the package into an e-mail or a folder"
            onDragStart={(event) => {
              event.preventDefault(); // the window does not drag a copy itself: the OS drags the real file
              void call('seal.startDrag', { jobId }).catch(fail);
            }}
          >
            Drag the package into an e-mail
          </span>
        )}
        {delivery?.canSave && (
          <button type="button" className="secondary" onClick={() => void call('seal.saveCopy', { jobId }).catch(fail)}>
            Save the package…
          </button>
        )}
        {delivery?.keptIn && !handover && (
          <button type="button" className="secondary" onClick={() => void call('seal.reveal', { jobId }).catch(fail)}>
            Show in folder
          </button>
        )}
        {!handover?.words && (
          <button type="button" onClick={props.onSendAnother}>
            Send another
          </button>
        )}
      </div>
    </section>
  );
}
