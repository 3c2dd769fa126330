/** Errors of backup files (docs/FORMAT.md §8). */
import { MedSealError } from '../errors/medseal-error.js';

export class BackupUnreadable extends MedSealError {
  readonly code = 'BACKUP_DAMAGED';
  readonly category = 'damaged-package' as const;
  constructor(reason: string) {
    super({ reason });
  }
}

export class NotABackup extends MedSealError {
  readonly code = 'NOT_A_BACKUP';
  readonly category = 'invalid-input' as const;
  constructor() {
    super();
  }
}

export class BackupTooNew extends MedSealError {
  readonly code = 'BACKUP_TOO_NEW';
  readonly category = 'invalid-input' as const;
  constructor(version: number) {
    super({ version });
  }
}
