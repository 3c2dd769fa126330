/**
 * Counted words ("1 contact", "2 contacts"), the same in the CLI and the
 * app: ICU MessageFormat plural rules (FormatJS's intl-messageformat, as
 * the error catalogue uses), so that no text says "1 contacts" or hides
 * behind "contact(s)". Adding a language is one more table like `en`.
 */
import { IntlMessageFormat } from 'intl-messageformat';

const en = {
  contact: '{count, plural, one {# contact} other {# contacts}}',
  /** Contacts a filter shows, of all of them. */
  'contact-match': '{count} of {total, plural, one {# contact} other {# contacts}} match',
  file: '{count, plural, one {# file} other {# files}}',
  recipient: '{count, plural, one {# recipient} other {# recipients}}',
  entry: '{count, plural, one {# entry} other {# entries}}',
  package: '{count, plural, one {# package} other {# packages}}',
  record: '{count, plural, one {# record} other {# records}}',
  use: '{count, plural, one {# use} other {# uses}}',
  day: '{count, plural, one {# day} other {# days}}',
} as const;

export type CountedText = keyof typeof en;

const compiled = new Map<CountedText, IntlMessageFormat>();

/** `count` of a thing in words: counted('contact', 1) is "1 contact". */
export function counted(text: CountedText, count: number, values: Readonly<Record<string, number>> = {}): string {
  let format = compiled.get(text);
  if (!format) {
    format = new IntlMessageFormat(en[text], 'en');
    compiled.set(text, format);
  }
  return String(format.format({ ...values, count }));
}
