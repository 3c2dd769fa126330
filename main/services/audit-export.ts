/**
 * Exporting the audit log, for the app and the CLI: only a chain that
 * verifies is exported (a broken one is AUDIT_LOG_TAMPERED: exporting it
 * would hand the compliance officer a log that looks whole), and the
 * export itself is an audited event.
 */
import { verifyEntries } from '../audit/audit-chain.js';
import { exportAudit, parseAuditExport, type AuditExportFormat } from '../audit/audit-export.js';
import { AuditExportUnreadable, AuditLogTampered } from '../audit/errors.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';

export function exportVerifiedAudit(profile: UnlockedProfile, format: AuditExportFormat): { text: string; entries: number } {
  const verified = profile.audit.verify();
  if (!verified.ok) throw new AuditLogTampered(verified.firstBadSeq, verified.problem);
  profile.audit.append({ action: 'audit.exported', detail: format });
  const entries = profile.audit.entries();
  return { text: exportAudit(entries, format, profile.audit.head()), entries: entries.length };
}

/**
 * Checks an exported copy offline: every entry's hash, chain link and signature, and the signed
 * head it ends with, against `signingKey` (the exporting identity's public key, from its card);
 * every entry must name that identity as its actor. Throws AuditLogTampered, or
 * AuditExportUnreadable when the file is not an export.
 */
export function verifyAuditExport(text: string, signer: ContactCard): number {
  let parsed;
  try {
    parsed = parseAuditExport(text);
  } catch {
    throw new AuditExportUnreadable();
  }
  const actor = fingerprintHex(signer.fingerprint);
  const foreign = parsed.entries.find((entry) => entry.actor !== actor);
  if (foreign) throw new AuditLogTampered(foreign.seq, 'forged-signature');
  const verified = verifyEntries(parsed.entries, parsed.head, signer.signingKey);
  if (!verified.ok) throw new AuditLogTampered(verified.firstBadSeq, verified.problem);
  return verified.entries;
}
