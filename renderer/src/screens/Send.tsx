/** Send: files, recipients (type-ahead, with trust and look-alike flags), a note, the recipients confirmed once more, then seal with progress and cancel. */
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { call, messageOf, type AnswerOf } from '../api.js';
import { Notice } from '../components/Notice.js';
import { Progress } from '../components/Progress.js';
import { TrustBadge } from '../components/TrustBadge.js';
import { LookAlikeNotices, RecipientConfirmation } from '../components/RecipientCheck.js';
import { classicalOnlyText } from '../../../main/texts/protection-texts.js';
import { FileList } from '../components/FileList.js';
import { useJob } from '../useJob.js';

type FileRef = AnswerOf<'files.pickToSeal'>[number];
type Contact = AnswerOf<'contacts.list'>[number];

/** Type-ahead suggestions shown at once; more matches are counted, not listed. */
const MATCHES_SHOWN = 8;
/** Before anything is typed: the partners most recently sent to, newest first. */
const RECENT_SHOWN = 5;

export function Send({
  active,
  emergencyAccess,
}: {
  active: boolean;
  emergencyAccess: AnswerOf<'session.status'>['policy']['emergencyAccess'];
}) {
  const [files, setFiles] = useState<FileRef[]>([]);
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [chosen, setChosen] = useState<Contact[]>([]);
  const [query, setQuery] = useState('');
  const [note, setNote] = useState('');
  const [confirmUnverified, setConfirmUnverified] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [delivery, setDelivery] = useState<AnswerOf<'seal.deliver'> | null>(null);
  /** Whether an exchange reaches every chosen recipient (null while unknown). */
  const [reachable, setReachable] = useState<boolean | null>(null);
  const [cautions, setCautions] = useState<AnswerOf<'seal.cautions'> | null>(null);
  const [confirming, setConfirming] = useState(false);
  /** Fingerprints of the people most recently sent to, newest first. */
  const [recent, setRecent] = useState<string[]>([]);
  const job = useJob(jobId);
  const sealed = Boolean(jobId && job.finished?.ok);

  useEffect(() => {
    setReachable(null);
    setCautions(null);
    setConfirming(false);
    if (chosen.length === 0) return;
    let current = true;
    const recipients = chosen.map((contact) => contact.fingerprint);
    call('seal.reachability', { recipients }).then(
      (answer) => current && setReachable(answer.unreached.length === 0),
      () => current && setReachable(false),
    );
    call('seal.cautions', { recipients }).then(
      (answer) => current && setCautions(answer),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [chosen]);

  // Sealed: deliver at once through every exchange that reaches a recipient ("Sent" only when one did).
  useEffect(() => {
    if (!sealed || !jobId) return;
    call('seal.deliver', { jobId }).then(setDelivery, (caught: unknown) => setError(messageOf(caught)));
  }, [sealed, jobId]);

  // Read again each time the tab is shown: contacts may have been added or verified meanwhile.
  useEffect(() => {
    if (!active) {
      if (sealedRef.current) resetRef.current(); // a finished package is done with: the tab opens on a fresh form again
      return;
    }
    setContacts(null); // never offer a contact in a state that may have changed (a key change blocks it)
    call('contacts.list', {}).then(setContacts, (caught: unknown) => setError(messageOf(caught)));
    call('history.recent', { limit: 50 }).then(
      (items) =>
        setRecent([...new Set(items.filter((item) => item.direction === 'sent').flatMap((item) => item.recipients))]),
      () => setRecent([]),
    );
  }, [active]);

  const allMatches = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!needle || !contacts) return [];
    return contacts.filter(
      (contact) =>
        !chosen.some((picked) => picked.fingerprint === contact.fingerprint) &&
        `${contact.name} ${contact.organisation} ${contact.email}`.toLowerCase().includes(needle),
    );
  }, [query, contacts, chosen]);
  const typed = query.trim() !== '';
  const recentContacts = useMemo(() => {
    if (!contacts) return [];
    const byFingerprint = new Map(contacts.map((contact) => [contact.fingerprint, contact]));
    return recent
      .flatMap((fingerprint) => byFingerprint.get(fingerprint) ?? [])
      .filter((contact) => !chosen.some((picked) => picked.fingerprint === contact.fingerprint));
  }, [recent, contacts, chosen]);
  const matches = typed ? allMatches.slice(0, MATCHES_SHOWN) : recentContacts.slice(0, RECENT_SHOWN);

  const addFiles = (refs: FileRef[]) =>
    setFiles((current) => [...current, ...refs.filter((ref) => !current.some((file) => file.token === ref.token))]);
  const pick = async () => {
    try {
      addFiles(await call('files.pickToSeal', {}));
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const drop = async (event: DragEvent) => {
    event.preventDefault();
    for (const file of Array.from(event.dataTransfer.files)) {
      const result = await window.medseal.registerDroppedFile(file);
      if (result.ok) addFiles([result.value]);
      else setError(result.error.message);
    }
  };
  const unverified = chosen.filter((contact) => contact.state === 'unverified');
  const seal = async () => {
    setConfirming(false);
    setError(null);
    try {
      const { jobId: started } = await call('seal.start', {
        files: files.map((file) => file.token),
        recipients: chosen.map((contact) => contact.fingerprint),
        note,
        confirmUnverified,
      });
      setJobId(started);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const reset = () => {
    setDelivery(null);
    setFiles([]);
    setChosen([]);
    setNote('');
    setConfirmUnverified(false);
    setJobId(null);
  };

  const sealedRef = useRef(sealed);
  sealedRef.current = sealed;
  const resetRef = useRef(reset);
  resetRef.current = reset;

  const everyone = delivery !== null && delivery.unreached.length === 0;
  const title =
    delivery === null
      ? 'Sending…'
      : everyone
        ? 'Sent'
        : delivery.delivered.length > 0
          ? 'Partly sent'
          : 'Saved — not sent yet';
  // The result takes the focus (the button that started it is gone), again when it changes.
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const resultTitle = sealed && jobId ? title : null;
  useEffect(() => {
    if (resultTitle) resultHeading.current?.focus();
  }, [resultTitle]);
  const search = useRef<HTMLInputElement>(null);

  if (sealed && jobId) {
    return (
      <section aria-labelledby="send-title">
        <h2 id="send-title" ref={resultHeading} tabIndex={-1}>
          {title}
        </h2>
        {delivery?.delivered.map((entry) => (
          <Notice key={`${entry.name}-${entry.exchange}`} kind="success">
            Delivered to {entry.name}&rsquo;s inbox on {entry.exchange} · waiting for receipt
          </Notice>
        ))}
        {delivery !== null && delivery.unreached.length > 0 && (
          <Notice kind="warning">
            Not sent to {delivery.unreached.join(', ')}: no exchange reaches{' '}
            {delivery.unreached.length === 1 ? 'them' : 'these recipients'}. The package is sealed and saved where you
            chose, and only the recipients you named can open it: attach it to an e-mail, or ask them to add the same
            exchange in Settings.
          </Notice>
        )}
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
        {error && (
          <Notice kind="error" focus>
            {error}
          </Notice>
        )}
        <div className="row">
          {delivery !== null && delivery.unreached.length > 0 && (
            <span
              className="drag-out"
              draggable
              role="note"
              aria-label="Drag the package into an e-mail or a folder"
              onDragStart={(event) => {
                event.preventDefault(); // the window does not drag a copy itself: the OS drags the real file
                void call('seal.startDrag', { jobId });
              }}
            >
              Drag the package into an e-mail
            </span>
          )}
          <button type="button" className="secondary" onClick={() => void call('seal.reveal', { jobId })}>
            Show in folder
          </button>
          <button type="button" onClick={reset}>
            Send another
          </button>
        </div>
      </section>
    );
  }
  return (
    <section aria-labelledby="send-title">
      <h2 id="send-title">Send records</h2>
      <div className="dropzone" onDragOver={(event) => event.preventDefault()} onDrop={(event) => void drop(event)}>
        <p>Drop files here, or</p>
        <button type="button" onClick={() => void pick()}>
          Choose files…
        </button>
      </div>
      {files.length === 0 ? (
        <p className="empty">No files yet.</p>
      ) : (
        <FileList
          label="Files to seal"
          files={files.map((file) => ({ key: file.token, name: file.name, size: file.size }))}
          onRemove={(removed) => setFiles(files.filter((other) => other.token !== removed.key))}
        />
      )}

      <label htmlFor="recipient-search">Recipients</label>
      <input
        id="recipient-search"
        ref={search}
        type="search"
        placeholder="Type a name, organisation or e-mail"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        aria-controls="recipient-matches"
      />
      {contacts === null ? (
        <p className="muted">Loading contacts…</p>
      ) : contacts.length === 0 ? (
        <p className="empty">No contacts yet: import a partner's card under Contacts.</p>
      ) : null}
      {!typed && matches.length > 0 && (
        <p className="muted" aria-hidden="true">
          Recently sent to:
        </p>
      )}
      <ul id="recipient-matches" className="matches" aria-label={typed ? 'Matching contacts' : 'Recently sent to'}>
        {matches.map((contact) => (
          <li key={contact.fingerprint}>
            <button
              type="button"
              disabled={contact.state === 'key-changed'}
              onClick={() => {
                setChosen([...chosen, contact]);
                setQuery('');
                search.current?.focus(); // the picked button is gone: on to the next recipient
              }}
            >
              {contact.name}, {contact.organisation} &lt;{contact.email}&gt;
            </button>{' '}
            <TrustBadge state={contact.state} />
          </li>
        ))}
      </ul>
      {allMatches.length > matches.length && (
        <p className="muted" aria-live="polite">
          Showing {matches.length} of {allMatches.length} matching contacts: type more of the name, organisation or
          e-mail to narrow them down.
        </p>
      )}
      {chosen.length > 0 && (
        <ul className="chosen" aria-label="Chosen recipients">
          {chosen.map((contact) => (
            <li key={contact.fingerprint}>
              {contact.name} <TrustBadge state={contact.state} />
              <button
                type="button"
                className="link"
                onClick={() => setChosen(chosen.filter((other) => other !== contact))}
                aria-label={`Remove ${contact.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {cautions && <LookAlikeNotices chosen={chosen} cautions={cautions} />}
      {chosen.some((contact) => !contact.postQuantum) && (
        <Notice kind="warning">
          {classicalOnlyText(
            chosen
              .filter((contact) => !contact.postQuantum)
              .map((contact) => `${contact.name} (${contact.organisation})`),
          )}
        </Notice>
      )}
      {unverified.length > 0 && (
        <label className="checkbox warning">
          <input
            type="checkbox"
            checked={confirmUnverified}
            onChange={(event) => setConfirmUnverified(event.target.checked)}
          />
          I have not compared safety numbers with {unverified.map((contact) => contact.name).join(', ')}, and I still
          want to send.
        </label>
      )}

      <label htmlFor="send-note">Note (optional, encrypted)</label>
      <textarea id="send-note" rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
      {error && (
        <Notice kind="error" focus>
          {error}
        </Notice>
      )}
      {job.finished && !job.finished.ok && (
        <Notice kind="error" focus>
          {job.finished.error?.message}
        </Notice>
      )}
      {jobId && !job.finished ? (
        <Progress
          label="Sealing"
          progress={job.progress ?? { bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0 }}
          onCancel={() => void call('jobs.cancel', { jobId })}
        />
      ) : confirming ? (
        <RecipientConfirmation
          chosen={chosen}
          cautions={cautions}
          emergencyAccess={emergencyAccess}
          onConfirm={() => void seal()}
          onBack={() => setConfirming(false)}
        />
      ) : (
        <>
          {chosen.length > 0 && reachable !== null && !reachable && (
            <p className="hint">
              No exchange reaches {chosen.length === 1 ? 'this recipient' : 'every recipient'}: the package will be
              saved for you to send by e-mail.
            </p>
          )}
          <button
            type="button"
            disabled={files.length === 0 || chosen.length === 0 || (unverified.length > 0 && !confirmUnverified)}
            onClick={() => setConfirming(true)}
          >
            {reachable ? 'Seal and send' : 'Seal and save…'}
          </button>
        </>
      )}
    </section>
  );
}
