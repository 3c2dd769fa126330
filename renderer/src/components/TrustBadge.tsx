/** A contact's or sender's trust state, in words and colour (never colour alone); the words are the CLI's too. */
import { TRUST_LABEL, type TrustKindText } from '../../../main/texts/trust-texts.js';

export function TrustBadge({ state }: { state: TrustKindText }) {
  return <span className={`badge badge-${state}`}>{TRUST_LABEL[state]}</span>;
}
