/** Errors of writing files where they must not replace anything. */
import { MedSealError } from '../errors/medseal-error.js';

export class DestinationExists extends MedSealError {
  readonly code = 'DESTINATION_EXISTS';
  readonly category = 'conflict' as const;
  constructor(what: string) {
    super({ what });
  }
}

/** The temp name no longer led to the file MedSeal wrote (replaced, or made a link) right before publishing: nothing was published. */
export class TempFileReplaced extends MedSealError {
  readonly code = 'FILE_REPLACED';
  readonly category = 'conflict' as const;
  constructor() {
    super({});
  }
}

/** A folder other accounts can change (group or everyone, without the sticky bit): files there can be swapped under MedSeal. */
export class UnsafeFolder extends MedSealError {
  readonly code = 'UNSAFE_FOLDER';
  readonly category = 'invalid-input' as const;
  constructor(what: string) {
    super({ what });
  }
}

/** Why a folder cannot be used, in words that name no path. */
export type FolderProblem = 'missing' | 'link' | 'not-a-folder' | 'owner' | 'writable' | 'parent';

/**
 * A folder MedSeal was asked to work in that another account could swap or change
 * (fs/pinned-folder.ts): refused before anything was done there.
 */
export class FolderNotSafe extends MedSealError {
  readonly code = 'UNSAFE_FOLDER';
  readonly category = 'invalid-input' as const;
  constructor(
    readonly what: string,
    readonly problem: FolderProblem,
  ) {
    super({ what: capitalise(what), problem });
  }
}

/** How a pinned folder changed. */
export type FolderChange = 'replaced' | 'permissions' | 'parent';

/** A pinned folder is no longer what it was when MedSeal started working in it: the work stopped. */
export class FolderChanged extends MedSealError {
  readonly code = 'FOLDER_CHANGED';
  readonly category = 'conflict' as const;
  constructor(
    readonly what: string,
    readonly change: FolderChange,
  ) {
    super({ what: capitalise(what), change });
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
