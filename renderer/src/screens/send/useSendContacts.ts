/**
 * The contacts Send offers, read again each time the tab is shown (contacts may have been added
 * or verified meanwhile, and a contact whose key changed must never be offered in an older
 * state), with the partners most recently sent to, for the search to offer first.
 */
import { useEffect, useState } from 'react';
import { call, type Contact } from '../../api.js';

export function useSendContacts(active: boolean, fail: (caught: unknown) => void) {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  /** Fingerprints of the people most recently sent to, newest first. */
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => {
    if (!active) return;
    setContacts(null);
    call('contacts.list', {}).then(setContacts, fail);
    call('history.recent', { limit: 50 }).then(
      (items) =>
        setRecent([...new Set(items.filter((item) => item.direction === 'sent').flatMap((item) => item.recipients))]),
      (caught: unknown) => {
        setRecent([]);
        fail(caught);
      },
    );
  }, [active, fail]);
  return { contacts, recent };
}
