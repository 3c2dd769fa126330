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
 * A fork alarm raised by gossip (services/own-directory-gossip.ts) also
 * stops it vouching, for as long as the policy names that key.
 */
import type { ContactCard } from '../identity/contact-card.js';
import type { VouchedCard } from '../contacts/contact-book.js';
import type { EffectivePolicy } from '../policy/policy-schema.js';
import { FolderChanged, FolderNotSafe, FolderPins } from '../fs/pinned-folder.js';
import { loadDirectory, type VerifiedChain } from './org-directory.js';
import type { HeldHead } from './directory-verify.js';
import type { SignedHead } from './directory-log.js';
import type { DirectoryProblem } from './errors.js';

/** The cards directories vouch for: the organisation's own (`partner` null) and, added by the session, partners'. */
export type DirectorySource = () => Promise<readonly VouchedCard[]>;

/**
 * What a profile remembers between runs: the newest accepted revocation list's time (a directory in
 * the earlier form) or the log's head (FORMAT.md §11), so that an older one is refused.
 */
export interface RevocationMemory {
  newest(): string | null;
  accepted(updatedAt: string): void;
  heldHead(): HeldHead | null;
  acceptedHead(head: SignedHead): void;
  /** Each time the log verified (changed or not): its chain, to check heads seen in packages against. */
  chainVerified(chain: VerifiedChain): void;
  /** Whether a fork alarm stands for this directory key (gossip found one): it then vouches for nobody. */
  forked(): boolean;
}

export function directorySourceFor(
  policy: EffectivePolicy,
  memory: RevocationMemory,
  refreshMs = 30_000,
  onFolderProblem: (error: FolderChanged | FolderNotSafe) => void = () => undefined,
  onRefused: (problem: DirectoryProblem) => void = () => undefined,
): DirectorySource | undefined {
  const folder = policy.directoryFolder;
  const key = policy.orgPublicKey;
  if (!folder || !key) return undefined;
  const publicKey = new Uint8Array(Buffer.from(key, 'base64'));
  const pins = new FolderPins();
  let cached: { at: number; cards: readonly ContactCard[] } | undefined;
  let stopped = false;
  let refusedBefore: string | null = null; // told once per kind of refusal, not at every read
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
      const held = memory.heldHead();
      const loaded = await loadDirectory(folder, publicKey, memory.newest(), new Date(), held);
      if (loaded.revocationsUpdatedAt !== null && loaded.revocationsUpdatedAt !== memory.newest())
        memory.accepted(loaded.revocationsUpdatedAt);
      if (
        loaded.head !== null &&
        (held === null || loaded.head.hash !== held.hash || loaded.head.issuedAt !== held.issuedAt)
      )
        memory.acceptedHead(loaded.head);
      if (loaded.chain !== null) memory.chainVerified(loaded.chain);
      if (loaded.refusal !== null && refusedBefore !== loaded.refusal.code) onRefused(loaded.refusal);
      refusedBefore = loaded.refusal?.code ?? null;
      cached = { at: Date.now(), cards: loaded.cards };
    }
    if (memory.forked()) return [];
    return cached.cards.map((card) => ({ card, partner: null }));
  };
}
