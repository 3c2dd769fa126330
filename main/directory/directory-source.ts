/**
 * The directory as the running app reads it: from the folder and key the
 * policy names, re-read at most every 30 seconds (it lives on a share).
 * The newest revocation list accepted is remembered (in the profile), so a
 * list rolled back on the share is refused rather than trusted again.
 *
 * The folder is pinned at the first read (fs/pinned-folder.ts) and checked at
 * each: one that was replaced, or changed owner or permissions, or one below
 * a folder other accounts may change, vouches for nobody until MedSeal starts
 * again; `onFolderProblem` is told (the session records it in the audit log).
 */
import type { ContactCard } from '../identity/contact-card.js';
import type { EffectivePolicy } from '../policy/policy-schema.js';
import { FolderChanged, FolderNotSafe, FolderPins } from '../fs/pinned-folder.js';
import { loadDirectory } from './org-directory.js';

export type DirectorySource = () => Promise<readonly ContactCard[]>;

/** Where the newest accepted revocation list's time is kept between runs. */
export interface RevocationMemory {
  newest(): string | null;
  accepted(updatedAt: string): void;
}

export function directorySourceFor(
  policy: EffectivePolicy,
  memory: RevocationMemory,
  refreshMs = 30_000,
  onFolderProblem: (error: FolderChanged | FolderNotSafe) => void = () => undefined,
): DirectorySource | undefined {
  const folder = policy.directoryFolder;
  const key = policy.orgPublicKey;
  if (!folder || !key) return undefined;
  const publicKey = new Uint8Array(Buffer.from(key, 'base64'));
  const pins = new FolderPins();
  let cached: { at: number; cards: readonly ContactCard[] } | undefined;
  let stopped = false;
  return async () => {
    if (stopped) return [];
    if (!cached || Date.now() - cached.at > refreshMs) {
      try {
        await pins.checked(folder, { what: 'the directory folder', sharing: 'shared' });
      } catch (error) {
        if (!(error instanceof FolderChanged || error instanceof FolderNotSafe)) throw error;
        stopped = true; // fail closed: no card is vouched for by a folder that changed under us
        onFolderProblem(error);
        return [];
      }
      const loaded = await loadDirectory(folder, publicKey, memory.newest());
      if (loaded.revocationsUpdatedAt !== null && loaded.revocationsUpdatedAt !== memory.newest())
        memory.accepted(loaded.revocationsUpdatedAt);
      cached = { at: Date.now(), cards: loaded.cards };
    }
    return cached.cards;
  };
}
