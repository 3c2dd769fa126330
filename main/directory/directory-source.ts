/**
 * The directory as the running app reads it: from the folder and key the
 * policy names, re-read at most every 30 seconds (it lives on a share).
 * The newest revocation list accepted is remembered (in the profile), so a
 * list rolled back on the share is refused rather than trusted again.
 */
import type { ContactCard } from '../identity/contact-card.js';
import type { EffectivePolicy } from '../policy/policy-schema.js';
import { loadDirectory } from './org-directory.js';

export type DirectorySource = () => Promise<readonly ContactCard[]>;

/** Where the newest accepted revocation list's time is kept between runs. */
export interface RevocationMemory {
  newest(): string | null;
  accepted(updatedAt: string): void;
}

export function directorySourceFor(policy: EffectivePolicy, memory: RevocationMemory, refreshMs = 30_000): DirectorySource | undefined {
  const folder = policy.directoryFolder;
  const key = policy.orgPublicKey;
  if (!folder || !key) return undefined;
  const publicKey = new Uint8Array(Buffer.from(key, 'base64'));
  let cached: { at: number; cards: readonly ContactCard[] } | undefined;
  return async () => {
    if (!cached || Date.now() - cached.at > refreshMs) {
      const loaded = await loadDirectory(folder, publicKey, memory.newest());
      if (loaded.revocationsUpdatedAt !== null && loaded.revocationsUpdatedAt !== memory.newest()) memory.accepted(loaded.revocationsUpdatedAt);
      cached = { at: Date.now(), cards: loaded.cards };
    }
    return cached.cards;
  };
}
