/**
 * The end of the Send form: "Seal and send" (or "Seal and save…" when no exchange is set up: the
 * label follows the exchanges set up, never a check still running, so it does not change under
 * the person's hand), then — where something calls for a second look (a recipient not verified,
 * a first package to someone, a look-alike) — the recipients confirmed once more; a verified
 * partner sent to before is sealed at once. Then the sealing's progress with cancel; a seal job
 * that failed says why.
 */
import type { AnswerOf, Contact } from '../../api.js';
import { Notice } from '../../components/Notice.js';
import { Progress } from '../../components/Progress.js';
import { RecipientConfirmation } from '../../components/RecipientCheck.js';
import type { useJob } from '../../useJob.js';
import { emergencyAccessText } from '../../../../main/texts/protection-texts.js';
import type { PassphraseRecipient } from './sendDraft.js';

/** Whether the recipients are shown once more before sealing: unless every one is verified (or vouched for by a partner organisation) and sent to before, with no look-alike. */
export function needsConfirmation(chosen: readonly Contact[], cautions: AnswerOf<'seal.cautions'> | null): boolean {
  if (cautions === null) return true; // not known yet: ask
  return chosen.some((contact) => {
    const caution = cautions.find((entry) => entry.fingerprint === contact.fingerprint);
    const verified =
      contact.state === 'verified' || contact.state === 'org-verified' || contact.state === 'partner-vouched';
    return !verified || !caution || caution.firstPackage || caution.lookAlikes.length > 0;
  });
}

export function SealControls(props: {
  jobId: string | null;
  job: ReturnType<typeof useJob>;
  chosen: readonly Contact[];
  /** A partner without MedSeal: always confirmed, and the package is saved where the person chooses. */
  partner: PassphraseRecipient | null;
  cautions: AnswerOf<'seal.cautions'> | null;
  emergencyAccess: AnswerOf<'session.status'>['policy']['emergencyAccess'];
  reachable: boolean | null;
  /** Whether Send goes through the exchanges (null until known, a moment after the tab opens). */
  sends: boolean | null;
  /** Files and recipients are there, and any unverified recipient is confirmed. */
  canSeal: boolean;
  confirming: boolean;
  onConfirming: (confirming: boolean) => void;
  onSeal: () => void;
  onCancel: (jobId: string) => void;
}) {
  const { jobId, job, chosen, partner } = props;
  const saves = props.sends === false || partner !== null;
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
          partner={partner}
          cautions={props.cautions}
          emergencyAccess={props.emergencyAccess}
          onConfirm={props.onSeal}
          onBack={() => props.onConfirming(false)}
        />
      ) : (
        <>
          {props.sends === true && chosen.length > 0 && props.reachable === false && (
            <p className="hint">
              No exchange reaches {chosen.length === 1 ? 'this recipient' : 'every recipient'}: the package will be
              sealed and kept for you to save or drag into an e-mail.
            </p>
          )}
          {partner && (
            <p className="hint">
              The package will be saved where you choose, for you to e-mail to {partner.name}
              {chosen.length > 0 && props.sends ? '; your contacts get it through the exchanges' : ''}. MedSeal then
              shows the passphrase for them once.
            </p>
          )}
          {props.sends === false && !partner && (
            <p className="hint">
              No exchange is set up: the package will be saved where you choose, to send by e-mail.
            </p>
          )}
          {props.emergencyAccess && chosen.length > 0 && (
            <p className="hint emergency-access">{emergencyAccessText(props.emergencyAccess)}</p>
          )}
          <button
            type="button"
            disabled={!props.canSeal || props.sends === null}
            onClick={() =>
              partner || needsConfirmation(chosen, props.cautions) ? props.onConfirming(true) : props.onSeal()
            }
          >
            {saves ? 'Seal and save…' : 'Seal and send'}
          </button>
        </>
      )}
    </>
  );
}
