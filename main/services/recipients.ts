/**
 * Who a package may be sealed for: the one rule, for the app and the CLI.
 * A contact whose keys changed is always refused; an unverified one unless
 * the sender confirmed it and neither the policy nor the caller demands
 * verified recipients; the organisation's allowed e-mail domains apply; and
 * under policy `requirePostQuantum` a card without an X-Wing key is refused
 * (otherwise the package is sealed in format version 1, and the front ends
 * say which recipients make it so: see `classicalOnly`).
 */
import type { ContactRecord } from '../contacts/contact-record.js';
import { PostQuantumRequired, RecipientKeyChanged, RecipientUnverified } from '../contacts/errors.js';
import type { ContactBook } from '../contacts/contact-book.js';
import type { PolicyGate } from './policy-gate.js';
import { contactLabel } from '../texts/contact-texts.js';

export interface RecipientRequest {
  /** E-mail addresses or fingerprint prefixes, in the order the sender gave them. */
  readonly recipients: readonly string[];
  /** The sender accepted unverified recipients (the app's tick box; the CLI warns instead). */
  readonly confirmUnverified: boolean;
  /** Refuse unverified recipients even when confirmed (the CLI's --require-verified). */
  readonly requireVerified?: boolean;
}

export function isVerifiedState(state: ContactRecord['state']): boolean {
  return state === 'verified' || state === 'org-verified';
}

/**
 * Whether a recipient needs no confirmation as unverified: verified, vetted by the organisation, or
 * vouched for by a partner organisation; the last not where verified recipients are required and
 * the policy does not accept a partner's vouching for that (`acceptPartnerVouching` false).
 */
export function countsAsVerified(
  state: ContactRecord['state'],
  policy: { readonly acceptPartnerVouching: boolean },
  requireVerified: boolean,
): boolean {
  if (state === 'partner-vouched') return !requireVerified || policy.acceptPartnerVouching;
  return isVerifiedState(state);
}

export async function resolveRecipients(
  contacts: ContactBook,
  policy: PolicyGate,
  request: RecipientRequest,
): Promise<ContactRecord[]> {
  const requireVerified = Boolean(request.requireVerified) || policy.effective.requireVerifiedRecipients;
  const resolved: ContactRecord[] = [];
  const find = await contacts.finder();
  for (const query of request.recipients) {
    const contact = find(query);
    const who = contactLabel(contact.card.profile);
    if (contact.state === 'key-changed') throw new RecipientKeyChanged(who);
    const verified = countsAsVerified(contact.state, policy.effective, requireVerified);
    if (!verified && (requireVerified || !request.confirmUnverified)) throw new RecipientUnverified(who);
    if (!contact.card.pqKey && policy.effective.requirePostQuantum) throw new PostQuantumRequired(who);
    resolved.push(contact);
  }
  policy.checkRecipientDomains(
    resolved.map((contact) => ({ email: contact.card.profile.email, who: contactLabel(contact.card.profile) })),
  );
  return resolved;
}

/**
 * The recipients whose cards have no post-quantum key. When there is any, the package is sealed
 * in format version 1 (for everyone: docs/FORMAT.md §2.11) and protected against today's
 * computers only; the app and the CLI say so, naming them.
 */
export function classicalOnly(recipients: readonly ContactRecord[]): ContactRecord[] {
  return recipients.filter((contact) => !contact.card.pqKey);
}
