/**
 * After sealing for a partner without MedSeal: how to hand them the package (dragged into an
 * e-mail to them, or attached from its folder) and the six words, once, large, with how to pass
 * them on (never in the same e-mail). "I have written it down / passed it on" takes the words off
 * the screen for good: the Send screen drops them from its state, and nothing can show them again.
 */
import { call } from '../../api.js';
import type { PassphraseRecipient } from './sendDraft.js';
import {
  PASSPHRASE_HANDOVER,
  PASSPHRASE_PASSED_ON,
  PASSPHRASE_READER_HINT,
  PASSPHRASE_SHOWN_ONCE,
  packageHandoverText,
} from '../../../../main/texts/passphrase-texts.js';

export function PassphraseHandover(props: {
  jobId: string;
  recipient: PassphraseRecipient;
  /** The six words, until the sender confirms; null afterwards. */
  words: string | null;
  /** Where the package was saved (for "Show in folder"), or null. */
  keptIn: string | null;
  fail: (caught: unknown) => void;
  onPassedOn: () => void;
}) {
  const { jobId, recipient, words, fail } = props;
  return (
    <section className="passphrase-handover" aria-labelledby="handover-title">
      <h3 id="handover-title">For {recipient.name}, who has no MedSeal</h3>
      <h4>1. The package</h4>
      <p>{packageHandoverText(recipient)}</p>
      <div className="row">
        <span
          className="drag-out"
          draggable
          role="note"
          aria-label={`Drag the package into an e-mail to ${recipient.name}`}
          onDragStart={(event) => {
            event.preventDefault(); // the OS drags the real file
            void call('seal.startDrag', { jobId }).catch(fail);
          }}
        >
          Drag the package into an e-mail
        </span>
        {props.keptIn && (
          <button type="button" className="secondary" onClick={() => void call('seal.reveal', { jobId }).catch(fail)}>
            Show in folder
          </button>
        )}
      </div>
      <p>{PASSPHRASE_READER_HINT}</p>
      <div className="row">
        <button type="button" className="secondary" onClick={() => void call('reader.save', {}).catch(fail)}>
          Save MedSeal Reader…
        </button>
      </div>
      <h4>2. The passphrase</h4>
      {words ? (
        <>
          <ol className="passphrase-words" aria-label="The passphrase, six words">
            {words.split(' ').map((word, index) => (
              <li key={index}>{word}</li>
            ))}
          </ol>
          <p>
            <strong>{PASSPHRASE_HANDOVER}</strong>
            {recipient.phone && ` Their phone: ${recipient.phone}.`}
          </p>
          <p className="hint">{PASSPHRASE_SHOWN_ONCE}</p>
          <button type="button" onClick={props.onPassedOn}>
            {PASSPHRASE_PASSED_ON}
          </button>
        </>
      ) : (
        <p className="hint">The passphrase was taken off the screen; MedSeal kept no copy of it.</p>
      )}
    </section>
  );
}
