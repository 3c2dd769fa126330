/**
 * Contacts → "Cards received by e-mail": the contact cards waiting in the reader's mailbox (a
 * partner's answer to an invitation, or their own), each as partners' cards are shown (name, role,
 * organisation, e-mail), when it came and whether it is a contact already, with Import; one that
 * cannot be read says why. Only shows: the import and its answer are the screen's.
 */
import { formatDate } from '../../format.js';
import type { ActionFailure } from '../../useAction.js';
import type { CardOffer, CardOffers as Offers } from './useCardOffers.js';

export function CardOffers({
  offers,
  importing,
  onImport,
}: {
  offers: Offers;
  /** An import runs: Import waits for it. */
  importing: boolean;
  onImport: (offer: CardOffer) => void;
}) {
  const { found, problem } = offers;
  return (
    <section aria-labelledby="offers-title">
      <h3 id="offers-title">Cards received by e-mail</h3>
      {problem && <LookFailed problem={problem} />}
      {found === null ? (
        !problem && <p className="muted">Looking at your mailbox…</p>
      ) : !found.mailbox ? (
        <p className="muted">
          Once your mailbox is set up (Settings → Exchanges), the contact cards partners send you by e-mail are listed
          here.
        </p>
      ) : found.offers.length === 0 ? (
        <p className="empty">No contact cards came by e-mail.</p>
      ) : (
        <ul className="file-list" aria-labelledby="offers-title">
          {found.offers.map((offer) => (
            <li key={offer.id}>
              {offer.card ? (
                <span>
                  <strong>{offer.card.name}</strong>
                  {offer.card.role && `, ${offer.card.role}`}, {offer.card.organisation}{' '}
                  <span className="muted">&lt;{offer.card.email}&gt;</span>
                </span>
              ) : (
                <span className="muted">A card that cannot be read: {offer.problem}</span>
              )}{' '}
              <span className="muted">
                arrived {formatDate(offer.arrivedAt)}
                {offer.card &&
                  (offer.known
                    ? ' · already in your contacts'
                    : ' · new: unverified until you compare the safety number')}
              </span>
              {offer.card && (
                <button type="button" className="link" disabled={importing} onClick={() => onImport(offer)}>
                  Import {offer.card.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A look at the mailbox that failed: said where the list would be, without taking the focus. */
function LookFailed({ problem }: { problem: ActionFailure }) {
  return (
    <p className="muted" role="status">
      Your mailbox could not be looked at: {problem.text}
    </p>
  );
}
