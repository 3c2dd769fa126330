/**
 * What MedSeal Reader shows once a package opened: first who it says it is
 * from, marked as written in the package and not verified, with the warning
 * every passphrase reader gets (the same words as the app's and the CLI's)
 * and, when the package carries one, the organisation recovery key that can
 * also open it;
 * then the subject, the note and the files, each with Save, and Save all;
 * then the receipt for the sender. Saving goes through reader-targets.ts and
 * ReaderPackage.save, so a file is saved whole and verified, or not at all.
 */
import { PASSPHRASE_SENDER_LABEL, PASSPHRASE_SENDER_WARNING } from '../../texts/passphrase-texts.js';
import { READER_TEXTS as T } from '../../texts/reader-texts.js';
import { emergencyAccessText } from '../../texts/protection-texts.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { formatBytes } from '../../texts/sizes.js';
import type { ReaderPackage, SaveTarget } from '../reader-package.js';
import { element } from './dom.js';
import { errorWords } from './error-words.js';
import { targetForFile, targetsForFiles } from './reader-targets.js';

export function showPackage(into: HTMLElement, opened: ReaderPackage, startOver: () => void): void {
  const { sender, files, note, subject, createdAt, recovery } = opened.metadata;
  const heading = element('h2', { tabIndex: -1 }, T.resultHeading);
  const progress = element('progress', { max: 1, value: 0, hidden: true });
  progress.setAttribute('aria-label', T.saving);
  const saveStatus = element('p', { className: 'status', role: 'status' });
  const saveProblem = element('p', { className: 'error', role: 'alert' });
  const buttons: HTMLButtonElement[] = [];

  const save = async (indices: number[], targets: () => Promise<SaveTarget[]>, done: string) => {
    saveProblem.textContent = '';
    saveStatus.textContent = '';
    for (const button of buttons) button.disabled = true;
    try {
      const chosen = await targets();
      saveStatus.textContent = T.saving;
      progress.hidden = false;
      progress.value = 0;
      await opened.save(new Map(indices.map((index, i) => [index, chosen[i]!])), ({ bytesDone, bytesTotal }) => {
        progress.value = bytesTotal === 0 ? 1 : bytesDone / bytesTotal;
      });
      saveStatus.textContent = done;
    } catch (error) {
      saveStatus.textContent = '';
      saveProblem.textContent = errorWords(
        error,
        files.map((file) => file.name),
      );
    } finally {
      progress.hidden = true;
      for (const button of buttons) button.disabled = false;
    }
  };

  const fileItems = files.map((file, index) => {
    const button = element('button', { type: 'button', className: 'secondary' }, T.save);
    button.setAttribute('aria-label', `${T.save} ${file.name}`);
    button.addEventListener('click', () => {
      void save([index], async () => [await targetForFile(file.name, file.size)], T.saved);
    });
    buttons.push(button);
    return element(
      'li',
      {},
      element('span', { className: 'name' }, file.name),
      element('span', { className: 'muted' }, formatBytes(file.size)),
      button,
    );
  });
  const saveAll = element('button', { type: 'button' }, T.saveAll);
  saveAll.addEventListener('click', () => {
    void save(
      files.map((_, index) => index),
      () => targetsForFiles(files),
      T.savedAll,
    );
  });
  buttons.push(saveAll);

  const receiptStatus = element('p', { className: 'status', role: 'status' });
  const receiptButton = element('button', { type: 'button', className: 'secondary' }, T.saveReceipt);
  receiptButton.addEventListener('click', () => {
    void (async () => {
      receiptStatus.textContent = '';
      const bytes = opened.receipt();
      try {
        const target = await targetForFile(`receipt-${opened.packageHash.slice(0, 12)}.medseal-receipt`, bytes.length);
        await target.write(bytes);
        await target.close();
        receiptStatus.textContent = T.receiptSaved;
      } catch (error) {
        receiptStatus.textContent = errorWords(error);
      }
    })();
  });
  const again = element('button', { type: 'button', className: 'secondary' }, T.startOver);
  again.addEventListener('click', startOver);

  const from = `${sender.profile.name}, ${sender.profile.organisation} <${sender.profile.email}>`;
  into.replaceChildren(
    element(
      'section',
      {},
      heading,
      element(
        'dl',
        {},
        element('dt', {}, T.fromLabel),
        element('dd', {}, from, element('br'), element('span', { className: 'muted' }, `(${PASSPHRASE_SENDER_LABEL})`)),
        element('dt', {}, T.sentLabel),
        element('dd', {}, new Date(createdAt).toLocaleString()),
        ...(subject ? [element('dt', {}, T.subjectLabel), element('dd', {}, subject)] : []),
      ),
      element('p', { className: 'warning' }, PASSPHRASE_SENDER_WARNING),
      // Who else can open it (FORMAT.md §2.12): told to every reader, as the app's preview does.
      ...(recovery
        ? [
            element(
              'p',
              { className: 'emergency-access' },
              emergencyAccessText({
                organisation: recovery.profile.organisation,
                email: recovery.profile.email,
                fingerprint: fingerprintHex(recovery.fingerprint),
                ours: false, // the page has no policy: no organisation is the partner's own
              }),
            ),
          ]
        : []),
      ...(note ? [element('h3', {}, T.noteLabel), element('p', { className: 'note' }, note)] : []),
      element('h3', {}, T.filesLabel),
      element('ul', { className: 'files' }, ...fileItems),
      saveAll,
      progress,
      saveStatus,
      saveProblem,
    ),
    element(
      'section',
      {},
      element('h2', {}, T.receiptHeading),
      element('p', {}, T.receiptText),
      receiptButton,
      receiptStatus,
    ),
    again,
  );
  heading.focus();
}
