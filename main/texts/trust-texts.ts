/**
 * The words for how a contact or a package's sender is trusted: one table
 * for the CLI and the renderer, so both say the same thing about the same
 * state. Plain data, no imports: the renderer bundles it as it is.
 */
export type TrustKindText =
  | 'verified'
  | 'org-verified'
  | 'partner-vouched'
  | 'unverified'
  | 'key-changed'
  | 'key-mismatch'
  | 'identity-mismatch'
  | 'unknown';
export type VerdictText = 'trusted' | 'confirm' | 'alarm';

/** A short label: badges in the app, the "From:" line of the CLI. */
export const TRUST_LABEL: Record<TrustKindText, string> = {
  verified: 'Verified contact',
  'org-verified': 'Verified by your organisation',
  'partner-vouched': 'Vouched for by a partner of your organisation',
  unverified: 'Not verified yet',
  'key-changed': 'Keys changed — verify again',
  'key-mismatch': 'Warning: not the keys you know for this person',
  'identity-mismatch': "Warning: a contact's keys, presenting as someone else",
  unknown: 'Unknown sender (not in your contacts)',
};

/** What a reader is told before saving the files of a package, by verdict; nothing for a trusted sender. */
export const SENDER_WARNING: Record<VerdictText, string | null> = {
  trusted: null,
  confirm: 'You have not verified this sender. Compare safety numbers with them before relying on these records.',
  alarm:
    'This package claims to come from one of your contacts but its keys and the identity it shows do not belong together. This may be an impersonation. Do not trust it; check with the sender by phone.',
};

/** The alarm's detail for an identity mismatch: whose keys sealed it, and who the package claims to be. */
export function identityMismatchText(contact: string, claimed: string): string {
  return `Sealed with the keys of your contact ${contact}, but the package claims to be from ${claimed}.`;
}

/** The label for a partner's clinician, naming the partner: "Vouched for by City Clinic (a partner of your organisation)". */
export function vouchedByText(partner: string): string {
  return `Vouched for by ${partner} (a partner of your organisation)`;
}

/** The label for a trust kind, naming the partner where a partner organisation vouches. */
export function trustLabel(kind: TrustKindText, vouchedBy: string | null | undefined = null): string {
  return kind === 'partner-vouched' && vouchedBy ? vouchedByText(vouchedBy) : TRUST_LABEL[kind];
}
