/**
 * What Contacts tells the reader after an import or a verification: a card added, already there
 * or newer, or that the keys or the person's details changed, with what the import found to
 * warn about (the details before and now, an address in mixed alphabets, look-alike contacts);
 * or that a contact is verified. Pure: ContactNotice shows it.
 */
import type { AnswerOf } from '../../api.js';
import {
  IMPORT_OUTCOME_TEXT,
  lookAlikeText,
  MIXED_SCRIPT_EMAIL_TEXT,
  revealedEmail,
} from '../../../../main/texts/contact-texts.js';

type Imported = AnswerOf<'contacts.importText'>;

export interface ContactMessage {
  readonly kind: 'success' | 'warning';
  readonly text: string;
  readonly details: readonly string[];
}

const described = (person: { name: string; role?: string; organisation: string; email: string }) =>
  `${person.name}${person.role ? `, ${person.role}` : ''}, ${person.organisation} <${person.email}>`;

/** What an import found to warn about: the details before and now, an address in mixed alphabets, the look-alikes. */
function importWarnings(result: Imported): string[] {
  const lines: string[] = [];
  if (result.outcome === 'identity-changed' && result.previous)
    lines.push(`Before: ${described(result.previous)}`, `Now: ${described(result.contact)}`);
  if (result.mixedScriptEmail)
    lines.push(`${MIXED_SCRIPT_EMAIL_TEXT} The address, letter by letter: ${revealedEmail(result.contact.email)}`);
  for (const alike of result.lookAlikes)
    lines.push(lookAlikeText(described(result.contact), alike.reason, described(alike)));
  return lines;
}

export function importMessage(result: Imported): ContactMessage {
  const details = importWarnings(result);
  if (result.outcome === 'key-changed')
    return {
      kind: 'warning',
      text: `${result.contact.name}'s keys have changed. Sending to them is blocked until you verify again.`,
      details,
    };
  if (result.outcome === 'identity-changed')
    return { kind: 'warning', text: IMPORT_OUTCOME_TEXT['identity-changed'], details };
  const what =
    result.outcome === 'unchanged'
      ? 'was already in your contacts'
      : result.outcome === 'updated'
        ? 'has a newer card'
        : 'was added';
  return {
    kind: details.length > 0 ? 'warning' : 'success',
    text: `${result.contact.name} ${what}. Now compare safety numbers with them.`,
    details,
  };
}

export function verifiedMessage(name: string): ContactMessage {
  return { kind: 'success', text: `${name} is verified.`, details: [] };
}
