/**
 * Finding a sent or received package, for the app's Activity and `medseal packages list
 * --search`: by a file name, by its subject, or by a person or organisation (the sender or any
 * recipient, as the contacts name them: name, organisation, e-mail).
 */
import type { PackageSummary } from '../store/package-history.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';

export async function searchPackages(
  profile: UnlockedProfile,
  query: string,
  limit?: number,
): Promise<PackageSummary[]> {
  const people = new Map<string, string>();
  // Current keys only: earlier ones may be a rejected card that was never this person's.
  for (const contact of await profile.contacts.list()) {
    const { name, organisation, email } = contact.card.profile;
    people.set(contact.fingerprint, [name, organisation, email].join('\n'));
  }
  return profile.packageIndex((fingerprint) => people.get(fingerprint) ?? '').search(query, limit);
}
