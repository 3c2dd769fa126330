/** Errors of writing files where they must not replace anything. */
import { MedSealError } from '../errors/medseal-error.js';

export class DestinationExists extends MedSealError {
  readonly code = 'DESTINATION_EXISTS';
  readonly category = 'conflict' as const;
  constructor(what: string) {
    super(`${what} already exists and was not replaced. Choose another place or remove it first.`);
  }
}

/** The temp name no longer led to the file MedSeal wrote (replaced, or made a link) right before publishing: nothing was published. */
export class TempFileReplaced extends MedSealError {
  readonly code = 'FILE_REPLACED';
  readonly category = 'conflict' as const;
  constructor() {
    super(
      'Another program or user changed the file while MedSeal was writing it, so nothing was saved. Use a folder that only you can change.',
    );
  }
}

/** A folder other accounts can change (group or everyone, without the sticky bit): files there can be swapped under MedSeal. */
export class UnsafeFolder extends MedSealError {
  readonly code = 'UNSAFE_FOLDER';
  readonly category = 'invalid-input' as const;
  constructor(what: string) {
    super(
      `${what} belongs to another account, or can be changed by other users of this computer (its group or everyone, without the sticky bit), so MedSeal will not write there: they could replace what it saves. Choose a folder that only you can change, or ask IT for a shared folder owned by root with the sticky bit (chmod +t).`,
    );
  }
}

/** Why a folder cannot be used, in words that name no path. */
export type FolderProblem = 'missing' | 'link' | 'not-a-folder' | 'owner' | 'writable' | 'parent';

const FOLDER_PROBLEMS: Readonly<Record<FolderProblem, string>> = {
  missing: 'does not exist (or is not a folder)',
  link: 'is a symbolic link, which MedSeal never follows there',
  'not-a-folder': 'is not a folder',
  owner: 'belongs to another account',
  writable: 'can be changed by other accounts (remove their write permission: chmod go-w)',
  parent:
    'is inside a folder that other accounts can change (a folder above it is theirs, or writable by them without the sticky bit)',
};

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
    super(
      `${capitalise(what)} ${FOLDER_PROBLEMS[problem]}, so MedSeal will not work there. Use a folder that only you can change, or ask IT to set its owner and permissions.`,
    );
  }
}

/** How a pinned folder changed. */
export type FolderChange = 'replaced' | 'permissions' | 'parent';

const FOLDER_CHANGES: Readonly<Record<FolderChange, string>> = {
  replaced: 'was moved or replaced by another folder',
  permissions: 'had its owner or permissions changed',
  parent: 'is now inside a folder that other accounts can change',
};

/** A pinned folder is no longer what it was when MedSeal started working in it: the work stopped. */
export class FolderChanged extends MedSealError {
  readonly code = 'FOLDER_CHANGED';
  readonly category = 'conflict' as const;
  constructor(
    readonly what: string,
    readonly change: FolderChange,
  ) {
    super(
      `${capitalise(what)} ${FOLDER_CHANGES[change]} while MedSeal was using it, so MedSeal stopped and did nothing more there. Ask IT to check who changed it.`,
    );
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
