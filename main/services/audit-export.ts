/**
 * Exporting the audit log, for the app and the CLI: only a chain that
 * verifies is exported (a broken one is AUDIT_LOG_TAMPERED: exporting it
 * would hand the compliance officer a log that looks whole), and the
 * export itself is an audited event. Checking an exported copy offline.
 */
import { verifyEntries, verifyFilteredEntries } from '../audit/audit-chain.js';
import { exportAudit, parseAuditExport, type AuditExportFormat, type ExportedFilter } from '../audit/audit-export.js';
import { filterStatement, isFiltered, matchesFilter, type AuditFilter } from '../audit/audit-filter.js';
import { ed25519Sign, ed25519Verify } from '../crypto/primitives.js';
import { AuditExportUnreadable, AuditLogTampered } from '../audit/errors.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { describePassphraseRecipient } from '../package/passphrase-recipient.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';

/**
 * "Dr Bob Brown, City Clinic" for a contact's current fingerprint. Keys the contact no longer has
 * are named as such: they may be keys that were replaced, or a new card that was rejected as not
 * theirs, so they never get the contact's plain name. A passphrase package's recipient (by its
 * audit id) is "passphrase package to" what the sender typed for them.
 */
async function contactNames(profile: UnlockedProfile): Promise<(fingerprint: string) => string | null> {
  const names = new Map<string, string>();
  const contacts = await profile.contacts.list();
  const nameOf = (contact: (typeof contacts)[number]) =>
    [contact.card.profile.name, contact.card.profile.organisation].filter(Boolean).join(', ');
  for (const contact of contacts)
    for (const key of contact.previousKeys)
      names.set(key.fingerprint, `keys no longer used by ${nameOf(contact)} (replaced or rejected)`);
  for (const contact of contacts) names.set(contact.fingerprint, nameOf(contact)); // a current key wins
  for (const [id, recipient] of profile.history.passphraseRecipients.byAuditId())
    names.set(id, `passphrase package to ${describePassphraseRecipient(recipient)}`);
  return (fingerprint) => names.get(fingerprint) ?? null;
}

/**
 * Exports the log, or the part of it `filter` selects (its entries keep their hashes and
 * signatures; audit-filter.ts says what such a copy proves), with counterparts' names.
 */
export async function exportVerifiedAudit(
  profile: UnlockedProfile,
  format: AuditExportFormat,
  filter: AuditFilter = {},
): Promise<{ text: string; entries: number }> {
  const verified = profile.audit.verify();
  if (!verified.ok) throw new AuditLogTampered(verified.firstBadSeq, verified.problem);
  const filtered = isFiltered(filter);
  profile.audit.append({ action: 'audit.exported', detail: filtered ? `${format}:filtered` : format });
  const all = profile.audit.entries();
  const head = profile.audit.head();
  const entries = filtered ? all.filter((entry) => matchesFilter(entry, filter)) : all;
  const statement =
    filtered && head
      ? filterStatement(
          { actions: filter.actions ?? [], since: filter.since?.toISOString() ?? null, of: all.length },
          head,
          entries,
        )
      : null;
  const text = exportAudit(entries, format, {
    head,
    nameOf: await contactNames(profile),
    ...(statement
      ? {
          filter: {
            applied: filter,
            total: all.length,
            signature: ed25519Sign(profile.identity.signingSecretKey, statement),
          },
        }
      : {}),
  });
  return { text, entries: entries.length };
}

/** What an exported copy holds once checked: all of the log, or a filtered part of it. */
export type CheckedAuditExport =
  | { readonly entries: number; readonly filter: null }
  | { readonly entries: number; readonly filter: ExportedFilter; readonly leftOut: number };

/**
 * Checks an exported copy offline: every entry's hash, chain link and signature, and the signed
 * head it ends with, against `signingKey` (the exporting identity's public key, from its card);
 * every entry must name that identity as its actor. A filtered copy is checked entry by entry
 * (verifyFilteredEntries), and each entry must match the filter it states. Throws
 * AuditLogTampered, or AuditExportUnreadable when the file is not an export.
 */
export function verifyAuditExport(text: string, signer: ContactCard): CheckedAuditExport {
  let parsed;
  try {
    parsed = parseAuditExport(text);
  } catch {
    throw new AuditExportUnreadable();
  }
  const actor = fingerprintHex(signer.fingerprint);
  const foreign = parsed.entries.find((entry) => entry.actor !== actor);
  if (foreign) throw new AuditLogTampered(foreign.seq, 'forged-signature');
  const { filter } = parsed;
  if (!filter) {
    const verified = verifyEntries(parsed.entries, parsed.head, signer.signingKey);
    if (!verified.ok) throw new AuditLogTampered(verified.firstBadSeq, verified.problem);
    return { entries: verified.entries, filter: null };
  }
  const applied: AuditFilter = { actions: filter.actions, ...(filter.since ? { since: new Date(filter.since) } : {}) };
  const outside = parsed.entries.find((entry) => !matchesFilter(entry, applied));
  if (outside) throw new AuditLogTampered(outside.seq, 'inserted');
  const verified = verifyFilteredEntries(parsed.entries, parsed.head, signer.signingKey);
  if (!verified.ok) throw new AuditLogTampered(verified.firstBadSeq, verified.problem);
  const first = parsed.entries[0]?.seq ?? 1;
  const statement = parsed.head && filterStatement(filter, parsed.head, parsed.entries);
  const signed =
    statement !== null && ed25519Verify(signer.signingKey, statement, Buffer.from(filter.signature, 'hex'));
  if (!signed || filter.entries !== verified.entries || filter.of !== parsed.head?.seq)
    throw new AuditLogTampered(first, 'selection-changed');
  return { entries: verified.entries, filter, leftOut: verified.leftOut };
}
