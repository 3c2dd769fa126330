/**
 * Who sent the package, first: name, role, organisation and e-mail with the trust main
 * computed (none at all once the package proved changed: nothing in it is the sender's), the
 * warning that goes with that trust, and adding an unknown sender to the contacts.
 */
import { Notice } from '../../components/Notice.js';
import { TrustBadge } from '../../components/TrustBadge.js';
import { identityMismatchText, SENDER_WARNING } from '../../../../main/texts/trust-texts.js';
import type { Preview } from './receiveState.js';

export function SenderDetails(props: {
  sender: Preview['sender'];
  /** Saving found the package changed after it was sealed. */
  tampered: boolean;
  senderAdded: string | null;
  lookAlikeRefused: boolean;
  onAddSender: (acceptLookAlike: boolean) => void;
}) {
  const { sender, tampered } = props;
  const warning = SENDER_WARNING[sender.verdict];
  return (
    <>
      <h3>From</h3>
      <p className="sender">
        <strong>{sender.name}</strong>, {sender.role ? `${sender.role}, ` : ''}
        {sender.organisation} &lt;{sender.email}&gt;{' '}
        {tampered ? (
          <span className="badge badge-alarm">Not trusted: the package was changed</span>
        ) : (
          <TrustBadge state={sender.trust} vouchedBy={sender.vouchedBy} />
        )}
      </p>
      {sender.trust === 'unknown' && !tampered && (
        <p>
          <button type="button" className="secondary" onClick={() => props.onAddSender(false)}>
            Add {sender.name} to contacts (not verified)
          </button>
          {props.lookAlikeRefused && (
            <button type="button" className="secondary" onClick={() => props.onAddSender(true)}>
              I checked by phone that {sender.email} is someone else: add them anyway (not verified)
            </button>
          )}
        </p>
      )}
      {props.senderAdded && (
        <Notice kind="success" focus>
          {`${props.senderAdded} was added to your contacts, not verified. Compare safety numbers with them under Contacts before you trust their packages.`}
        </Notice>
      )}
      {warning && (
        <Notice kind={sender.verdict === 'alarm' ? 'error' : 'warning'}>
          {warning}
          {sender.claimed && (
            <>
              {' '}
              {identityMismatchText(
                `${sender.name} <${sender.email}>`,
                `${sender.claimed.name}, ${sender.claimed.organisation} <${sender.claimed.email}>`,
              )}
            </>
          )}
        </Notice>
      )}
    </>
  );
}
