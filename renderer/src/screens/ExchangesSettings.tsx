/**
 * Settings → Exchanges: the shared folders, SFTP servers and mailbox packages
 * travel through, each by the name people gave it, with how it did at the
 * last look and a test (ExchangeRow.tsx); adding a folder or an SFTP server
 * (only after its host key was compared) under a name; setting up e-mail
 * (MailboxSetup.tsx); and whether receipts are sent.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { call, on, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { Notice } from '../components/Notice.js';
import { useAction } from '../useAction.js';
import { useFocusOn } from '../useFocusOn.js';
import { ExchangeRow } from './ExchangeRow.js';
import { MailboxSetup } from './MailboxSetup.js';

type Exchange = AnswerOf<'exchange.list'>[number];

export function ExchangesSettings({
  focusKey = null,
  sendReceipts,
  receiptsManaged,
}: {
  /** A new key: the reader was sent here (to set up e-mail), so the heading takes the focus. */
  focusKey?: number | null;
  sendReceipts: boolean;
  receiptsManaged: boolean;
}) {
  const heading = useFocusOn<HTMLHeadingElement>(focusKey);
  const [exchanges, setExchanges] = useState<Exchange[] | null>(null);
  const [url, setUrl] = useState('');
  const [sftpName, setSftpName] = useState('');
  const [folderName, setFolderName] = useState('');
  const [presented, setPresented] = useState<string | null>(null);
  const [typedKey, setTypedKey] = useState('');
  const { error, run, fail } = useAction();
  const reload = useCallback(() => void call('exchange.list', {}).then(setExchanges, fail), [fail]);
  useEffect(reload, [reload]);
  useEffect(() => on('exchange.inboxChanged', reload), [reload]);
  /** A change to the exchanges, then the list as it is now. */
  const change = (work: () => Promise<unknown>) =>
    void run(work).then((outcome) => {
      if (outcome.ok) reload();
    });
  const check = (event: FormEvent) => {
    event.preventDefault();
    setPresented(null);
    void run(async () => setPresented((await call('exchange.checkSftp', { url })).hostKey));
  };
  const confirm = () => {
    if (!presented) return;
    const name = sftpName.trim();
    change(() => call('exchange.addSftp', { url, hostKey: typedKey.trim() || presented, ...(name ? { name } : {}) }));
    setPresented(null);
    setTypedKey('');
    setUrl('');
    setSftpName('');
  };
  const keysMatch = presented !== null && typedKey.trim().replace(/=+$/, '') === presented;
  return (
    <>
      <h3 id="exchanges-title" ref={heading} tabIndex={-1}>
        Exchanges
      </h3>
      <p>
        Shared folders and SFTP servers where MedSeal delivers packages into each recipient&rsquo;s inbox and finds
        yours, and your mailbox for partners none of them reaches.
      </p>
      <ActionError error={error} />
      {exchanges === null ? (
        <p className="muted">Loading…</p>
      ) : exchanges.length === 0 ? (
        <p className="empty">No exchange yet: packages are saved for you to send by e-mail.</p>
      ) : (
        <ul className="file-list" aria-label="Exchanges">
          {exchanges.map((exchange) => (
            <ExchangeRow
              key={exchange.name}
              exchange={exchange}
              onRemove={() => change(() => call('exchange.remove', { name: exchange.name }))}
            />
          ))}
        </ul>
      )}
      <form
        className="card-form"
        onSubmit={(event) => {
          event.preventDefault();
          const name = folderName.trim();
          change(() => call('exchange.addFolder', name ? { name } : {}));
          setFolderName('');
        }}
      >
        <h4>Add a shared folder</h4>
        <label htmlFor="folder-name">Name you will see (optional)</label>
        <input
          id="folder-name"
          type="text"
          value={folderName}
          maxLength={64}
          onChange={(event) => setFolderName(event.target.value)}
          placeholder="Ward 4 share"
        />
        <button type="submit" className="secondary">
          Add an exchange folder…
        </button>
      </form>
      <form onSubmit={check} className="card-form">
        <h4>Add an SFTP server</h4>
        <label htmlFor="sftp-url">Address from IT (sftp://user@server/path)</label>
        <input
          id="sftp-url"
          type="text"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          placeholder="sftp://partner@sftp.hospital.example/exchange"
        />
        <label htmlFor="sftp-name">Name you will see (optional)</label>
        <input
          id="sftp-name"
          type="text"
          value={sftpName}
          maxLength={64}
          onChange={(event) => setSftpName(event.target.value)}
          placeholder="Lab partners"
        />
        <button type="submit" className="secondary" disabled={!url.trim()}>
          Show the server&rsquo;s key
        </button>
      </form>
      {presented && (
        <div className="card-form" role="group" aria-labelledby="host-key-title">
          <h4 id="host-key-title">Compare the server&rsquo;s key</h4>
          <p>
            The server presents <code>{presented}</code>. Paste the key IT gave you; add the server only if they are
            identical.
          </p>
          <label htmlFor="sftp-host-key">Host key from IT</label>
          <input
            id="sftp-host-key"
            type="text"
            value={typedKey}
            onChange={(event) => setTypedKey(event.target.value)}
            placeholder="SHA256:…"
          />
          {typedKey.trim() !== '' && !keysMatch && (
            <Notice kind="error">The keys differ: do not add this server. Tell IT.</Notice>
          )}
          <button type="button" disabled={!keysMatch} onClick={confirm}>
            Keys match: add it and choose my login key…
          </button>
        </div>
      )}
      <MailboxSetup onAdded={reload} />
      <p>
        Receipts:{' '}
        {sendReceipts
          ? 'when you open or refuse a package from a contact, MedSeal sends them a signed receipt.'
          : 'not sent.'}
        {receiptsManaged ? ' (Set by your organisation.)' : ''}
      </p>
    </>
  );
}
