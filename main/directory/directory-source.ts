/**
 * The directory as the running app reads it: from the folder and key the
 * policy names, re-read at most every 30 seconds (it lives on a share).
 */
import type { ContactCard } from '../identity/contact-card.js';
import type { EffectivePolicy } from '../policy/policy-schema.js';
import { loadDirectory } from './org-directory.js';

export type DirectorySource = () => Promise<readonly ContactCard[]>;

export function directorySourceFor(policy: EffectivePolicy, refreshMs = 30_000): DirectorySource | undefined {
  const folder = policy.directoryFolder;
  const key = policy.orgPublicKey;
  if (!folder || !key) return undefined;
  const publicKey = new Uint8Array(Buffer.from(key, 'base64'));
  let cached: { at: number; cards: readonly ContactCard[] } | undefined;
  return async () => {
    if (!cached || Date.now() - cached.at > refreshMs) cached = { at: Date.now(), cards: (await loadDirectory(folder, publicKey)).cards };
    return cached.cards;
  };
}
