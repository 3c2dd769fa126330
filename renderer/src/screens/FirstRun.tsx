/** First run: create the identity (or restore one from a backup), then show the contact card and what to do next. */
import { useState, type FormEvent } from 'react';
import { call, messageOf } from '../api.js';
import { Notice } from '../components/Notice.js';
import { PassphraseField, passphraseAcceptable, usePassphraseJudge } from '../components/PassphraseField.js';
import { RestoreBackup } from './RestoreBackup.js';

export function FirstRun({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', organisation: '', role: '', email: '' });
  const judge = usePassphraseJudge();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const field = (key: keyof typeof form, label: string, type = 'text', autoComplete = 'off') => (
    <>
      <label htmlFor={`first-${key}`}>{label}</label>
      <input
        id={`first-${key}`}
        type={type}
        autoComplete={autoComplete}
        value={form[key]}
        onChange={(event) => setForm({ ...form, [key]: event.target.value })}
        required={key !== 'role'}
      />
    </>
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('identity.create', { ...form, passphrase });
      onCreated();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  if (restoring) return <RestoreBackup onRestored={onCreated} onCancel={() => setRestoring(false)} />;
  return (
    <main className="centered">
      <h1>Welcome to MedSeal</h1>
      <p>Create your identity once. Your partners will see these details on your contact card.</p>
      <form onSubmit={submit} className="card-form">
        {field('name', 'Full name', 'text', 'name')}
        {field('organisation', 'Organisation', 'text', 'organization')}
        {field('role', 'Role (optional)', 'text', 'organization-title')}
        {field('email', 'Work e-mail', 'email', 'email')}
        <PassphraseField
          judge={judge}
          value={passphrase}
          confirmation={confirmation}
          onChange={setPassphrase}
          onConfirmationChange={setConfirmation}
        />
        {error && <Notice kind="error">{error}</Notice>}
        <button
          type="submit"
          disabled={
            busy ||
            !passphraseAcceptable(judge, passphrase, confirmation) ||
            !form.name ||
            !form.organisation ||
            !form.email
          }
        >
          {busy ? 'Creating your keys…' : 'Create my identity'}
        </button>
      </form>
      <p>
        Used MedSeal on another workstation?{' '}
        <button type="button" className="link" onClick={() => setRestoring(true)}>
          Restore from a backup
        </button>
      </p>
    </main>
  );
}
