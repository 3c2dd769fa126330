/**
 * The contact list's filter and orders: by name, by organisation, or those needing attention
 * first (a changed key blocks sending, then those never verified).
 */
import type { Contact } from '../../api.js';

export type SortKey = 'name' | 'organisation' | 'state';

/** Contacts needing attention first: changed keys block sending, then those never verified. */
const STATE_ORDER: Record<Contact['state'], number> = {
  'key-changed': 0,
  unverified: 1,
  'org-verified': 2,
  'partner-vouched': 2,
  verified: 3,
};

export function sortedContacts(contacts: readonly Contact[], filter: string, sortBy: SortKey): Contact[] {
  const needle = filter.trim().toLowerCase();
  const byName = (a: Contact, b: Contact) => a.name.localeCompare(b.name);
  const order: Record<SortKey, (a: Contact, b: Contact) => number> = {
    name: byName,
    organisation: (a, b) => a.organisation.localeCompare(b.organisation) || byName(a, b),
    state: (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || byName(a, b),
  };
  return contacts
    .filter(
      (contact) => !needle || `${contact.name} ${contact.organisation} ${contact.email}`.toLowerCase().includes(needle),
    )
    .sort(order[sortBy]);
}
