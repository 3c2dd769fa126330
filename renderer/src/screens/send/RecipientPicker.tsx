/**
 * Choosing recipients on Send: a type-ahead over the contacts (with their trust; a contact whose
 * key changed cannot be picked), the partners most recently sent to before anything is typed,
 * and the recipients chosen so far, each removable.
 */
import { useMemo, useRef } from 'react';
import type { Contact } from '../../api.js';
import { TrustBadge } from '../../components/TrustBadge.js';
import { recipientMatches } from './recipientMatches.js';

export function RecipientPicker(props: {
  contacts: readonly Contact[] | null;
  recent: readonly string[];
  chosen: readonly Contact[];
  query: string;
  onQuery: (query: string) => void;
  onChoose: (contact: Contact) => void;
  onUnchoose: (contact: Contact) => void;
}) {
  const { contacts, recent, chosen, query } = props;
  const { typed, shown, matching } = useMemo(
    () => recipientMatches(contacts, chosen, query, recent),
    [contacts, chosen, query, recent],
  );
  const search = useRef<HTMLInputElement>(null);
  return (
    <>
      <label htmlFor="recipient-search">Recipients</label>
      <input
        id="recipient-search"
        ref={search}
        type="search"
        placeholder="Type a name, organisation or e-mail"
        value={query}
        onChange={(event) => props.onQuery(event.target.value)}
        aria-controls="recipient-matches"
      />
      {contacts === null ? (
        <p className="muted">Loading contacts…</p>
      ) : contacts.length === 0 ? (
        <p className="empty">No contacts yet: import a partner's card under Contacts.</p>
      ) : null}
      {!typed && shown.length > 0 && (
        <p className="muted" aria-hidden="true">
          Recently sent to:
        </p>
      )}
      <ul id="recipient-matches" className="matches" aria-label={typed ? 'Matching contacts' : 'Recently sent to'}>
        {shown.map((contact) => (
          <li key={contact.fingerprint}>
            <button
              type="button"
              disabled={contact.state === 'key-changed'}
              onClick={() => {
                props.onChoose(contact);
                search.current?.focus(); // the picked button is gone: on to the next recipient
              }}
            >
              {contact.name}, {contact.organisation} &lt;{contact.email}&gt;
            </button>{' '}
            <TrustBadge state={contact.state} vouchedBy={contact.vouchedBy} />
          </li>
        ))}
      </ul>
      {matching > shown.length && (
        <p className="muted" aria-live="polite">
          Showing {shown.length} of {matching} matching contacts: type more of the name, organisation or e-mail to
          narrow them down.
        </p>
      )}
      {chosen.length > 0 && (
        <ul className="chosen" aria-label="Chosen recipients">
          {chosen.map((contact) => (
            <li key={contact.fingerprint}>
              {contact.name} <TrustBadge state={contact.state} vouchedBy={contact.vouchedBy} />
              <button
                type="button"
                className="link"
                onClick={() => props.onUnchoose(contact)}
                aria-label={`Remove ${contact.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
