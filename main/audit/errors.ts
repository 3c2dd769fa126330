/** The audit log failed verification. */
import { MedSealError } from '../errors/medseal-error.js';
import type { AuditProblem } from './audit-entry.js';

export class AuditLogTampered extends MedSealError {
  readonly code = 'AUDIT_LOG_TAMPERED';
  readonly category = 'damaged-package' as const;
  constructor(
    readonly firstBadSeq: number,
    readonly problem: AuditProblem,
  ) {
    super({ firstBadSeq, problem });
  }
}

/** A file given to verify-export is not an audit export MedSeal wrote. */
export class AuditExportUnreadable extends MedSealError {
  readonly code = 'AUDIT_EXPORT_UNREADABLE';
  readonly category = 'invalid-input' as const;
  constructor() {
    super({});
  }
}
