/**
 * Each sent package's recipients with their names and where the package
 * got to (sealed → delivered → withdrawn / opened / refused), for Activity and
 * `medseal packages list --json`.
 */
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { RecipientStatus } from '../../store/deliveries.js';
import type { PackageSummary } from '../../store/package-history.js';
import type { UnlockedProfile } from '../../store/unlocked-profile.js';

export interface NamedRecipientStatus extends RecipientStatus {
  /** The contact's name, or null for someone no longer (or never) in the contacts. */
  readonly name: string | null;
}

export async function recipientStatuses(
  profile: UnlockedProfile,
  summaries: readonly PackageSummary[],
): Promise<Map<number, NamedRecipientStatus[]>> {
  const sent = summaries.filter((summary) => summary.direction === 'sent');
  const names = new Map(
    (await profile.contacts.list()).map((contact) => [
      fingerprintHex(contact.card.fingerprint),
      contact.card.profile.name,
    ]),
  );
  const byId = new Map(sent.map((summary) => [summary.id, summary.recipients]));
  const statuses = profile.deliveries.statusesOf(
    sent.map((summary) => summary.id),
    (id) => byId.get(id) ?? [],
  );
  return new Map(
    [...statuses].map(([id, list]) => [
      id,
      list.map((status) => ({ ...status, name: names.get(status.fingerprint) ?? null })),
    ]),
  );
}
