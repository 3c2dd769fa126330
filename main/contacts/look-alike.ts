/**
 * Contacts that could be mistaken for one another when picking a recipient
 * (mis-addressing is the breach regulators see most) or when a package's
 * sender is added: the same person's name at another organisation or
 * e-mail, e-mail addresses a slip of the finger apart (one or two
 * characters, or the same name at another domain), and e-mail addresses
 * that mix alphabets or use letters passing for Latin ones (a Cyrillic "а"
 * in "аlice@…"), which read the same as a contact's. Edit distance by the
 * maintained fastest-levenshtein.
 */
import { distance } from 'fastest-levenshtein';
import type { ContactRecord } from './contact-record.js';

export type LookAlikeReason = 'same-name' | 'similar-email' | 'mixed-script-email';

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

/**
 * Letters of other alphabets (and a few Latin ones) that print like an ASCII letter in the fonts
 * a mail client or MedSeal uses: a subset of Unicode's confusables, lower case (addresses are
 * compared lower-cased).
 */
const CONFUSABLE: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  с: 'c',
  ԁ: 'd',
  е: 'e',
  һ: 'h',
  н: 'h',
  і: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  т: 't',
  ԝ: 'w',
  х: 'x',
  у: 'y',
  ё: 'e',
  ї: 'i',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
  // Latin letters outside ASCII
  ı: 'i',
  ɑ: 'a',
  ɡ: 'g',
  ȷ: 'j',
  ℓ: 'l',
};

type Script = 'latin' | 'cyrillic' | 'greek' | 'other';

function scriptOf(letter: string): Script {
  if (/\p{Script=Latin}/u.test(letter)) return 'latin';
  if (/\p{Script=Cyrillic}/u.test(letter)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(letter)) return 'greek';
  return 'other';
}

/** One part of an address (the local part, or one label of the domain) that could pass for another. */
function deceptivePart(part: string): boolean {
  // Invisible characters, or characters that Unicode folds into others (fullwidth "ａ", "ℓ").
  if (/\p{Cf}/u.test(part) || part !== part.normalize('NFKC')) return true;
  const letters = [...part.toLowerCase()].filter((character) => /\p{L}/u.test(character));
  const scripts = new Set(letters.map(scriptOf).filter((script) => script !== 'other'));
  if (scripts.size > 1) return true; // Latin mixed with Cyrillic or Greek
  // Letters outside ASCII, each of which passes for an ASCII one: the whole part reads as a Latin word.
  return (
    letters.some((letter) => letter > '\u007f') &&
    letters.every((letter) => letter <= '\u007f' || CONFUSABLE[letter] !== undefined)
  );
}

/**
 * Whether an e-mail address mixes alphabets (Latin with Cyrillic or Greek in its local part or in a
 * label of its domain), hides invisible characters, or is written in look-alike letters only.
 */
export function isMixedScriptEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  const parts = [email.slice(0, Math.max(at, 0)), ...email.slice(at + 1).split('.')];
  return parts.some(deceptivePart);
}

/** An address as it reads: folded by Unicode, invisible characters dropped, look-alike letters replaced by the ASCII ones. */
function readAs(email: string): string {
  return [
    ...email
      .normalize('NFKC')
      .toLowerCase()
      .replace(/\p{Cf}/gu, ''),
  ]
    .map((character) => CONFUSABLE[character] ?? character)
    .join('');
}

/** What the comparison needs of one contact, worked out once per contact (a seal to 100 recipients compares 10,000 pairs). */
interface Features {
  readonly email: string;
  readonly local: string | undefined;
  readonly domain: string | undefined;
  readonly mixedScript: boolean;
  readonly readAs: string;
  readonly spokenName: string;
}

const featuresSeen = new WeakMap<ContactRecord, Features>();

function featuresOf(contact: ContactRecord): Features {
  let features = featuresSeen.get(contact);
  if (!features) {
    const email = contact.card.profile.email;
    const [local, domain] = email.split('@');
    features = {
      email,
      local,
      domain,
      mixedScript: isMixedScriptEmail(email),
      readAs: readAs(email),
      spokenName: spokenName(contact.card.profile.name),
    };
    featuresSeen.set(contact, features);
  }
  return features;
}

function lookAlikeReason(a: Features, b: Features): LookAlikeReason | null {
  // First, as the most specific: an address in mixed alphabets that reads like the other one.
  if (a.email !== b.email && (a.mixedScript || b.mixedScript) && distance(a.readAs, b.readAs) <= 2)
    return 'mixed-script-email';
  if (a.spokenName === b.spokenName) return 'same-name';
  if (a.local === b.local && a.domain !== b.domain) return 'similar-email';
  if (distance(a.email, b.email) <= 2 || distance(a.readAs, b.readAs) <= 2) return 'similar-email';
  return null;
}

/** The other contacts that `contact` could be mistaken for. */
export function lookAlikesOf(contact: ContactRecord, everyone: readonly ContactRecord[]): LookAlike[] {
  const found: LookAlike[] = [];
  const features = featuresOf(contact);
  for (const other of everyone) {
    if (other.fingerprint === contact.fingerprint) continue;
    const reason = lookAlikeReason(features, featuresOf(other));
    if (reason) found.push({ contact: other, reason });
  }
  return found;
}
