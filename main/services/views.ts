/** What the renderer is shown of cards and contacts: public data only. */
import type { ImportResult } from '../contacts/contact-book.js';
import type { ContactRecord, SenderTrust } from '../contacts/contact-record.js';
import type { LookAlike } from '../contacts/look-alike.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex, safetyDigitsFor } from '../identity/fingerprint.js';
import type { NamedRecipientStatus } from './delivery/recipient-status.js';
import type { PackageSummary } from '../store/package-history.js';

export function personView(card: ContactCard) {
  return {
    ...card.profile,
    fingerprint: fingerprintHex(card.fingerprint),
    safetyDigits: safetyDigitsFor(card.signingKey, card.encryptionKey),
    createdAt: card.createdAt,
    postQuantum: card.pqKey !== null,
  };
}

export function contactView(contact: ContactRecord) {
  return {
    ...personView(contact.card),
    state: contact.state,
    vouchedBy: contact.vouchedBy ?? null,
    verifiedAt: contact.verifiedAt,
    addedAt: contact.addedAt,
    previousFingerprints: contact.previousKeys.map((previous) => previous.fingerprint),
  };
}

/** The partner organisation vouching for a package's sender ('partner-vouched'), else null. */
export function vouchedByOf(trust: SenderTrust): string | null {
  return trust.kind === 'partner-vouched' ? (trust.contact.vouchedBy ?? null) : null;
}

/** A contact someone could be mistaken for, and why (contacts/look-alike.ts). */
export function lookAlikeView({ contact, reason }: LookAlike) {
  return {
    name: contact.card.profile.name,
    organisation: contact.card.profile.organisation,
    email: contact.card.profile.email,
    reason,
  };
}

/**
 * What importing a card did (a file, pasted text, or a card that came by e-mail): the outcome, the
 * contact now, the card before a change of details, what to warn about, and the safety number to
 * compare with the person.
 */
export function importView(result: ImportResult, safetyNumber: string) {
  return {
    outcome: result.outcome,
    contact: contactView(result.contact),
    previous: result.previous ? personView(result.previous) : null,
    lookAlikes: result.lookAlikes.map(lookAlikeView),
    mixedScriptEmail: result.mixedScriptEmail,
    safetyNumber,
  };
}

/**
 * A history entry for the screens; `deliveries` from services/delivery/recipient-status.ts (sent
 * packages only), `thread` from services/threads.ts (the thread it is in, when it is in one).
 * Hashes stay in main: the package's own and the one it answers.
 */
export function historyView(
  summary: PackageSummary,
  deliveries: readonly NamedRecipientStatus[] = [],
  thread: { readonly rootId: number; readonly size: number } | null = null,
) {
  const { packageHash: _hash, replyTo: _answered, ...view } = summary;
  return {
    ...view,
    thread: thread && { rootId: thread.rootId, size: thread.size },
    recipients: [...view.recipients],
    deliveries: deliveries.map((entry) => ({ ...entry })),
    files: view.files.map((file) => ({ name: file.name, size: file.size })),
    passphraseRecipient: view.passphraseRecipient && { ...view.passphraseRecipient },
  };
}
