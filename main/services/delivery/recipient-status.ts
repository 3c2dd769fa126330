/**
 * Each sent package's recipients with their names and where the package
 * got to (sealed → queued → delivered → withdrawn / opened / refused), for
 * Activity and `medseal packages list --json`. "Queued" is a recipient not
 * delivered yet whose package waits in the delivery queue, with its next try.
 */
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { DeliveryStatus, RecipientStatus } from '../../store/deliveries.js';
import type { PackageSummary } from '../../store/package-history.js';
import type { UnlockedProfile } from '../../store/unlocked-profile.js';
import { passphraseRecipientId } from '../../store/package-passphrase-recipients.js';

export interface NamedRecipientStatus extends Omit<RecipientStatus, 'status'> {
  readonly status: DeliveryStatus | 'queued';
  /** Queued: when the delivery is tried next (else null). */
  readonly nextTryAt: string | null;
  /** The contact's name, or null for someone no longer (or never) in the contacts. */
  readonly name: string | null;
  /**
   * A partner without MedSeal (the package's passphrase recipient, by its audit id): "opened" came
   * with a receipt made with the package's key, not a signature (texts/delivery-texts.ts says so).
   */
  readonly passphrase: boolean;
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
  // A passphrase recipient is listed after the contacts, by the id their receipt is recorded under.
  const passphraseIds = new Map<string, string>();
  for (const summary of sent)
    if (summary.passphraseRecipient)
      passphraseIds.set(passphraseRecipientId(summary.packageHash), summary.passphraseRecipient.name);
  const byId = new Map(
    sent.map((summary) => [
      summary.id,
      summary.passphraseRecipient
        ? [...summary.recipients, passphraseRecipientId(summary.packageHash)]
        : summary.recipients,
    ]),
  );
  const ids = sent.map((summary) => summary.id);
  const statuses = profile.deliveries.statusesOf(ids, (id) => byId.get(id) ?? []);
  const queued = profile.deliveryQueue.statusesOf(ids);
  return new Map(
    [...statuses].map(([id, list]) => [
      id,
      list.map((status): NamedRecipientStatus => {
        const waiting = status.status === 'sealed' ? queued.get(id)?.get(status.fingerprint) : undefined;
        return waiting
          ? {
              ...status,
              status: 'queued',
              detail: waiting.lastError,
              nextTryAt: waiting.nextTryAt,
              name: names.get(status.fingerprint) ?? null,
              passphrase: false,
            }
          : {
              ...status,
              nextTryAt: null,
              name: names.get(status.fingerprint) ?? passphraseIds.get(status.fingerprint) ?? null,
              passphrase: passphraseIds.has(status.fingerprint),
            };
      }),
    ]),
  );
}
