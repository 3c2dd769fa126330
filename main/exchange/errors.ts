/** Errors of exchange folders. */
import { MedSealError } from '../errors/medseal-error.js';

/** An inbox or archive that is a symbolic link (or not a folder): someone could redirect packages through it. */
export class ExchangeFolderUnsafe extends MedSealError {
  readonly code = 'EXCHANGE_FOLDER_UNSAFE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super('An inbox in the exchange folder is a link to somewhere else, so MedSeal did not use it. Ask IT to check the exchange folder.');
  }
}
