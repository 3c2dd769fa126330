/**
 * Send: files, recipients (type-ahead, with trust and look-alike flags), a subject and a note
 * (a reply also says what it answers), the recipients
 * confirmed once more, then seal with progress and cancel, and the delivery's result. This file
 * wires the draft (sendDraft.ts), what main says about it (the use… hooks) and the parts that
 * show it; the parts only show.
 */
import { useEffect, useEffectEvent, useReducer, useRef, useState } from 'react';
import { call, registerDropped, type AnswerOf } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { useAction } from '../../useAction.js';
import { useJob } from '../../useJob.js';
import { RecipientPicker } from './RecipientPicker.js';
import { RecipientWarnings } from './RecipientWarnings.js';
import { SealControls } from './SealControls.js';
import { EMPTY_DRAFT, sendDraft, type ReplyRequest } from './sendDraft.js';
import { ReplyNotice } from './ReplyNotice.js';
import { SendFiles } from './SendFiles.js';
import { SendResult } from './SendResult.js';
import { useDelivery } from './useDelivery.js';
import { useRecipientChecks } from './useRecipientChecks.js';
import { useSendContacts } from './useSendContacts.js';
import { useSendRoute } from './useSendRoute.js';
import { Notice } from '../../components/Notice.js';
import { PassphrasePartner } from './PassphrasePartner.js';
import { usePassphraseCheck } from './usePassphraseCheck.js';

