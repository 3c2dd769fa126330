/**
 * One package on Receive: the sender and their trust first, then what it holds, then where the
 * saving is: the result, the progress, the folder's name conflict, or the controls to save.
 */
import { Progress } from '../../components/Progress.js';
import type { useJob } from '../../useJob.js';
import { NameConflict } from './NameConflict.js';
import { PackageContents } from './PackageContents.js';
import type { ReceiveState } from './receiveState.js';
import { SaveControls } from './SaveControls.js';
import { SavedNotice } from './SavedNotice.js';
import { SenderDetails } from './SenderDetails.js';

export function PackagePreview(props: {
  state: ReceiveState & { preview: NonNullable<ReceiveState['preview']> };
  job: ReturnType<typeof useJob>;
  onAddSender: (acceptLookAlike: boolean) => void;
  onConfirmUntrusted: (confirmed: boolean) => void;
  onOpenAgain: (again: boolean) => void;
  onSave: (keepBoth: boolean) => void;
  onCancel: (jobId: string) => void;
  onReveal: (jobId: string) => void;
  onSaveReceipt: () => void;
  onReply: () => void;
}) {
  const { state, job } = props;
  const { preview, jobId, conflict } = state;
  const finished = job.finished;
  return (
    <article className="preview" aria-label="Package">
      {/* A package that failed verification while saving shows no trust badge: nothing in it is the sender's. */}
      <SenderDetails
        sender={preview.sender}
        tampered={finished?.error?.category === 'damaged-package'}
        senderAdded={state.senderAdded}
        lookAlikeRefused={state.lookAlikeRefused}
        onAddSender={props.onAddSender}
      />
      <PackageContents preview={preview} />
      {finished?.ok ? (
        <SavedNotice
          finished={finished}
          preview={preview}
          receiptSaved={state.receiptSaved}
          onReveal={() => props.onReveal(finished.jobId)}
          onSaveReceipt={props.onSaveReceipt}
          onReply={props.onReply}
        />
      ) : jobId && !finished ? (
        <Progress
          label="Opening"
          progress={job.progress ?? { bytesDone: 0, bytesTotal: preview.totalBytes, bytesPerSecond: 0 }}
          onCancel={() => props.onCancel(jobId)}
        />
      ) : conflict ? (
        <NameConflict
          conflict={conflict}
          files={preview.files}
          onKeepBoth={() => props.onSave(true)}
          onChooseAnother={() => props.onSave(false)}
        />
      ) : (
        <SaveControls
          preview={preview}
          failed={finished}
          confirmUntrusted={state.confirmUntrusted}
          openAgain={state.openAgain}
          onConfirmUntrusted={props.onConfirmUntrusted}
          onOpenAgain={props.onOpenAgain}
          onSave={() => props.onSave(false)}
        />
      )}
    </article>
  );
}
