/** A contact's or sender's trust state, in words and colour (never colour alone); the words are the CLI's too. */
import { trustLabel, type TrustKindText } from '../../../main/texts/trust-texts.js';

/** `vouchedBy`: the partner organisation, for a partner's clinician ("Vouched for by City Clinic …"). */
export function TrustBadge({ state, vouchedBy = null }: { state: TrustKindText; vouchedBy?: string | null }) {
  return <span className={`badge badge-${state}`}>{trustLabel(state, vouchedBy)}</span>;
}
