/**
 * Settings → Exchanges → "Set up e-mail": the person's mailbox, through which partners no exchange
 * reaches get packages at the address on their card. The form asks only what the policy leaves
 * open (the servers, unless IT set them; a CA certificate, unless IT named one), starts from the
 * card's address, and is saved by main only after both logins worked. The password is sent once
 * and cleared from the form whatever the answer; a refusal is shown in main's words and focused.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { Notice } from '../components/Notice.js';
import { useAction } from '../useAction.js';

type Setup = AnswerOf<'exchange.mailSetup'>;

export function MailboxSetup({ onAdded }: { onAdded: () => void }) {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [address, setAddress] = useState('');
  const [smtp, setSmtp] = useState('');
  const [imap, setImap] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [chooseCaFile, setChooseCaFile] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const { busy, progress, error, run, fail } = useAction();
  useEffect(() => {
    call('exchange.mailSetup', {}).then((answer) => {
      setSetup(answer);
      setAddress(answer.address);
    }, fail);
  }, [fail]);
  if (setup === null) return null;
  if (!setup.available)
    return (
      <div className="card-form">
        <h4>E-mail</h4>
        <p className="muted">Your organisation has not set up delivery by e-mail.</p>
        <ActionError error={error} />
      </div>
    );
  const ownServers = setup.servers === null;
  const complete = address.trim() !== '' && password !== '' && (!ownServers || (smtp.trim() && imap.trim()));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!complete) return;
    const typed = password;
    setPassword(''); // sent once; never kept in the form
    setAdded(null);
    const optional = (value: string) => value.trim() || undefined;
    void run(
      () =>
        call('exchange.addMail', {
          address: address.trim(),
          ...(ownServers ? { smtp: smtp.trim(), imap: imap.trim() } : {}),
          user: optional(user),
          password: typed,
          chooseCaFile: chooseCaFile && !setup.caFileSet,
        }),
      'Trying both logins…',
    ).then((outcome) => {
      if (!outcome.ok || !outcome.value.added) return; // refused (the error says why), or the dialog was cancelled
      setAdded(outcome.value.added.location);
      onAdded();
    });
  };
  return (
    <form className="card-form" onSubmit={submit} aria-labelledby="mail-setup-title">
      <h4 id="mail-setup-title">Set up e-mail</h4>
      <p className="hint">
        Partners no exchange reaches get packages by e-mail at the address on their card, and theirs reach you here.
        MedSeal tries both logins over a verified encrypted connection before it saves anything.
      </p>
      {setup.servers && (
        <p>
          Mail servers set by your organisation: <code>{setup.servers.smtp}</code> (outgoing) and{' '}
          <code>{setup.servers.imap}</code> (incoming).
        </p>
      )}
      <label htmlFor="mail-address">Your e-mail address</label>
      <input
        id="mail-address"
        type="email"
        value={address}
        maxLength={254}
        autoComplete="off"
        onChange={(event) => setAddress(event.target.value)}
      />
      {ownServers && (
        <>
          <label htmlFor="mail-smtp">Outgoing server from IT (smtps://server, or smtp://server:587)</label>
          <input
            id="mail-smtp"
            type="text"
            value={smtp}
            maxLength={600}
            onChange={(event) => setSmtp(event.target.value)}
            placeholder="smtps://mail.hospital.example"
          />
          <label htmlFor="mail-imap">Incoming server from IT (imaps://server, or imap://server:143)</label>
          <input
            id="mail-imap"
            type="text"
            value={imap}
            maxLength={600}
            onChange={(event) => setImap(event.target.value)}
            placeholder="imaps://mail.hospital.example"
          />
        </>
      )}
      <label htmlFor="mail-user">Login name (optional: your address when left empty)</label>
      <input
        id="mail-user"
        type="text"
        value={user}
        maxLength={320}
        autoComplete="off"
        onChange={(event) => setUser(event.target.value)}
      />
      <label htmlFor="mail-password">Password</label>
      <input
        id="mail-password"
        type="password"
        value={password}
        maxLength={1024}
        autoComplete="off"
        onChange={(event) => setPassword(event.target.value)}
      />
      {!setup.caFileSet && (
        <label className="checkbox">
          <input type="checkbox" checked={chooseCaFile} onChange={(event) => setChooseCaFile(event.target.checked)} />
          The servers use my organisation&rsquo;s own certificate authority (choose its certificate file from IT)
        </label>
      )}
      <button type="submit" className="secondary" disabled={busy || !complete}>
        {progress ?? (chooseCaFile && !setup.caFileSet ? 'Set up e-mail and choose the certificate…' : 'Set up e-mail')}
      </button>
      {added && (
        <Notice kind="success" focus>
          E-mail is set up for {added}: both logins worked.
        </Notice>
      )}
      <ActionError error={error} />
    </form>
  );
}
