/**
 * Contacts that could be mistaken for one another when picking a recipient
 * (mis-addressing is the breach regulators see most): the same person's
 * name at another organisation or e-mail, or e-mail addresses a slip of the
 * finger apart (one or two characters, or the same name at another
 * domain). Edit distance by the maintained fastest-levenshtein.
 */
import { distance } from 'fastest-levenshtein';
import type { ContactRecord } from './contact-record.js';

export type LookAlikeReason = 'same-name' | 'similar-email';

export interface LookAlike {
  readonly contact: ContactRecord;
  readonly reason: LookAlikeReason;
}

const TITLES = /^(dr|prof|professor|mr|mrs|ms|miss|mx|sir|dame)\.?\s+/;

/** A name as people would read it aloud: accents, case, titles and punctuation ignored. */
function spokenName(name: string): string {
  let text = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  while (TITLES.test(text)) text = text.replace(TITLES, '');
  return text;
}

function lookAlikeReason(a: ContactRecord, b: ContactRecord): LookAlikeReason | null {
  const emailA = a.card.profile.email;
  const emailB = b.card.profile.email;
  if (spokenName(a.card.profile.name) === spokenName(b.card.profile.name)) return 'same-name';
  const [localA, domainA] = emailA.split('@');
  const [localB, domainB] = emailB.split('@');
  if (localA === localB && domainA !== domainB) return 'similar-email';
  if (distance(emailA, emailB) <= 2) return 'similar-email';
  return null;
}

/** The other contacts that `contact` could be mistaken for. */
export function lookAlikesOf(contact: ContactRecord, everyone: readonly ContactRecord[]): LookAlike[] {
  const found: LookAlike[] = [];
  for (const other of everyone) {
    if (other.fingerprint === contact.fingerprint) continue;
    const reason = lookAlikeReason(contact, other);
    if (reason) found.push({ contact: other, reason });
  }
  return found;
}
