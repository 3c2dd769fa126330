/**
 * What the sender should look at twice before sealing, once for the app and
 * the CLI: a recipient they have never sent to, and a recipient who could
 * be mistaken for another contact (contacts/look-alike.ts). The app asks
 * for a confirmation naming them; the CLI prints them before sealing.
 */
import type { ContactRecord } from '../contacts/contact-record.js';
import { lookAlikesOf, type LookAlikeReason } from '../contacts/look-alike.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';

export interface RecipientCaution {
  readonly recipient: ContactRecord;
  /** No package was ever sealed for them from this profile. */
  readonly firstPackage: boolean;
  readonly lookAlikes: readonly { readonly contact: ContactRecord; readonly reason: LookAlikeReason }[];
}

export async function recipientCautions(
  profile: UnlockedProfile,
  recipients: readonly ContactRecord[],
): Promise<RecipientCaution[]> {
  const everyone = await profile.contacts.list();
  const sent = profile.history.sentTo(recipients.map((recipient) => recipient.fingerprint));
  return recipients.map((recipient) => ({
    recipient,
    firstPackage: !sent.has(recipient.fingerprint),
    lookAlikes: lookAlikesOf(recipient, everyone),
  }));
}

/** One line per caution, in plain words (the CLI prints these; the app has its own layout). */
export function cautionLines(cautions: readonly RecipientCaution[]): string[] {
  const who = (contact: ContactRecord) =>
    `${contact.card.profile.name}, ${contact.card.profile.organisation} (${contact.card.profile.email})`;
  const lines: string[] = [];
  for (const caution of cautions) {
    if (caution.firstPackage) lines.push(`First package to ${who(caution.recipient)}: check this is the right person.`);
    for (const alike of caution.lookAlikes) {
      lines.push(
        `${who(caution.recipient)} ${alike.reason === 'same-name' ? 'has the same name as' : 'has an e-mail address close to that of'} your contact ${who(alike.contact)}: check you chose the right one.`,
      );
    }
  }
  return lines;
}
