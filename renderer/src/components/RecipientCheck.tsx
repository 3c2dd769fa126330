/**
 * Wrong-recipient safeguards on Send: a look-alike contact is flagged as
 * soon as it is picked, and before sealing the recipients are shown once
 * more, by name, organisation and e-mail, with a first package to someone
 * marked, for an explicit confirmation.
 */
import type { AnswerOf, Contact } from '../api.js';
import { Notice } from './Notice.js';
import { emergencyAccessText, type EmergencyAccessView } from '../../../main/texts/protection-texts.js';

type Caution = AnswerOf<'seal.cautions'>[number];

export function LookAlikeNotices({ chosen, cautions }: { chosen: readonly Contact[]; cautions: readonly Caution[] }) {
  return (
    <>
      {cautions.flatMap((caution) => {
        const contact = chosen.find((candidate) => candidate.fingerprint === caution.fingerprint);
        if (!contact) return [];
        return caution.lookAlikes.map((alike) => (
          <Notice key={`${caution.fingerprint}-${alike.email}`} kind="warning">
            {contact.name} ({contact.organisation}, {contact.email}){' '}
            {alike.reason === 'same-name' ? 'has the same name as' : 'has an e-mail address close to that of'} your
            contact {alike.name} ({alike.organisation}, {alike.email}). Check you chose the right one.
          </Notice>
        ));
      })}
    </>
  );
}

export function RecipientConfirmation(props: {
  chosen: readonly Contact[];
  /** A partner without MedSeal: named too, and what opens it for them said. */
  partner?: { name: string; email: string } | null;
  cautions: readonly Caution[] | null;
  /** The organisation recovery key the policy adds: it can open the package too, and the clinician is told so. */
  emergencyAccess: EmergencyAccessView | null;
  onConfirm: () => void;
  onBack: () => void;
}) {
  const count = props.chosen.length + (props.partner ? 1 : 0);
  const first = (contact: Contact) =>
    props.cautions?.find((caution) => caution.fingerprint === contact.fingerprint)?.firstPackage ?? false;
  return (
    <section className="confirm" aria-labelledby="confirm-title">
      <h3 id="confirm-title" tabIndex={-1} ref={(heading) => heading?.focus()}>
        Check the recipients
      </h3>
      <p>
        {props.emergencyAccess
          ? 'These people will be able to open the package:'
          : 'Only these people will be able to open the package:'}
      </p>
      <ul aria-label="Recipients to confirm">
        {props.chosen.map((contact) => (
          <li key={contact.fingerprint}>
            <strong>{contact.name}</strong>, {contact.organisation} &lt;{contact.email}&gt;
            {first(contact) && <span className="badge badge-unverified">First package to them</span>}
          </li>
        ))}
        {props.partner && (
          <li>
            <strong>{props.partner.name}</strong> &lt;{props.partner.email}&gt;, and whoever has the package and its
            passphrase <span className="badge badge-unverified">No MedSeal: passphrase</span>
          </li>
        )}
      </ul>
      {props.emergencyAccess && <p className="emergency-access">{emergencyAccessText(props.emergencyAccess)}</p>}
      <div className="row">
        <button type="button" onClick={props.onConfirm}>
          Seal for {count === 1 ? 'this recipient' : `these ${count} recipients`}
        </button>
        <button type="button" className="secondary" onClick={props.onBack}>
          Change recipients
        </button>
      </div>
    </section>
  );
}
