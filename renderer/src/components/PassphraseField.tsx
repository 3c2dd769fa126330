/**
 * A new passphrase with a strength meter and a confirmation field. The rule
 * is the core's (main/texts/passphrase-rule.ts), so the app and the CLI
 * accept exactly the same passphrases; the verdict says why one is not
 * accepted, and the meter's colour follows the verdict.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import {
  loadPassphraseJudge,
  MIN_PASSPHRASE_LENGTH,
  MIN_PASSPHRASE_SCORE,
  type PassphraseJudge,
} from '../../../main/texts/passphrase-rule.js';

/** The judge once its dictionaries are loaded (null until then). */
export function usePassphraseJudge(): PassphraseJudge | null {
  const [judge, setJudge] = useState<PassphraseJudge | null>(null);
  useEffect(() => {
    void loadPassphraseJudge().then((loaded) => setJudge(() => loaded));
  }, []);
  return judge;
}

export function passphraseAcceptable(judge: PassphraseJudge | null, passphrase: string, confirmation: string): boolean {
  return judge !== null && passphrase === confirmation && judge(passphrase).acceptable;
}

export function PassphraseField(props: {
  judge: PassphraseJudge | null;
  value: string;
  confirmation: string;
  onChange: (value: string) => void;
  onConfirmationChange: (value: string) => void;
  label?: string;
}) {
  const id = useId();
  const { value, judge } = props;
  const verdict = useMemo(() => (value && judge ? judge(value) : null), [value, judge]);
  const mismatch = props.confirmation.length > 0 && props.confirmation !== props.value;
  const status = !props.value
    ? 'Type a passphrase.'
    : !verdict
      ? 'Checking…'
      : verdict.acceptable
        ? `${verdict.label}: accepted.`
        : `${verdict.label}: not accepted yet, because ${verdict.reason}.`;
  return (
    <fieldset className="passphrase">
      <legend>{props.label ?? 'Passphrase'}</legend>
      <label htmlFor={`${id}-p`}>
        Passphrase (at least {MIN_PASSPHRASE_LENGTH} characters; a few unrelated words work well)
      </label>
      <input
        id={`${id}-p`}
        type="password"
        autoComplete="new-password"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        aria-describedby={`${id}-s`}
      />
      <div id={`${id}-s`} className="strength" aria-live="polite">
        {/* low = high = the accepted score: red below it, green from it, as the verdict says */}
        <meter
          min={0}
          max={4}
          low={MIN_PASSPHRASE_SCORE}
          high={MIN_PASSPHRASE_SCORE}
          optimum={4}
          value={verdict?.score ?? 0}
          aria-label="Passphrase strength"
        />
        <span>{status}</span>
      </div>
      <label htmlFor={`${id}-c`}>Type it again</label>
      <input
        id={`${id}-c`}
        type="password"
        autoComplete="new-password"
        value={props.confirmation}
        onChange={(event) => props.onConfirmationChange(event.target.value)}
        aria-invalid={mismatch}
      />
      {mismatch && <p className="field-error">The two passphrases differ.</p>}
    </fieldset>
  );
}
