/**
 * Receive: a package dropped, opened, handed over by the OS or picked from the exchange inbox;
 * the sender and their trust first, then subject, files and note, then save with progress, then
 * Reply (Send starts a draft answering it). This file
 * wires the package's state (receiveState.ts), the inbox and the actions to the parts that
 * show them; the parts only show.
 */
import { useCallback, useEffect, useReducer } from 'react';
import { call, on, registerDropped, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { DropZone } from '../../components/DropZone.js';
import { useAction } from '../../useAction.js';
import { useJob } from '../../useJob.js';
import { InboxList } from './InboxList.js';
import { InboxStatusLine } from './InboxStatusLine.js';
import { PackagePreview } from './PackagePreview.js';
import { NOTHING_SHOWN, receiveState } from './receiveState.js';
import { useInbox } from './useInbox.js';

export function Receive({
  incoming,
  onReply,
}: {
  incoming: AnswerOf<'files.registerDropped'> | null;
  /** Reply to the package just opened: Send starts a draft with it. */
  onReply: (draft: AnswerOf<'open.replyDraft'>) => void;
}) {
  const [state, dispatch] = useReducer(receiveState, NOTHING_SHOWN);
  const { preview } = state;
  const { error, progress, run, fail } = useAction();
  const job = useJob(state.jobId);
  const inbox = useInbox(job.finished, fail);

  const show = useCallback(
    async (token: string) => {
      dispatch({ type: 'checking' });
      await run(
        async () => dispatch({ type: 'previewed', preview: await call('open.preview', { token }) }),
        'Checking the package…',
      );
    },
    [run],
  );
  useEffect(() => {
    if (incoming) void show(incoming.token);
  }, [incoming, show]);
  useEffect(() => on('app.fileOpened', (event) => event.kind === 'package' && void show(event.file.token)), [show]);

  const pick = () =>
    call('files.pickPackage', {}).then(async (file) => {
      if (file) await show(file.token);
    }, fail);
  const drop = (files: File[]) => {
    const file = files[0];
    if (file) void registerDropped(file).then((ref) => show(ref.token), fail);
  };
  const save = async (keepBoth: boolean) => {
    if (!preview) return;
    dispatch({ type: 'saving' });
    const consent = state.confirmUntrusted;
    const again = preview.openedBefore !== null && state.openAgain ? { openAgain: true } : {};
    await run(async () => {
      const answer = await call('open.start', {
        token: preview.token,
        confirmUntrusted: consent,
        overrideAlarm: preview.sender.verdict === 'alarm' && consent,
        keepBoth,
        ...again,
      });
      dispatch({ type: 'saveStarted', conflict: answer.conflict, jobId: answer.jobId });
    });
  };
  const reply = async () => {
    if (!preview) return;
    const draft = await run(() => call('open.replyDraft', { token: preview.token }));
    if (draft.ok) onReply(draft.value);
  };
  const addSender = async (acceptLookAlike: boolean) => {
    if (!preview) return;
    const added = await run(() =>
      call('open.addSender', acceptLookAlike ? { token: preview.token, acceptLookAlike } : { token: preview.token }),
    );
    if (added.ok) dispatch({ type: 'senderAdded', name: added.value.contact.name, preview: added.value.preview });
    else dispatch({ type: 'senderRefused', lookAlike: added.error.code === 'LOOK_ALIKE_CONTACT' });
  };

  return (
    <section aria-labelledby="receive-title">
      <h2 id="receive-title">Receive a package</h2>
      <DropZone onFiles={drop}>
        <p>Drop a .medseal package here, or</p>
        <button type="button" onClick={() => void pick()}>
          Open a package…
        </button>
      </DropZone>
      <InboxList inbox={inbox} onOpen={(token) => void show(token)} />
      <InboxStatusLine fail={fail} />
      {progress && (
        <p className="muted" aria-live="polite">
          {progress}
        </p>
      )}
      <ActionError error={error} />
      {preview && (
        <PackagePreview
          state={{ ...state, preview }}
          job={job}
          onAddSender={(acceptLookAlike) => void addSender(acceptLookAlike)}
          onConfirmUntrusted={(confirmed) => dispatch({ type: 'untrustedConfirmed', confirmed })}
          onOpenAgain={(again) => dispatch({ type: 'openAgain', again })}
          onSave={(keepBoth) => void save(keepBoth)}
          onCancel={(jobId) => void call('jobs.cancel', { jobId }).catch(fail)}
          onReveal={(jobId) => void call('open.reveal', { jobId }).catch(fail)}
          onReply={() => void reply()}
          onSaveReceipt={() =>
            void call('open.saveReceipt', { token: preview.token }).then(
              (answer) => dispatch({ type: 'receiptSaved', saved: answer.saved }),
              fail,
            )
          }
        />
      )}
    </section>
  );
}
