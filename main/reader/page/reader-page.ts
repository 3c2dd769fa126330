/**
 * MedSeal Reader's page: choose the package, type the six words, see who the
 * package says it is from (as written there, not verified) with its files
 * and note, then save files and a receipt. Three steps in one column, each a
 * heading and a labelled control, so that it reads aloud and works by
 * keyboard alone. Everything from the package is put on the page as text
 * (textContent), never as markup.
 */
import { PackagePassphraseInvalid, PackagePassphraseWrong } from '../../package/errors.js';
import { READER_TEXTS as T } from '../../texts/reader-texts.js';
import { formatBytes } from '../../texts/sizes.js';
import { ReaderPackage } from '../reader-package.js';
import { MEMORY_LIMIT_BYTES, streamsToDisk } from './reader-targets.js';
import { element, paint } from './dom.js';
import { showPackage } from './package-view.js';
import { errorWords } from './error-words.js';

const reader = document.getElementById('reader')!;
document.getElementById('intro')!.textContent = T.intro;
if (!streamsToDisk())
  reader.append(element('p', { className: 'warning' }, T.memoryLimit(formatBytes(MEMORY_LIMIT_BYTES))));

const packageInput = element('input', { id: 'package', type: 'file', accept: '.medseal' });
const passphraseInput = element('input', {
  id: 'passphrase',
  type: 'text',
  autocomplete: 'off',
  spellcheck: false,
  autocapitalize: 'none',
});
passphraseInput.setAttribute('aria-describedby', 'passphrase-hint');
const openButton = element('button', { type: 'submit' }, T.open);
const status = element('p', { className: 'status', role: 'status' });
const problem = element('p', { className: 'error', role: 'alert' });
const form = element(
  'form',
  { noValidate: true },
  element(
    'section',
    {},
    element('h2', {}, T.chooseHeading),
    element('label', { htmlFor: 'package' }, T.chooseLabel),
    packageInput,
  ),
  element(
    'section',
    {},
    element('h2', {}, T.passphraseHeading),
    element('label', { htmlFor: 'passphrase' }, T.passphraseLabel),
    passphraseInput,
    element('p', { id: 'passphrase-hint', className: 'hint' }, T.passphraseHint),
    openButton,
    status,
    problem,
  ),
);
const result = element('div', { id: 'result' });
reader.append(form, result);

let opened: ReaderPackage | null = null;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void openChosenPackage();
});

async function openChosenPackage(): Promise<void> {
  problem.textContent = '';
  const file = packageInput.files?.[0];
  if (!file) {
    problem.textContent = T.noPackage;
    packageInput.focus();
    return;
  }
  opened?.close();
  opened = null;
  result.replaceChildren();
  openButton.disabled = true;
  status.textContent = T.opening;
  await paint(); // Argon2id holds the page for a few seconds: the words above are shown first
  try {
    opened = await ReaderPackage.open(file, passphraseInput.value);
    passphraseInput.value = '';
    status.textContent = '';
    form.hidden = true;
    showPackage(result, opened, startOver);
  } catch (error) {
    status.textContent = '';
    problem.textContent = errorWords(error);
    const aboutTheWords = error instanceof PackagePassphraseWrong || error instanceof PackagePassphraseInvalid;
    (aboutTheWords ? passphraseInput : packageInput).focus();
  } finally {
    openButton.disabled = false;
  }
}

function startOver(): void {
  opened?.close();
  opened = null;
  result.replaceChildren();
  form.reset();
  form.hidden = false;
  packageInput.focus();
}