export function Send({
  active,
  emergencyAccess,
  passphrasePackages,
  reply,
}: {
  active: boolean;
  emergencyAccess: AnswerOf<'session.status'>['policy']['emergencyAccess'];
  passphrasePackages: AnswerOf<'session.status'>['policy']['passphrasePackages'];
  /** Reply asked for on Receive: the draft starts over answering it, once per request. */
  reply: ReplyRequest | null;
}) {
  const [draft, dispatch] = useReducer(sendDraft, EMPTY_DRAFT);
  const { files, chosen, jobId } = draft;
  const { error, run, fail } = useAction();
  const { contacts, recent } = useSendContacts(active, fail);
  const { reachable, cautions } = useRecipientChecks(chosen, fail);
  const sends = useSendRoute(active, fail);
  const job = useJob(jobId);
  const sealedJobId = jobId && job.finished?.ok ? jobId : null;
  const delivery = useDelivery(sealedJobId, fail);
  // The passphrase of the seal job, from its answer: never in the draft, shown once the job sealed,
  // dropped when it failed and for good once the sender passed it on.
  const [words, setWords] = useState<{ jobId: string; words: string } | null>(null);
  useEffect(() => {
    if (job.finished && !job.finished.ok) setWords(null);
  }, [job.finished]);
  const passphraseProblem = usePassphraseCheck(draft.passphraseRecipient, chosen, fail);

  // A finished package is done with: on leaving the tab, it opens on a fresh form again (not while
  // its passphrase waits to be passed on: it is shown only this once).
  const left = useEffectEvent(() => {
    if (sealedJobId && !words) dispatch({ type: 'reset' });
  });
  useEffect(() => {
    if (!active) left();
  }, [active]);

  // A reply starts once the contacts are loaded (its recipient is one of them, by fingerprint).
  const started = useRef<number | null>(null);
  useEffect(() => {
    if (!reply || contacts === null || started.current === reply.key) return;
    started.current = reply.key;
    const recipient = contacts.find((contact) => contact.fingerprint === reply.recipient) ?? null;
    dispatch({ type: 'replyStarted', replyTo: reply.replyTo, subject: reply.subject, recipient });
  }, [reply, contacts]);

  const pick = () => call('files.pickToSeal', {}).then((refs) => dispatch({ type: 'filesAdded', files: refs }), fail);
  const drop = async (dropped: File[]) => {
    for (const file of dropped)
      await registerDropped(file).then((ref) => dispatch({ type: 'filesAdded', files: [ref] }), fail);
  };
  const seal = async () => {
    dispatch({ type: 'confirming', confirming: false });
    const started = await run(() =>
      call('seal.start', {
        files: files.map((file) => file.token),
        recipients: chosen.map((contact) => contact.fingerprint),
        note: draft.note,
        confirmUnverified: draft.confirmUnverified,
        ...(draft.subject.trim() ? { subject: draft.subject } : {}),
        ...(draft.answering ? { replyTo: draft.answering.id } : {}),
        ...(draft.passphraseRecipient
          ? {
              passphraseRecipient: {
                name: draft.passphraseRecipient.name,
                email: draft.passphraseRecipient.email,
                ...(draft.passphraseRecipient.phone ? { phone: draft.passphraseRecipient.phone } : {}),
              },
            }
          : {}),
      }),
    );
    if (!started.ok) return;
    const { jobId: sealing, passphrase } = started.value;
    setWords(sealing && passphrase ? { jobId: sealing, words: passphrase } : null);
    dispatch({ type: 'sealStarted', jobId: sealing });
  };
  const unverified = chosen.some((contact) => contact.state === 'unverified');
  const partner = draft.passphraseRecipient;

  if (sealedJobId)
    return (
      <SendResult
        jobId={sealedJobId}
        delivery={delivery}
        error={error}
        fail={fail}
        onSendAnother={() => dispatch({ type: 'reset' })}
        handover={
          partner && {
            recipient: partner,
            words: words?.jobId === sealedJobId ? words.words : null,
            onPassedOn: () => setWords(null),
          }
        }
      />
    );
  return (
    <section aria-labelledby="send-title">
      <h2 id="send-title">Send records</h2>
      <ReplyNotice draft={draft} onDrop={() => dispatch({ type: 'replyDropped' })} />
      <SendFiles
        files={files}
        onPick={() => void pick()}
        onDrop={(dropped) => void drop(dropped)}
        onRemove={(token) => dispatch({ type: 'fileRemoved', token })}
      />
      <RecipientPicker
        contacts={contacts}
        recent={recent}
        chosen={chosen}
        query={draft.query}
        onQuery={(query) => dispatch({ type: 'queried', query })}
        onChoose={(contact) => dispatch({ type: 'chosen', contact })}
        onUnchoose={(contact) => dispatch({ type: 'unchosen', contact })}
      />
      <PassphrasePartner
        allowed={passphrasePackages === 'allowed'}
        chosen={chosen}
        recipient={partner}
        problem={passphraseProblem}
        onChange={(recipient) => dispatch({ type: 'passphraseRecipient', recipient })}
      />
      <RecipientWarnings
        chosen={chosen}
        cautions={cautions}
        confirmUnverified={draft.confirmUnverified}
        onConfirmUnverified={(confirmed) => dispatch({ type: 'unverifiedConfirmed', confirmed })}
      />

      <label htmlFor="send-subject">Subject (optional, encrypted, one line)</label>
      <input
        id="send-subject"
        type="text"
        maxLength={200}
        value={draft.subject}
        onChange={(event) => dispatch({ type: 'subjectChanged', subject: event.target.value })}
      />
      <label htmlFor="send-note">Note (optional, encrypted)</label>
      <textarea
        id="send-note"
        rows={3}
        value={draft.note}
        onChange={(event) => dispatch({ type: 'noted', note: event.target.value })}
      />
      <ActionError error={error} />
      {draft.notSaved && (
        <Notice kind="warning" focus>
          Nothing was sealed: no place to save the package was chosen.
        </Notice>
      )}
      <SealControls
        jobId={jobId}
        job={job}
        chosen={chosen}
        partner={partner}
        cautions={cautions}
        emergencyAccess={emergencyAccess}
        reachable={reachable}
        sends={sends}
        canSeal={
          files.length > 0 &&
          (chosen.length > 0 || partner !== null) &&
          passphraseProblem === null &&
          (!unverified || draft.confirmUnverified)
        }
        confirming={draft.confirming}
        onConfirming={(confirming) => dispatch({ type: 'confirming', confirming })}
        onSeal={() => void seal()}
        onCancel={(running) => void call('jobs.cancel', { jobId: running }).catch(fail)}
      />
    </section>
  );
}
