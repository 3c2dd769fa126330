/**
 * Lock screen and first run → "Open a package with a passphrase": for a package someone sealed
 * with six words they read out or sent by text message. No identity or unlock is needed and
 * nothing is recorded. Choose the package, type the words, see — before anything is saved — who
 * the package says it is from ("as written in the package; not verified"), its files and note,
 * then choose a folder. The words leave this screen's state as soon as main has checked them.
 */
import { useState, type FormEvent } from 'react';
import { call, type AnswerOf } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { FileList } from '../components/FileList.js';
import { Notice } from '../components/Notice.js';
import { Progress } from '../components/Progress.js';
import { formatDate } from '../format.js';
import { useAction } from '../useAction.js';
import { useFocusOn } from '../useFocusOn.js';
import { useJob } from '../useJob.js';
import { PASSPHRASE_SENDER_LABEL, PASSPHRASE_SENDER_WARNING } from '../../../main/texts/passphrase-texts.js';
import { emergencyAccessText } from '../../../main/texts/protection-texts.js';

type Preview = AnswerOf<'passphrase.preview'>;
type Conflict = NonNullable<AnswerOf<'passphrase.open'>['conflict']>;

export function PassphraseOpen({ onBack }: { onBack: () => void }) {
  const [file, setFile] = useState<AnswerOf<'passphrase.pickPackage'>>(null);
  const [words, setWords] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const { busy, progress, error, run, fail } = useAction();
  const heading = useFocusOn<HTMLHeadingElement>(preview?.token);
  const wordsField = useFocusOn<HTMLInputElement>(error ?? file?.token, { select: true });

  const pick = () =>
    run(async () => {
      const chosen = await call('passphrase.pickPackage', {});
      if (!chosen) return;
      setFile(chosen);
      setPreview(null);
      setJobId(null);
    });
  const check = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void run(async () => {
      setPreview(await call('passphrase.preview', { token: file.token, words }));
      setWords(''); // main holds the key now; the words are not kept here
    }, 'Checking the passphrase…');
  };
  const open = (keepBoth: boolean) =>
    run(async () => {
      if (!preview) return;
      const started = await call('passphrase.open', { token: preview.token, keepBoth });
      setConflict(started.conflict);
      if (started.jobId) setJobId(started.jobId);
    });
  const back = () => {
    if (preview && !jobId) void call('passphrase.discard', { token: preview.token }).catch(fail);
    onBack();
  };

  return (
    <main className="centered">
      <h1>Open a package with a passphrase</h1>
      <p>
        For a package someone sealed for you with six words they read to you or sent by text message. You need no
        MedSeal identity, and nothing is recorded here.
      </p>
      {!preview ? (
        <form onSubmit={check} className="card-form">
          <button type="button" className={file ? 'secondary' : undefined} disabled={busy} onClick={() => void pick()}>
            {file ? 'Choose another package…' : 'Choose the package…'}
          </button>
          {file && (
            <>
              <p>
                Package: <strong>{file.name}</strong>
              </p>
              <label htmlFor="package-words">The six words of the passphrase</label>
              <input
                id="package-words"
                ref={wordsField}
                type="text"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                value={words}
                onChange={(event) => setWords(event.target.value)}
              />
            </>
          )}
          <ActionError error={error} focus={false} />
          {file && (
            <button type="submit" disabled={busy || words.trim().length === 0}>
              {progress ?? 'Show what is in it'}
            </button>
          )}
          <button type="button" className="secondary" onClick={back}>
            Back
          </button>
        </form>
      ) : (
        <article className="card-form" aria-label="Package">
          <h2 ref={heading} tabIndex={-1}>
            From
          </h2>
          <p>
            <strong>{preview.sender.name}</strong>, {preview.sender.organisation} ({preview.sender.email}) —{' '}
            <em>{PASSPHRASE_SENDER_LABEL}</em>
          </p>
          <Notice kind="warning">{PASSPHRASE_SENDER_WARNING}</Notice>
          {preview.passphraseRecipient && (
            <p>
              For: {preview.passphraseRecipient.name} ({preview.passphraseRecipient.email}), as the sender wrote it
            </p>
          )}
          <p>Sealed {formatDate(preview.createdAt)}</p>
          {preview.subject !== null && <p>Subject: {preview.subject}</p>}
          <FileList
            label="Files in the package"
            files={preview.files.map((entry, index) => ({ key: String(index), ...entry }))}
          />
          {preview.note && (
            <>
              <h3>Note</h3>
              <p className="note">{preview.note}</p>
            </>
          )}
          {preview.emergencyAccess && (
            <p className="emergency-access">{emergencyAccessText(preview.emergencyAccess)}</p>
          )}
          <ActionError error={error} />
          {conflict && (
            <Notice kind="warning" focus>
              The folder {conflict.folder} already has {conflict.files.length === 1 ? 'a file' : 'files'} of these
              names. Nothing was saved. Keep both (the new ones get a number), or choose another folder.
            </Notice>
          )}
          {jobId && !job.finished ? (
            <Progress
              label="Opening"
              progress={job.progress ?? { bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0 }}
              onCancel={() => void call('jobs.cancel', { jobId }).catch(fail)}
            />
          ) : job.finished?.ok ? (
            <>
              <Notice kind="success" focus>
                {job.finished.fileCount === 1 ? 'The file was' : `All ${job.finished.fileCount} files were`} verified
                and saved in {job.finished.savedIn}.
              </Notice>
              <div className="row">
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void run(() => call('passphrase.reveal', { jobId: job.finished!.jobId }))}
                >
                  Show in folder
                </button>
                <button type="button" onClick={onBack}>
                  Done
                </button>
              </div>
            </>
          ) : (
            <>
              {job.finished && (
                <Notice kind="error" focus>
                  {job.finished.error?.message}
                </Notice>
              )}
              {!job.finished && (
                <div className="row">
                  <button type="button" disabled={busy} onClick={() => void open(false)}>
                    {conflict ? 'Choose another folder…' : 'Choose a folder and open…'}
                  </button>
                  {conflict && (
                    <button type="button" className="secondary" disabled={busy} onClick={() => void open(true)}>
                      Keep both
                    </button>
                  )}
                </div>
              )}
              <button type="button" className="secondary" onClick={back}>
                Back
              </button>
            </>
          )}
        </article>
      )}
    </main>
  );
}
