/**
 * Exporting the audit log, for the app and the CLI: only a chain that
 * verifies is exported (a broken one is AUDIT_LOG_TAMPERED: exporting it
 * would hand the compliance officer a log that looks whole), and the
 * export itself is an audited event.
 */
import { exportAudit, type AuditExportFormat } from '../audit/audit-export.js';
import { AuditLogTampered } from '../audit/errors.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';

export function exportVerifiedAudit(profile: UnlockedProfile, format: AuditExportFormat): { text: string; entries: number } {
  const verified = profile.audit.verify();
  if (!verified.ok) throw new AuditLogTampered(verified.firstBadSeq, verified.problem);
  profile.audit.append({ action: 'audit.exported', detail: format });
  const entries = profile.audit.entries();
  return { text: exportAudit(entries, format), entries: entries.length };
}
