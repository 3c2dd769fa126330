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

/** Any reason a directory log (docs/FORMAT.md §11) was not accepted: its cards vouch for nobody. */
export abstract class DirectoryProblem extends MedSealError {
  readonly category = 'untrusted-party' as const;
}

/** Why an organisation's directory file was not accepted. */
export class DirectoryRefused extends DirectoryProblem {
  readonly code = 'DIRECTORY_REFUSED';
  constructor(
    readonly reason:
      'too-large' | 'malformed' | 'wrong-key' | 'broken-chain' | 'head-mismatch' | 'not-signed' | 'bad-validity',
    params: TextParams = {},
  ) {
    super(params, { variant: reason });
  }
}

/** The directory's signed validUntil has passed: an old file could have been put back. */
export class DirectoryExpired extends DirectoryProblem {
  readonly code = 'DIRECTORY_EXPIRED';
  constructor(readonly validUntil: string) {
    super({ day: validUntil.slice(0, 10) });
  }
}

interface HeadRef {
  readonly seq: number;
  readonly hash: string;
}

/** An older directory than the one accepted before (a rollback): refused, the newer one stays. */
export class DirectoryRolledBack extends DirectoryProblem {
  readonly code = 'DIRECTORY_ROLLED_BACK';
  constructor(
    readonly held: HeadRef,
    readonly offered: HeadRef,
  ) {
    super({ heldSeq: held.seq, offeredSeq: offered.seq });
  }
}

/**
 * A directory whose history is not the one accepted before: whoever holds the organisation's key
 * showed different histories to different readers. Both heads are named (the audit log and the
 * SIEM get them); the organisation's cards vouch for nobody until IT resolves it.
 */
export class DirectoryForked extends DirectoryProblem {
  readonly code = 'DIRECTORY_FORKED';
  constructor(
    readonly held: HeadRef,
    readonly offered: HeadRef,
  ) {
    super({
      heldSeq: held.seq,
      heldHash: held.hash.slice(0, 16),
      offeredSeq: offered.seq,
      offeredHash: offered.hash.slice(0, 16),
    });
  }
}
