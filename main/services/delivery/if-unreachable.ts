/**
 * The one expected failure of a delivery step that can wait for a later attempt: an exchange,
 * server or disk that cannot be used now (an error of category 'io'). Such a step gives its
 * fallback (the receipt stays queued, the package stays listed, the next poll tries again);
 * anything else (a bug, a forged file, a changed folder) is thrown on, never dropped.
 */
import { isMedSealError } from '../../errors/medseal-error.js';

export function ifUnreachable<T>(fallback: T): (error: unknown) => T {
  return (error: unknown) => {
    if (isMedSealError(error) && error.category === 'io') return fallback;
    throw error;
  };
}
