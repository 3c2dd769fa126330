/**
 * Why the organisation's revocation list was not accepted. Without an
 * accepted list no directory card is trusted (fail closed), so these say in
 * plain words what happened and who fixes it (IT, by signing a new list).
 */
import { MedSealError, type TextParams } from '../errors/medseal-error.js';

/** The list is missing, unreadable, not signed by the organisation, rolled back, or made by an older MedSeal without an expiry. */
export class RevocationListRefused extends MedSealError {
  readonly code = 'REVOCATION_LIST_REFUSED';
  readonly category = 'untrusted-party' as const;
  constructor(
    readonly reason: 'missing' | 'malformed' | 'not-signed' | 'rolled-back' | 'no-expiry',
    params: TextParams = {},
  ) {
    super(params, { variant: reason });
  }
}

/** The list's signed validUntil has passed: a list IT no longer vouches for could be an old one put back. */
export class RevocationListExpired extends MedSealError {
  readonly code = 'REVOCATION_LIST_EXPIRED';
  readonly category = 'untrusted-party' as const;
  constructor(readonly validUntil: string) {
    super({ day: validUntil.slice(0, 10) });
  }
}
