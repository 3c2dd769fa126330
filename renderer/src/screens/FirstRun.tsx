/** First run: create the identity (or restore one from a backup), then show the contact card and what to do next. */
import { useState, type FormEvent } from 'react';
import { call } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { PassphraseField, passphraseAcceptable, usePassphraseJudge } from '../components/PassphraseField.js';
import { useAction } from '../useAction.js';
import { RestoreBackup } from './RestoreBackup.js';
import { PassphraseOpen } from './PassphraseOpen.js';

export function FirstRun({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', organisation: '', role: '', email: '' });
  const judge = usePassphraseJudge();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, progress, error, run } = useAction();
  const [restoring, setRestoring] = useState(false);
  const [openingPackage, setOpeningPackage] = useState(false);
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
    if ((await run(() => call('identity.create', { ...form, passphrase }), 'Creating your keys…')).ok) onCreated();
  };
  if (openingPackage) return <PassphraseOpen onBack={() => setOpeningPackage(false)} />;
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
        <ActionError error={error} focus={false} />
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
          {progress ?? 'Create my identity'}
        </button>
      </form>
      <p>
        Used MedSeal on another workstation?{' '}
        <button type="button" className="link" onClick={() => setRestoring(true)}>
          Restore from a backup
        </button>
      </p>
      <p>
        Someone sent you a package with a six-word passphrase? You need no identity for it:{' '}
        <button type="button" className="link" onClick={() => setOpeningPackage(true)}>
          Open a package with a passphrase
        </button>
      </p>
    </main>
  );
}
