/** Errors in how a command or API was called (missing or invalid argument). */
import { MedSealError, type TextParams } from './medseal-error.js';

/**
 * `detail`: the CLI's or an admin tool's own words about its arguments, in the language of the
 * command's definition (catalogue key USAGE is just `{detail}`); `{ variant }`: a usage text that
 * the app can show too, from the catalogue (USAGE.variant).
 */
export class UsageError extends MedSealError {
  readonly code = 'USAGE';
  readonly category = 'usage' as const;
  constructor(detail: string | { readonly variant: string; readonly params?: TextParams }) {
    super(typeof detail === 'string' ? { detail } : (detail.params ?? {}), {
      ...(typeof detail === 'string' ? {} : { variant: detail.variant }),
    });
  }
}

export class OperationCancelled extends MedSealError {
  readonly code = 'CANCELLED';
  readonly category = 'cancelled' as const;
  constructor() {
    super();
  }
}
