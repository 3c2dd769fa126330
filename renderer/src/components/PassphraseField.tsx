/** A new passphrase with a strength meter (zxcvbn-ts) and a confirmation field. */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { useId, useMemo } from 'react';

const estimator = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs, translations: english.translations });
const zxcvbn = (passphrase: string) => estimator.check(passphrase);

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];
export const MIN_LENGTH = 12;

export function passphraseAcceptable(passphrase: string, confirmation: string): boolean {
  return [...passphrase].length >= MIN_LENGTH && passphrase === confirmation && zxcvbn(passphrase).score >= 3;
}

export function PassphraseField(props: { value: string; confirmation: string; onChange: (value: string) => void; onConfirmationChange: (value: string) => void; label?: string }) {
  const id = useId();
  const result = useMemo(() => (props.value ? zxcvbn(props.value) : null), [props.value]);
  const score = result?.score ?? 0;
  const mismatch = props.confirmation.length > 0 && props.confirmation !== props.value;
  return (
    <fieldset className="passphrase">
      <legend>{props.label ?? 'Passphrase'}</legend>
      <label htmlFor={`${id}-p`}>Passphrase (at least {MIN_LENGTH} characters; a few unrelated words work well)</label>
      <input id={`${id}-p`} type="password" autoComplete="new-password" value={props.value} onChange={(event) => props.onChange(event.target.value)} aria-describedby={`${id}-s`} />
      <div id={`${id}-s`} className="strength" aria-live="polite">
        <meter min={0} max={4} value={props.value ? score : 0} aria-label="Passphrase strength" />
        <span>{props.value ? `${LABELS[score]}${result?.feedback.warning ? `: ${result.feedback.warning}` : ''}` : 'Type a passphrase'}</span>
      </div>
      <label htmlFor={`${id}-c`}>Type it again</label>
      <input id={`${id}-c`} type="password" autoComplete="new-password" value={props.confirmation} onChange={(event) => props.onConfirmationChange(event.target.value)} aria-invalid={mismatch} />
      {mismatch && <p className="field-error">The two passphrases differ.</p>}
    </fieldset>
  );
}
