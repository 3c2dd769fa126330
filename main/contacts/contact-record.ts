/**
 * A contact as the app remembers it: their current card, how far they are
 * trusted, and the keys they had before. Trust states (docs/SECURITY.md, "Assets"):
 *   unverified  – imported, safety number not yet compared
 *   verified    – safety number compared and matched
 *   key-changed – a new card arrived for the same e-mail with other keys;
 *                 sending is blocked until it is verified again
 */
import type { ContactCard } from '../identity/contact-card.js';

/**
 * Stored states, plus two computed, never stored: 'org-verified', a card from the organisation's
 * own directory, and 'partner-vouched', a card a partner organisation's directory vouches for
 * (`vouchedBy` names the partner).
 */
export type ContactState = 'unverified' | 'verified' | 'key-changed' | 'org-verified' | 'partner-vouched';

export interface PreviousKey {
  readonly fingerprint: string;
  readonly card: ContactCard;
  readonly replacedAt: string;
}

export interface ContactRecord {
  readonly card: ContactCard;
  readonly fingerprint: string;
  readonly state: ContactState;
  readonly verifiedAt: string | null;
  readonly verifiedBy: 'safety-number' | null;
  readonly addedAt: string;
  readonly previousKeys: readonly PreviousKey[];
  /** For 'partner-vouched': the partner organisation's name as IT added it. */
  readonly vouchedBy?: string;
}

/**
 * 'identity-changed': a newer card with the same keys but another name, organisation or role. The
 * contact is no longer verified: a safety number vouches for keys together with the identity they
 * were compared under, never for a name chosen later (issue 26, item 4).
 */
export type ImportOutcome = 'added' | 'unchanged' | 'updated' | 'identity-changed' | 'key-changed';

/** How a package's sender relates to the contact list. */
export type SenderTrust =
  | { readonly kind: 'verified'; readonly contact: ContactRecord }
  | { readonly kind: 'org-verified'; readonly contact: ContactRecord }
  | { readonly kind: 'partner-vouched'; readonly contact: ContactRecord }
  | { readonly kind: 'unverified'; readonly contact: ContactRecord }
  | { readonly kind: 'key-changed'; readonly contact: ContactRecord }
  /** Same e-mail as a contact, different keys: possible impersonation. */
  | { readonly kind: 'key-mismatch'; readonly contact: ContactRecord }
  /**
   * Known keys, but the package's card claims another identity (name, organisation, role or
   * e-mail differ from the contact book's card, or the e-mail is another contact's): a known
   * person presenting as someone else. `claimed` is the package's card, shown beside the contact.
   */
  | { readonly kind: 'identity-mismatch'; readonly contact: ContactRecord; readonly claimed: ContactCard }
  | { readonly kind: 'unknown' };
