/** Small text formatters for CLI output. */
import type { ContactRecord } from '../contacts/contact-record.js';
import type { ContactCard } from '../identity/contact-card.js';
import { groupDigits } from '../identity/fingerprint.js';
import { contactView, personView } from '../services/views.js';
import { forTerminal } from './terminal-text.js';

export { formatBytes } from '../texts/sizes.js';

/** The same public views the app shows, so CLI --json and the app agree. */
export function cardJson(card: ContactCard) {
  return personView(card);
}

export function contactJson(contact: ContactRecord) {
  return { ...contactView(contact), verifiedBy: contact.verifiedBy };
}

/** A card's identity in one line, every field made safe for the terminal. */
export function describeCard(card: ContactCard): string {
  const { name, role, organisation, email } = card.profile;
  return forTerminal(`${name}${role ? `, ${role}` : ''}, ${organisation} <${email}>`);
}

export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 16);
}

export { groupDigits };

/** The first date format in a process loads ICU's time zone data (about 20 ms): done while an unlock waits. */
export function warmUpLocalTime(): void {
  formatLocalTime(new Date(0).toISOString());
}

/** A time in the reader's local time with its zone (stored times are UTC). */
export function formatLocalTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return forTerminal(iso);
  return date.toLocaleString('en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}
