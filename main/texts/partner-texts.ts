/**
 * The words for a partner organisation's directory state (services/partner-organisations.ts):
 * one table for `medseal org partner list` and Settings → Partner organisations, so both say
 * the same thing about the same state; the words of a last fetch's problem, by its code; and the
 * fork alarm's detail. Plain data, no imports: the renderer bundles it as it is.
 */
export type PartnerStatusText = 'never' | 'fresh' | 'stale' | 'expired' | 'fork';

/** A short label: the app's badge. */
export const PARTNER_STATUS_LABEL: Record<PartnerStatusText, string> = {
  never: 'Not fetched yet',
  fresh: 'Fresh',
  stale: 'Stale',
  expired: 'Expired',
  fork: 'Fork alarm',
};

/** What the state means for the people it vouches for (the CLI's list prints this after the name). */
export const PARTNER_STATUS_TEXT: Record<PartnerStatusText, string> = {
  never: 'not fetched yet: vouches for nobody',
  fresh: 'fresh',
  stale: 'stale (the last fetch failed or is old; still valid)',
  expired: 'expired: vouches for nobody until a fresh directory is fetched',
  fork: 'FORK ALARM: two different histories were seen; vouches for nobody',
};

/** The app's sentence for each state, beside the label. */
export const PARTNER_STATUS_EXPLANATION: Record<PartnerStatusText, string> = {
  never: 'MedSeal has not fetched its directory yet: it vouches for nobody.',
  fresh: 'Its directory was fetched and checked within the last day.',
  stale: 'The last fetch failed or is more than a day old; the directory MedSeal holds is still valid.',
  expired: 'Its directory expired: it vouches for nobody until a fresh one is fetched.',
  fork: 'Its directory key signed two different histories: it vouches for nobody until IT has resolved this with the partner.',
};

/** Where partners come from, said in the app's read-only list. */
export const PARTNERS_ADDED_BY_IT = 'IT adds partner organisations with medseal org partner add.';

/** A last fetch's problem (an error code the service kept) in words; the code itself for one not listed. */
export function partnerProblemText(code: string): string {
  switch (code) {
    case 'DIRECTORY_SOURCE_UNREACHABLE':
      return 'Its directory could not be fetched: the server or folder could not be reached.';
    case 'DIRECTORY_EXPIRED':
      return 'The directory offered had expired.';
    case 'DIRECTORY_ROLLED_BACK':
      return 'An older directory was offered and refused (it may have been put back to undo a revocation).';
    case 'DIRECTORY_FORKED':
      return 'A directory with another history was offered: a fork alarm.';
    case 'DIRECTORY_REFUSED':
      return 'The directory offered was not valid (damaged, or not signed by the partner’s key) and was refused.';
    default:
      return `The last fetch failed (${code}).`;
  }
}

/**
 * The fork alarm's detail from the service's "seq:hash/seq:hash" (held, then offered): both heads,
 * the hashes shortened as people compare them on the phone.
 */
export function forkAlarmText(alarm: string): string {
  const [held, offered] = alarm.split('/').map((head) => {
    const [seq, hash] = head.split(':');
    return `change ${seq ?? '?'} (${(hash ?? '').slice(0, 16)}…)`;
  });
  return `MedSeal holds ${held ?? '?'}; it was offered ${offered ?? '?'}, a history that does not extend it.`;
}
