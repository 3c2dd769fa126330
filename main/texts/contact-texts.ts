/**
 * The words for what importing a card did and for contacts that could be
 * mistaken for one another: one table for the CLI and the renderer, so a
 * renamed contact or a look-alike is told the same way in both. Plain
 * data, no imports: the renderer bundles it as it is.
 */
export type ImportOutcomeText = 'added' | 'unchanged' | 'updated' | 'identity-changed' | 'key-changed';
export type LookAlikeReasonText = 'same-name' | 'similar-email' | 'mixed-script-email';

/** The first line after an import. */
export const IMPORT_OUTCOME_TEXT: Record<ImportOutcomeText, string> = {
  added: 'Contact added (unverified).',
  unchanged: 'This card was already in your contacts; nothing changed.',
  updated: 'Contact card updated (same keys, same name, organisation and role).',
  'identity-changed':
    "WARNING: this contact's NAME, ORGANISATION OR ROLE CHANGED (same keys and e-mail). They are no longer verified: compare safety numbers with them again, by phone or in person, before you trust the new details.",
  'key-changed':
    'WARNING: this contact now has DIFFERENT KEYS. Sending to them is blocked until you compare safety numbers again.',
};

/** How one contact resembles another, between "X" and "your contact Y". */
export const LOOK_ALIKE_REASON_TEXT: Record<LookAlikeReasonText, string> = {
  'same-name': 'has the same name as',
  'similar-email': 'has an e-mail address close to that of',
  'mixed-script-email': 'has an e-mail address in mixed alphabets that reads like that of',
};

/** One look-alike, in a sentence: `who` and `other` are already described ("name, organisation (e-mail)"). */
export function lookAlikeText(who: string, reason: LookAlikeReasonText, other: string): string {
  return `Warning: ${who} ${LOOK_ALIKE_REASON_TEXT[reason]} your contact ${other}. Make sure this is not someone posing as them.`;
}

/** An address that mixes alphabets or is written in letters that pass for others. */
export const MIXED_SCRIPT_EMAIL_TEXT =
  'Warning: this e-mail address mixes alphabets or uses letters that look like others (for example a Cyrillic "а" for a Latin "a"), as impostors do. Check it with the person by phone.';

/** An address with every character outside ASCII shown by its code point ("<U+0430>lice@…"), so look-alike letters can be seen. */
export function revealedEmail(email: string): string {
  return [...email]
    .map((character) =>
      character > '\u007f' ? `<U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>` : character,
    )
    .join('');
}

/** A contact as errors and warnings name them: "Dr Bob Brown (Partner Lab)"; never a file name. */
export function contactLabel(profile: { readonly name: string; readonly organisation: string }): string {
  return `${profile.name} (${profile.organisation})`;
}
