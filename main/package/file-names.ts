/**
 * Rules for file names inside a package, applied by the sealer and again by
 * the opener: a name is a single path component that is valid on Windows,
 * macOS and Linux, so that opening can never write outside the folder the
 * user chose, whatever a (possibly malicious) sender put in the package.
 */
import { MAX_FILE_NAME_BYTES } from './format.js';

// Windows device names, also with spaces before an extension ("con .txt") and the console names.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$) *(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/;
/** A UTF-16 surrogate not part of a pair: no file system can store it as the same name. */
export const LONE_SURROGATE = /\p{Cs}/u;

/** Returns why the name is unusable, or null when it is fine. */
export function fileNameProblem(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_FILE_NAME_BYTES) return `it is longer than ${MAX_FILE_NAME_BYTES} bytes`;
  if (name === '.' || name === '..') return 'it is a folder reference';
  if (FORBIDDEN_CHARACTERS.test(name))
    return 'it contains a character that is not allowed in file names (< > : " / \\ | ? * or a control character)';
  if (LONE_SURROGATE.test(name)) return 'it contains an unpaired UTF-16 surrogate';
  if (/[\p{Cf}\u2028\u2029]/u.test(name)) return 'it contains an invisible formatting character';
  if (/[. ]$/.test(name) || /^ /.test(name)) return 'it starts with a space or ends with a space or dot';
  if (WINDOWS_RESERVED.test(name)) return 'it is a name reserved by Windows';
  if (name.normalize('NFC') !== name) return 'it is not in Unicode normal form C';
  return null;
}

export { fileNameCollisionKey } from '../fs/name-key.js';
