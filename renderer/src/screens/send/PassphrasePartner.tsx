/**
 * Send → "Someone without MedSeal…": a partner who has no MedSeal is added by name, e-mail and
 * (optionally) phone, beside the contacts chosen. Main checks what was typed as sealing will
 * (services/send.ts): each refusal is shown in its words at its field. Where the organisation
 * forbids such packages the button stays, disabled, with the reason. No passphrase is here: main
 * draws it when sealing.
 */
import { useState, type FormEvent } from 'react';
import { call, type AnswerOf, type Contact } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { useAction } from '../../useAction.js';
import type { PassphraseRecipient } from './sendDraft.js';
import {
  PASSPHRASE_ADD,
  PASSPHRASE_FORBIDDEN_REASON,
  passphrasePackageText,
} from '../../../../main/texts/passphrase-texts.js';

type Problem = NonNullable<AnswerOf<'seal.checkPassphraseRecipient'>['problem']>;
const EMPTY = { name: '', email: '', phone: '' };

export function PassphrasePartner(props: {
  allowed: boolean;
  chosen: readonly Contact[];
  recipient: PassphraseRecipient | null;
  /** A refusal of the recipient already added, now that the contacts changed (the post-quantum rule). */
  problem: string | null;
  onChange: (recipient: PassphraseRecipient | null) => void;
}) {
  const [form, setForm] = useState<typeof EMPTY | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { busy, error, run } = useAction();
  if (props.recipient)
    return (
      <div className="passphrase-partner">
        <ul className="chosen" aria-label="Partner without MedSeal">
          <li>
            {passphrasePackageText(props.recipient)}{' '}
            <button
              type="button"
              className="link"
              aria-label={`Remove ${props.recipient.name}`}
              onClick={() => props.onChange(null)}
            >
              Remove
            </button>
          </li>
        </ul>
        {props.problem && (
          <p className="field-error" role="alert">
            {props.problem}
          </p>
        )}
      </div>
    );
  if (!props.allowed)
    return (
      <div className="passphrase-partner">
        <button type="button" className="secondary" disabled aria-describedby="passphrase-forbidden">
          {PASSPHRASE_ADD}
        </button>
        <p id="passphrase-forbidden" className="hint">
          {PASSPHRASE_FORBIDDEN_REASON}
        </p>
      </div>
    );
  if (!form)
    return (
      <div className="passphrase-partner">
        <button type="button" className="secondary" onClick={() => setForm(EMPTY)}>
          {PASSPHRASE_ADD}
        </button>
      </div>
    );
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const checked = await run(() =>
      call('seal.checkPassphraseRecipient', {
        name: form.name,
        email: form.email,
        ...(form.phone.trim() ? { phone: form.phone } : {}),
        recipients: props.chosen.map((contact) => contact.fingerprint),
      }),
    );
    if (!checked.ok) return;
    setProblem(checked.value.problem);
    if (checked.value.recipient) {
      props.onChange(checked.value.recipient);
      setForm(null);
    }
  };
  const field = (key: keyof typeof EMPTY, label: string, type: string, autoComplete: string) => {
    const wrong = problem?.field === key;
    return (
      <>
        <label htmlFor={`partner-${key}`}>{label}</label>
        <input
          id={`partner-${key}`}
          type={type}
          autoComplete={autoComplete}
          value={form[key]}
          aria-invalid={wrong || undefined}
          aria-describedby={wrong ? `partner-${key}-problem` : undefined}
          onChange={(event) => setForm({ ...form, [key]: event.target.value })}
        />
        {wrong && (
          <p id={`partner-${key}-problem`} className="field-error" role="alert">
            {problem.message}
          </p>
        )}
      </>
    );
  };
  return (
    <form
      className="passphrase-partner card-form"
      aria-labelledby="partner-title"
      noValidate
      onSubmit={(event) => void add(event)}
    >
      <h3 id="partner-title">Someone without MedSeal</h3>
      <p className="hint">
        MedSeal makes a six-word passphrase for them and shows it to you once, after sealing. They open the package with
        it, without installing anything of yours.
      </p>
      {field('name', 'Their name', 'text', 'off')}
      {field('email', 'Their e-mail address', 'email', 'off')}
      {field('phone', 'Their phone number (optional, to read them the passphrase)', 'tel', 'off')}
      {problem?.field === 'recipients' && (
        <p className="field-error" role="alert">
          {problem.message}
        </p>
      )}
      <ActionError error={error} />
      <div className="row">
        <button type="submit" disabled={busy || !form.name.trim() || !form.email.trim()}>
          Add
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setForm(null);
            setProblem(null);
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
