/** A contact's or sender's trust state, in words and colour (never colour alone). */
const TEXT: Record<string, string> = {
  verified: 'Verified',
  'org-verified': 'Verified by your organisation',
  unverified: 'Not verified',
  'key-changed': 'Keys changed — verify again',
  'key-mismatch': 'Warning: not the keys you know for this person',
  unknown: 'Unknown sender',
};

export function TrustBadge({ state }: { state: string }) {
  return <span className={`badge badge-${state}`}>{TEXT[state] ?? state}</span>;
}
