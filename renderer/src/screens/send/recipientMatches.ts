/**
 * Which contacts the recipient search offers: those matching what is typed (a few shown, the
 * rest counted), or before anything is typed the partners most recently sent to; never one
 * already chosen. Pure, so the picker only shows the answer.
 */
import type { Contact } from '../../api.js';

/** Type-ahead suggestions shown at once; more matches are counted, not listed. */
const MATCHES_SHOWN = 8;
/** Before anything is typed: the partners most recently sent to, newest first. */
const RECENT_SHOWN = 5;

export interface RecipientMatches {
  /** Something is typed: the list is of matches, not of recent partners. */
  readonly typed: boolean;
  readonly shown: readonly Contact[];
  /** How many contacts match what is typed, shown or not. */
  readonly matching: number;
}

export function recipientMatches(
  contacts: readonly Contact[] | null,
  chosen: readonly Contact[],
  query: string,
  /** Fingerprints of the people most recently sent to, newest first. */
  recent: readonly string[],
): RecipientMatches {
  const needle = query.trim().toLowerCase();
  const open = (contact: Contact) => !chosen.some((picked) => picked.fingerprint === contact.fingerprint);
  if (needle) {
    const all = (contacts ?? []).filter(
      (contact) =>
        open(contact) && `${contact.name} ${contact.organisation} ${contact.email}`.toLowerCase().includes(needle),
    );
    return { typed: true, shown: all.slice(0, MATCHES_SHOWN), matching: all.length };
  }
  const byFingerprint = new Map((contacts ?? []).map((contact) => [contact.fingerprint, contact]));
  const recentContacts = recent.flatMap((fingerprint) => byFingerprint.get(fingerprint) ?? []).filter(open);
  return { typed: false, shown: recentContacts.slice(0, RECENT_SHOWN), matching: 0 };
}
