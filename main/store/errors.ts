/** Errors of the local database. */
import { MedSealError } from '../errors/medseal-error.js';

export class DatabaseTooNew extends MedSealError {
  readonly code = 'DATABASE_TOO_NEW';
  readonly category = 'invalid-input' as const;
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super({ found, known });
  }
}

export class StoreUnavailable extends MedSealError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly category = 'io' as const;
  constructor(reason: string, options?: { cause?: unknown }) {
    super({ reason }, options);
  }
}

export class StoreTampered extends MedSealError {
  readonly code = 'STORE_TAMPERED';
  readonly category = 'invalid-input' as const;
  constructor(what: string) {
    super({ what });
  }
}

/** Plain words for SQLite's error codes; never the SQL or the values. */
export function storeErrorFrom(error: unknown): Error {
  if (error instanceof MedSealError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code.startsWith('SQLITE_FULL')) return new StoreUnavailable('the disk is full', { cause: error });
  if (code.startsWith('SQLITE_READONLY'))
    return new StoreUnavailable('the profile folder is read-only', { cause: error });
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new StoreUnavailable('the database file cannot be opened', { cause: error });
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
    return new StoreUnavailable('the database file is damaged', { cause: error });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new StoreUnavailable('another MedSeal process is using it; try again', { cause: error });
  if (code.startsWith('SQLITE_IOERR')) return new StoreUnavailable('the disk reported an error', { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
