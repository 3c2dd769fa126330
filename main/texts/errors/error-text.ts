/**
 * Turns an error's catalogue key and values into words, with ICU MessageFormat (FormatJS's
 * intl-messageformat: `{name}` is a value, `{n, plural, one {…} other {…}}` and
 * `{x, select, a {…} other {…}}` choose words by number and by kind). The catalogues are one file
 * per language (en.ts); adding a language is one new file and one line in CATALOGUES. A key that
 * a language lacks falls back to English, and a key that no catalogue has (a code from a newer
 * worker, a typo) gives the internal-problem text rather than nothing.
 */
import { IntlMessageFormat, MissingValueError } from 'intl-messageformat';
import { en, type ErrorTextKey } from './en.js';

export type TextParams = Readonly<Record<string, string | number>>;
export type { ErrorTextKey };

type Catalogue = Readonly<Partial<Record<ErrorTextKey, string>>>;

const CATALOGUES: Readonly<Record<string, Catalogue>> = { en };
const FALLBACK_KEY: ErrorTextKey = 'INTERNAL';

let language = 'en';
const compiled = new Map<string, IntlMessageFormat>();

/** Chooses the language of every later text (a code from CATALOGUES; others fall back to English). */
export function useErrorLanguage(code: string): void {
  language = code in CATALOGUES ? code : 'en';
}

export function isErrorTextKey(key: string): key is ErrorTextKey {
  return Object.hasOwn(en, key);
}

function source(key: string): { text: string; locale: string } {
  const known = isErrorTextKey(key) ? key : FALLBACK_KEY;
  const local = CATALOGUES[language]?.[known];
  return local === undefined ? { text: en[known], locale: 'en' } : { text: local, locale: language };
}

type AstElement = ReturnType<IntlMessageFormat['getAst']>[number];

/** Every value a text names, at any depth (inside plural and select options too). */
export function valueNames(elements: readonly AstElement[]): Set<string> {
  const names = new Set<string>();
  const walk = (list: readonly AstElement[]) => {
    for (const element of list) {
      if ('value' in element && typeof element.value === 'string' && element.type !== 0) names.add(element.value);
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value);
      if ('children' in element) walk(element.children);
    }
  };
  walk(elements);
  return names;
}

/** Select keys cannot hold '-' in ICU: the catalogue writes `not_a_folder` for the value `not-a-folder`. */
function selectValues(format: IntlMessageFormat, params: TextParams): TextParams {
  const selects = format.getAst().filter((element) => element.type === 5);
  if (selects.length === 0) return params;
  const out: Record<string, string | number> = { ...params };
  for (const { value } of selects) {
    const given = out[value];
    if (typeof given === 'string') out[value] = given.replaceAll('-', '_');
  }
  return out;
}

/** The words for `key` with `params` filled in. */
export function errorText(key: string, params: TextParams = {}): string {
  const { text, locale } = source(key);
  const cacheKey = `${locale}\u0000${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(text, locale);
    compiled.set(cacheKey, format);
  }
  params = selectValues(format, params);
  try {
    return String(format.format(params));
  } catch (error) {
    // A value the raiser did not give (a programming slip, caught by the catalogue test where it
    // can be): the words are still shown, with "…" in its place, rather than no error at all.
    if (!(error instanceof MissingValueError)) throw error;
    const filled: Record<string, string | number> = { ...params };
    for (const name of valueNames(format.getAst())) filled[name] ??= '…';
    return String(format.format(filled));
  }
}
