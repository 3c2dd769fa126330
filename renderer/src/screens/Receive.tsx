/** Receive: the sender and their trust first, then files and note, then save with progress. */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { AppError, call, messageOf, on, type AnswerOf } from '../api.js';
import { FileList } from '../components/FileList.js';
import { Notice } from '../components/Notice.js';
import { Progress } from '../components/Progress.js';
import { TrustBadge } from '../components/TrustBadge.js';
import { formatBytes, formatDate } from '../format.js';
import { identityMismatchText, SENDER_WARNING } from '../../../main/texts/trust-texts.js';
import { emergencyAccessText } from '../../../main/texts/protection-texts.js';
import { openedBeforeText } from '../../../main/texts/delivery-texts.js';
import { useJob } from '../useJob.js';

type Preview = AnswerOf<'open.preview'>;

export function Receive({ incoming }: { incoming: AnswerOf<'files.registerDropped'> | null }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmUntrusted, setConfirmUntrusted] = useState(false);
  const [openAgain, setOpenAgain] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [receiptSaved, setReceiptSaved] = useState(false);
  const [conflict, setConflict] = useState<AnswerOf<'open.start'>['conflict']>(null);
  const [senderAdded, setSenderAdded] = useState<string | null>(null);
  /** Adding the sender was refused: they could be mistaken for a contact (LOOK_ALIKE_CONTACT); adding them now needs the reader's explicit word. */
  const [lookAlikeRefused, setLookAlikeRefused] = useState(false);
  const conflictRef = useRef<HTMLDivElement>(null);
  const job = useJob(jobId);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus(); // the question is where the reader's attention goes
  }, [conflict]);

  const show = async (token: string) => {
    setBusy(true);
    setError(null);
    setPreview(null);
    setJobId(null);
    setReceiptSaved(false);
    setConfirmUntrusted(false);
    setOpenAgain(false);
    setConflict(null);
    setSenderAdded(null);
    setLookAlikeRefused(false);
    try {
      setPreview(await call('open.preview', { token }));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (incoming) void show(incoming.token);
  }, [incoming]);
  useEffect(() => on('app.fileOpened', (event) => event.kind === 'package' && void show(event.file.token)), []);
  const [inbox, setInbox] = useState<AnswerOf<'exchange.inbox'>>([]);
  const loadInbox = () => void call('exchange.inbox', {}).then(setInbox, () => setInbox([]));
  useEffect(loadInbox, []);
  useEffect(() => on('exchange.inboxChanged', loadInbox), []);
  useEffect(() => {
    if (job.finished?.ok) loadInbox();
  }, [job.finished]);

  const pick = async () => {
    try {
      const file = await call('files.pickPackage', {});
      if (file) await show(file.token);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const drop = async (event: DragEvent) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (!file) return;
    const result = await window.medseal.registerDroppedFile(file);
    if (result.ok) await show(result.value.token);
    else setError(result.error.message);
  };
  const save = async (keepBoth = false) => {
    if (!preview) return;
    setError(null);
    setConflict(null);
    try {
      const again = preview.openedBefore !== null && openAgain ? { openAgain: true } : {};
      const answer = await call('open.start', {
        token: preview.token,
        confirmUntrusted: consent,
        overrideAlarm: alarm && consent,
        keepBoth,
        ...again,
      });
      setConflict(answer.conflict);
      setJobId(answer.jobId);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const addSender = async (acceptLookAlike = false) => {
    if (!preview) return;
    setError(null);
    try {
      const { contact, preview: judged } = await call(
        'open.addSender',
        acceptLookAlike ? { token: preview.token, acceptLookAlike } : { token: preview.token },
      );
      setLookAlikeRefused(false);
      setPreview(judged); // the same package, the sender's trust as the contacts now know them
      setSenderAdded(
        `${contact.name} was added to your contacts, not verified. Compare safety numbers with them under Contacts before you trust their packages.`,
      );
    } catch (caught) {
      setError(messageOf(caught));
      setLookAlikeRefused(caught instanceof AppError && caught.code === 'LOOK_ALIKE_CONTACT');
    }
  };
  const trusted = preview?.sender.verdict === 'trusted';
  const alarm = preview?.sender.verdict === 'alarm';
  const tampered = job.finished?.error?.category === 'damaged-package';
  const warning = preview ? SENDER_WARNING[preview.sender.verdict] : null;
  const consent = confirmUntrusted;

  return (
    <section aria-labelledby="receive-title">
      <h2 id="receive-title">Receive a package</h2>
      <div className="dropzone" onDragOver={(event) => event.preventDefault()} onDrop={(event) => void drop(event)}>
        <p>Drop a .medseal package here, or</p>
        <button type="button" onClick={() => void pick()}>
          Open a package…
        </button>
      </div>
      {inbox.length > 0 && (
        <section aria-labelledby="inbox-title">
          <h3 id="inbox-title">In your exchange inbox</h3>
          <ul className="file-list">
            {inbox.map((entry) => (
              <li key={entry.token}>
                {entry.sender ? (
                  <span>
                    From <strong>{entry.sender.name}</strong>, {entry.sender.organisation}{' '}
                    <TrustBadge state={entry.sender.trust} />
                  </span>
                ) : (
                  <span className="muted">Cannot be read: {entry.problem}</span>
                )}{' '}
                <span className="muted">
                  arrived {formatDate(entry.arrivedAt)} · {formatBytes(entry.size)}
                </span>
                <button type="button" className="link" onClick={() => void show(entry.token)}>
                  Open
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {busy && (
        <p className="muted" aria-live="polite">
          Checking the package…
        </p>
      )}
      {error && (
        <Notice kind="error" focus>
          {error}
        </Notice>
      )}
      {preview && (
        <article className="preview" aria-label="Package">
          {/* A package that failed verification while saving shows no trust badge: nothing in it is the sender's. */}
          <h3>From</h3>
          <p className="sender">
            <strong>{preview.sender.name}</strong>, {preview.sender.role ? `${preview.sender.role}, ` : ''}
            {preview.sender.organisation} &lt;{preview.sender.email}&gt;{' '}
            {tampered ? (
              <span className="badge badge-alarm">Not trusted: the package was changed</span>
            ) : (
              <TrustBadge state={preview.sender.trust} />
            )}
          </p>
          {preview.sender.trust === 'unknown' && !tampered && (
            <p>
              <button type="button" className="secondary" onClick={() => void addSender()}>
                Add {preview.sender.name} to contacts (not verified)
              </button>
              {lookAlikeRefused && (
                <button type="button" className="secondary" onClick={() => void addSender(true)}>
                  I checked by phone that {preview.sender.email} is someone else: add them anyway (not verified)
                </button>
              )}
            </p>
          )}
          {senderAdded && (
            <Notice kind="success" focus>
              {senderAdded}
            </Notice>
          )}
          {warning && (
            <Notice kind={alarm ? 'error' : 'warning'}>
              {warning}
              {preview.sender.claimed && (
                <>
                  {' '}
                  {identityMismatchText(
                    `${preview.sender.name} <${preview.sender.email}>`,
                    `${preview.sender.claimed.name}, ${preview.sender.claimed.organisation} <${preview.sender.claimed.email}>`,
                  )}
                </>
              )}
            </Notice>
          )}
          <p className="muted">
            Sealed {formatDate(preview.createdAt)} · {preview.recipientCount} recipient(s)
          </p>
          {preview.emergencyAccess && (
            <p className="emergency-access">{emergencyAccessText(preview.emergencyAccess)}</p>
          )}
          <h3>Files</h3>
          <FileList
            label="Files in the package"
            files={preview.files.map((file, index) => ({ key: String(index), name: file.name, size: file.size }))}
          />
          {preview.note && (
            <>
              <h3>Note</h3>
              <p className="note">{preview.note}</p>
            </>
          )}
          {job.finished?.ok ? (
            <>
              <Notice kind="success" focus>
                All {job.finished.fileCount} file(s) were verified and saved
                {job.finished.savedIn ? ` in the folder “${job.finished.savedIn}”` : ''}
                {job.finished.renamed
                  .map((entry) => `; “${preview.files[entry.index]?.name ?? ''}” as “${entry.savedAs}”`)
                  .join('')}
                .{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    void call('open.reveal', { jobId: job.finished!.jobId }).catch((caught: unknown) =>
                      setError(messageOf(caught)),
                    )
                  }
                >
                  Show in folder
                </button>
              </Notice>
              {preview.receipt === 'automatic' && (
                <p className="muted">
                  A signed receipt goes back to the sender through the exchange (it waits and is retried if the exchange
                  cannot take it now).
                </p>
              )}
              {preview.receipt === 'on-request' &&
                (receiptSaved ? (
                  <p className="muted">Receipt saved: send it back to the sender (attach it to your reply).</p>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      void call('open.saveReceipt', { token: preview.token }).then(
                        (answer) => setReceiptSaved(answer.saved),
                        (caught: unknown) => setError(messageOf(caught)),
                      )
                    }
                  >
                    Save a receipt for the sender…
                  </button>
                ))}
            </>
          ) : jobId && !job.finished ? (
            <Progress
              label="Opening"
              progress={job.progress ?? { bytesDone: 0, bytesTotal: preview.totalBytes, bytesPerSecond: 0 }}
              onCancel={() => void call('jobs.cancel', { jobId })}
            />
          ) : conflict ? (
            <div className="conflict" ref={conflictRef} tabIndex={-1} role="group" aria-labelledby="conflict-title">
              <Notice kind="warning">
                <strong id="conflict-title">
                  The folder “{conflict.folder}” already has {conflict.files.length === 1 ? 'a file' : 'files'} of the
                  same name:
                </strong>
                <ul>
                  {conflict.files.map((file) => (
                    <li key={file.index}>
                      “{preview.files[file.index]?.name}”
                      {file.keptAs ? ` — keeping both saves the new one as “${file.keptAs}”` : ''}
                    </li>
                  ))}
                </ul>
                Nothing was saved yet, and nothing there will be replaced.
              </Notice>
              <div className="row">
                <button type="button" onClick={() => void save(true)}>
                  Keep both
                </button>
                <button type="button" className="secondary" onClick={() => void save()}>
                  Choose another folder…
                </button>
              </div>
            </div>
          ) : (
            <>
              {job.finished && (
                <Notice kind="error" focus>
                  {job.finished.error?.message}
                </Notice>
              )}
              {job.finished?.error?.category === 'damaged-package'
                ? null
                : !trusted && (
                    <label className={alarm ? 'checkbox alarm' : 'checkbox warning'}>
                      <input
                        type="checkbox"
                        checked={confirmUntrusted}
                        onChange={(event) => setConfirmUntrusted(event.target.checked)}
                      />
                      {alarm
                        ? 'This may be an impersonation. I have confirmed with the sender by phone that they sent this package, and I want to save the files anyway (recorded in the audit log).'
                        : 'I understand the sender is not verified and want to save the files.'}
                    </label>
                  )}
              {preview.openedBefore !== null && !(job.finished?.error?.category === 'damaged-package') && (
                <>
                  <Notice kind="warning">{openedBeforeText(formatDate(preview.openedBefore))}</Notice>
                  <label className="checkbox warning">
                    <input
                      type="checkbox"
                      checked={openAgain}
                      onChange={(event) => setOpenAgain(event.target.checked)}
                    />
                    Save its files again.
                  </label>
                </>
              )}
              {!(job.finished?.error?.category === 'damaged-package') && (
                <button
                  type="button"
                  className={alarm ? 'danger' : undefined}
                  disabled={(!trusted && !confirmUntrusted) || (preview.openedBefore !== null && !openAgain)}
                  onClick={() => void save()}
                >
                  {alarm ? 'Save anyway (recorded in the audit log)…' : 'Save files…'}
                </button>
              )}
            </>
          )}
        </article>
      )}
    </section>
  );
}
