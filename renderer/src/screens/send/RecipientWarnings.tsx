/**
 * What the reader must know about the recipients chosen before sealing: look-alike contacts,
 * recipients whose keys are not post-quantum, and those never verified, whom the reader sends
 * to only by ticking that they know.
 */
import type { AnswerOf, Contact } from '../../api.js';
import { Notice } from '../../components/Notice.js';
import { LookAlikeNotices } from '../../components/RecipientCheck.js';
import { classicalOnlyText } from '../../../../main/texts/protection-texts.js';

export function RecipientWarnings(props: {
  chosen: readonly Contact[];
  cautions: AnswerOf<'seal.cautions'> | null;
  confirmUnverified: boolean;
  onConfirmUnverified: (confirmed: boolean) => void;
}) {
  const { chosen, cautions } = props;
  const classical = chosen.filter((contact) => !contact.postQuantum);
  const unverified = chosen.filter((contact) => contact.state === 'unverified');
  return (
    <>
      {cautions && <LookAlikeNotices chosen={chosen} cautions={cautions} />}
      {classical.length > 0 && (
        <Notice kind="warning">
          {classicalOnlyText(classical.map((contact) => `${contact.name} (${contact.organisation})`))}
        </Notice>
      )}
      {unverified.length > 0 && (
        <label className="checkbox warning">
          <input
            type="checkbox"
            checked={props.confirmUnverified}
            onChange={(event) => props.onConfirmUnverified(event.target.checked)}
          />
          I have not compared safety numbers with {unverified.map((contact) => contact.name).join(', ')}, and I still
          want to send.
        </label>
      )}
    </>
  );
}
