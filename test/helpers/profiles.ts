/** A real profile folder with a database, unlocked with a fast test identity. */
import { join } from 'node:path';
import { loadSodium } from '../../main/crypto/sodium.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { ProfileStore } from '../../main/store/profile-store.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fastIdentity } from './identities.js';
import { tempFolder } from './temp-folder.js';

export async function openTestProfile(options: { folder?: string; identity?: UnlockedIdentity } = {}) {
  const folder = new ProfileFolder(options.folder ?? `${await tempFolder('medseal-profile-')}/profile`);
  const identity = options.identity ?? (await fastIdentity());
  const store = await ProfileStore.open(folder);
  const profile = await store.unlock(identity);
  return { folder, identity, store, profile };
}

export interface ProfileSpec {
  readonly home: string;
  readonly name: string;
  readonly email: string;
  readonly organisation?: string;
}

/**
 * Profiles made through the same service the CLI uses, at the keystore's KDF floor, so that the
 * many CLI commands of a test file unlock quickly (`identity create` at full strength has its own test).
 */
export async function createFastProfiles(
  work: string,
  passphrase: string,
  specs: readonly ProfileSpec[],
  options: { acquainted?: boolean } = {},
): Promise<void> {
  await loadSodium();
  const sessions: ProfileSession[] = [];
  try {
    for (const spec of specs) {
      const session = new ProfileSession(new ProfileFolder(join(work, spec.home)), PolicyGate.none(), KDF_FLOOR);
      sessions.push(session);
      await session.create(
        { name: spec.name, organisation: spec.organisation ?? 'Test Org', email: spec.email },
        passphrase,
      );
    }
    // `acquainted`: each has the others' cards as contacts (unverified), as `contacts import` leaves them.
    if (options.acquainted)
      for (const me of sessions)
        for (const them of sessions)
          if (me !== them) await me.requireUnlocked().contacts.importCard(them.requireUnlocked().identity.card);
  } finally {
    for (const session of sessions) session.close();
  }
}
