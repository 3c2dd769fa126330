/** The audit log failed verification. */
import { MedSealError } from '../errors/medseal-error.js';
import type { AuditProblem } from './audit-entry.js';

const PROBLEM_TEXT: Record<AuditProblem, string> = {
  edited: 'was edited',
  'forged-signature': 'does not carry a valid signature of this identity',
  deleted: 'was deleted',
  'out-of-order': 'does not follow the entry before it (entries were deleted, inserted or reordered)',
  inserted: 'was inserted after the last signed entry',
  'head-missing': 'cannot be checked: the signed record of the last entry is missing',
  truncated: 'and the entries after it were deleted',
  'selection-changed':
    'begins a filtered copy whose entries are not the ones its signed statement names (entries were removed, added or swapped)',
};

export class AuditLogTampered extends MedSealError {
  readonly code = 'AUDIT_LOG_TAMPERED';
  readonly category = 'damaged-package' as const;
  constructor(
    readonly firstBadSeq: number,
    readonly problem: AuditProblem,
  ) {
    super(
      `The audit log was changed outside MedSeal: entry ${firstBadSeq} ${PROBLEM_TEXT[problem]}. Keep this profile as it is and contact IT.`,
    );
  }
}

/** A file given to verify-export is not an audit export MedSeal wrote. */
export class AuditExportUnreadable extends MedSealError {
  readonly code = 'AUDIT_EXPORT_UNREADABLE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super(
      'This file is not a MedSeal audit export (CSV or JSON lines), or it was changed so that it can no longer be read.',
    );
  }
}
