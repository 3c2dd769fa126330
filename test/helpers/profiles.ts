/** A real profile folder with a database, unlocked with a fast test identity. */
import { ProfileFolder } from '../../main/profile/profile-folder.js';
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
