/**
 * The end of the Send form: "Seal and send" (or "Seal and save…" when no exchange reaches every
 * recipient), then the recipients confirmed once more, then the sealing's progress with cancel;
 * a seal job that failed says why.
 */
import type { AnswerOf, Contact } from '../../api.js';
import { Notice } from '../../components/Notice.js';
import { Progress } from '../../components/Progress.js';
import { RecipientConfirmation } from '../../components/RecipientCheck.js';
import type { useJob } from '../../useJob.js';

export function SealControls(props: {
  jobId: string | null;
  job: ReturnType<typeof useJob>;
  chosen: readonly Contact[];
  cautions: AnswerOf<'seal.cautions'> | null;
  emergencyAccess: AnswerOf<'session.status'>['policy']['emergencyAccess'];
  reachable: boolean | null;
  /** Files and recipients are there, and any unverified recipient is confirmed. */
  canSeal: boolean;
  confirming: boolean;
  onConfirming: (confirming: boolean) => void;
  onSeal: () => void;
  onCancel: (jobId: string) => void;
}) {
  const { jobId, job, chosen } = props;
  return (
    <>
      {job.finished && !job.finished.ok && (
        <Notice kind="error" focus>
          {job.finished.error?.message}
        </Notice>
      )}
      {jobId && !job.finished ? (
        <Progress
          label="Sealing"
          progress={job.progress ?? { bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0 }}
          onCancel={() => props.onCancel(jobId)}
        />
      ) : props.confirming ? (
        <RecipientConfirmation
          chosen={chosen}
          cautions={props.cautions}
          emergencyAccess={props.emergencyAccess}
          onConfirm={props.onSeal}
          onBack={() => props.onConfirming(false)}
        />
      ) : (
        <>
          {chosen.length > 0 && props.reachable !== null && !props.reachable && (
            <p className="hint">
              No exchange reaches {chosen.length === 1 ? 'this recipient' : 'every recipient'}: the package will be
              saved for you to send by e-mail.
            </p>
          )}
          <button type="button" disabled={!props.canSeal} onClick={() => props.onConfirming(true)}>
            {props.reachable ? 'Seal and send' : 'Seal and save…'}
          </button>
        </>
      )}
    </>
  );
}
