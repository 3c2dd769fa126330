/** Errors of backup files (docs/FORMAT.md §8). */
import { MedSealError } from '../errors/medseal-error.js';

export class BackupUnreadable extends MedSealError {
  readonly code = 'BACKUP_DAMAGED';
  readonly category = 'damaged-package' as const;
  constructor(reason: string) {
    super(`This backup cannot be used: ${reason}. Nothing was restored; try an older backup.`);
  }
}

export class NotABackup extends MedSealError {
  readonly code = 'NOT_A_BACKUP';
  readonly category = 'invalid-input' as const;
  constructor() {
    super('This file is not a MedSeal backup. Nothing was restored.');
  }
}

export class BackupTooNew extends MedSealError {
  readonly code = 'BACKUP_TOO_NEW';
  readonly category = 'invalid-input' as const;
  constructor(version: number) {
    super(
      `This backup was made by a newer MedSeal (backup format ${version}). Update MedSeal on this workstation, then restore it. Nothing was restored.`,
    );
  }
}
