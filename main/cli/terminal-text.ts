/**
 * Untrusted text (names, file names, notes from packages and cards) made
 * safe to print on a terminal: control characters (C0, DEL, C1), Unicode
 * format characters and line/paragraph separators are shown as visible
 * escapes such as <U+001B>, so an escape sequence in a note can never move
 * the cursor or rewrite a line MedSeal printed ("UNKNOWN sender" into
 * "Verified contact"). A note keeps its line breaks when `keepNewlines`.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

export function forTerminal(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(UNSAFE, (character) =>
    options.keepNewlines && character === '\n'
      ? character
      : `<U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}
