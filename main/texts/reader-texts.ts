/**
 * The words of MedSeal Reader (main/reader/), the page a partner without
 * MedSeal opens a passphrase package with. Plain words for someone who has
 * never seen MedSeal; no term of the format. Error texts come from the one
 * catalogue (texts/errors/), as in the app and the CLI.
 */
export const READER_TEXTS = {
  title: 'MedSeal Reader',
  intro:
    'Opens a MedSeal package that was sent to you with a passphrase. Everything happens on this computer: nothing is sent anywhere, and nothing is kept when you close this page.',
  chooseHeading: '1. Choose the package',
  chooseLabel: 'The package file (it ends in .medseal)',
  passphraseHeading: '2. Type the passphrase',
  passphraseLabel: 'The six words the sender gave you by phone or text message',
  passphraseHint: 'Capital letters, commas and line breaks do not matter.',
  open: 'Open the package',
  opening: 'Checking the passphrase. This takes a few seconds…',
  noPackage: 'Choose the package file first.',
  resultHeading: '3. What the package holds',
  fromLabel: 'From',
  sentLabel: 'Sealed',
  subjectLabel: 'Subject',
  noteLabel: 'Note from the sender',
  filesLabel: 'Files',
  save: 'Save',
  saveAll: 'Save all files',
  saving: 'Saving…',
  saved: 'Saved.',
  savedAll: 'All files saved.',
  cancelled: 'Nothing was saved.',
  receiptHeading: 'Let the sender know you opened it',
  receiptText:
    'Save a receipt and attach it to an e-mail to the sender. Their MedSeal then shows the package as opened. The receipt holds no patient information.',
  saveReceipt: 'Save a receipt',
  receiptSaved: 'Receipt saved. Attach it to an e-mail to the sender.',
  startOver: 'Open another package',
  memoryLimit: (limit: string) =>
    `This browser keeps a file in memory until it is saved, so files up to ${limit} can be saved here. For larger files, open this page in Chrome or Edge.`,
  tooLarge: (size: string, limit: string) =>
    `This file (${size}) is larger than this browser can save (${limit}). Open this page in Chrome or Edge.`,
  nameTaken:
    'That folder already has a file with the name of one of the files. Choose another folder, or save the files one by one.',
  savedInPart: (saved: readonly string[]) =>
    `The browser could not save every file. Saved: ${saved.join(', ')}. The other files were not saved: try again, or save them one by one.`,
  unexpected:
    'Something went wrong that MedSeal Reader did not expect. Nothing was saved. Try again, or ask the sender to seal a new package.',
} as const;
