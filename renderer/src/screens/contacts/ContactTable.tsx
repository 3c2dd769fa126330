/**
 * The contact book as a table: each contact's name, e-mail, organisation, trust and protection,
 * and the way to verify them; found by a filter, sorted three ways, counted, with the import
 * and invitation forms one click away however long the list.
 */
import type { Contact } from '../../api.js';
import { TrustBadge } from '../../components/TrustBadge.js';
import { CLASSICAL_ONLY_LABEL, POST_QUANTUM_READY_LABEL } from '../../../../main/texts/protection-texts.js';
import { counted } from '../../../../main/texts/counts.js';
import { sortedContacts, type SortKey } from './contactOrder.js';

export function ContactTable(props: {
  contacts: readonly Contact[] | null;
  filter: string;
  sortBy: SortKey;
  onFilter: (filter: string) => void;
  onSort: (sortBy: SortKey) => void;
  onImportCard: () => void;
  onInvite: () => void;
  onVerify: (contact: Contact) => void;
}) {
  const { contacts } = props;
  if (contacts === null) return <p className="muted">Loading…</p>;
  if (contacts.length === 0)
    return <p className="empty">No contacts yet. Invite a partner by e-mail, or import a partner's card, below.</p>;
  const shown = sortedContacts(contacts, props.filter, props.sortBy);
  return (
    <>
      <div className="row contact-tools">
        <div>
          <label htmlFor="contact-filter">Find a contact</label>
          <input
            id="contact-filter"
            type="search"
            placeholder="Name, organisation or e-mail"
            value={props.filter}
            onChange={(event) => props.onFilter(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="contact-sort">Sort by</label>
          <select
            id="contact-sort"
            value={props.sortBy}
            onChange={(event) => props.onSort(event.target.value as SortKey)}
          >
            <option value="name">Name</option>
            <option value="organisation">Organisation</option>
            <option value="state">State (needing attention first)</option>
          </select>
        </div>
        <button type="button" className="secondary" onClick={props.onInvite}>
          Invite a partner
        </button>
        <button type="button" className="secondary" onClick={props.onImportCard}>
          Import a card
        </button>
      </div>
      <p className="muted" aria-live="polite">
        {shown.length === contacts.length
          ? counted('contact', contacts.length)
          : counted('contact-match', shown.length, { total: contacts.length })}
      </p>
      <div
        className="scroll-x"
        tabIndex={0}
        role="region"
        aria-label="Your contacts (scrolls sideways on a narrow window)"
      >
        <table className="contacts compact">
          <caption className="visually-hidden">Your contacts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Organisation</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((contact) => (
              <tr key={contact.fingerprint}>
                <td className="truncate" title={contact.email}>
                  {contact.name}
                  <br />
                  <span className="muted">{contact.email}</span>
                </td>
                <td className="truncate">{contact.organisation}</td>
                <td>
                  <TrustBadge state={contact.state} vouchedBy={contact.vouchedBy} />
                  <br />
                  <span className="muted">{contact.postQuantum ? POST_QUANTUM_READY_LABEL : CLASSICAL_ONLY_LABEL}</span>
                </td>
                <td>
                  <button type="button" className="secondary" onClick={() => props.onVerify(contact)}>
                    {contact.state === 'verified' ? 'Safety number' : `Verify ${contact.name}`}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
