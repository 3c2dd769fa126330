/**
 * What MedSeal Reader says when something fails: a MedSeal error's own words
 * from the one catalogue (the same as the app's and the CLI's), the page's
 * own cases (a closed dialog, a name taken, a file too large for this
 * browser), and for anything unexpected a plain sentence, with the error
 * kept in the browser's console for whoever helps (it holds no patient data:
 * MedSeal's errors never carry names, notes or keys).
 */
import { isMedSealError } from '../../errors/medseal-error.js';
import { READER_TEXTS as T } from '../../texts/reader-texts.js';
import { formatBytes } from '../../texts/sizes.js';
import { SavedInPart } from '../reader-package.js';
import { MEMORY_LIMIT_BYTES, NameTakenInFolder, SaveDeclined, TooLargeForThisBrowser } from './reader-targets.js';

export function errorWords(error: unknown, fileNames: readonly string[] = []): string {
  if (isMedSealError(error)) return error.userMessage;
  if (error instanceof SavedInPart) {
    console.error(error.reason);
    return T.savedInPart(error.saved.map((index) => fileNames[index] ?? String(index + 1)));
  }
  if (error instanceof SaveDeclined) return T.cancelled;
  if (error instanceof NameTakenInFolder) return T.nameTaken;
  if (error instanceof TooLargeForThisBrowser)
    return T.tooLarge(formatBytes(error.size), formatBytes(MEMORY_LIMIT_BYTES));
  console.error(error);
  return T.unexpected;
}
