/**
 * Gossip about the organisation's own directory (docs/FORMAT.md §11): a
 * colleague's package or receipt carries the head their workstation
 * accepted. This profile checks it against the chain it read last from the
 * directory the policy names: a head at a place where that chain has
 * another entry (or a second head at the place of one kept pending) is a
 * fork. Whoever holds the organisation key showed two histories; the
 * directory then vouches for nobody on this workstation for as long as the
 * policy names that key (IT resolves a fork with a new organisation key),
 * and the audit log and the SIEM get both heads. A head beyond the chain is
 * kept and checked at the next read of the directory. The state lives in
 * the profile's settings (`directoryGossip`), tied to the key's id.
 */
import { partnerIdOf } from '../directory/partner.js';
import {
  forkAlarmOf,
  headSignedBy,
  judgeSeenHead,
  settlePending,
  signedHeadOf,
  type OwnGossip,
} from '../directory/head-gossip.js';
import type { DirectoryForked } from '../directory/errors.js';
import type { GossipHead } from '../package/gossip-head.js';
import type { VerifiedChain } from '../directory/org-directory.js';
import type { Settings } from '../store/settings.js';

export type OwnGossipOutcome = 'known' | 'ahead' | 'fork' | 'ignored';

export class OwnDirectoryGossip {
  /** The chain read last this run, or null before. */
  private chain: VerifiedChain | null = null;

  constructor(
    private readonly settings: Settings,
    /** The organisation key the policy names (base64), or null. */
    private readonly orgKey: string | null,
    /** Told of a fork found (to audit it); the alarm is already kept. */
    private readonly onFork: (fork: DirectoryForked, org: string) => void,
  ) {}

  private get org(): string | null {
    return this.orgKey === null ? null : partnerIdOf(this.orgKey);
  }

  /** Whether `head` speaks of the organisation's own directory (the key the policy names). */
  isAbout(head: GossipHead): boolean {
    return this.org !== null && head.org === this.org;
  }

  /** What is kept for this key (a state kept for an earlier key counts for nothing). */
  private kept(): OwnGossip | null {
    const kept = this.settings.get('directoryGossip');
    return kept !== null && kept.org === this.org ? kept : null;
  }

  /** The fork alarm standing for the key the policy names (both heads), or null. */
  alarm(): string | null {
    return this.kept()?.alarm ?? null;
  }

  forked(): boolean {
    return this.alarm() !== null;
  }

  /** The directory was read and verified: keep its chain, and settle the heads kept pending against it. */
  chainVerified(chain: VerifiedChain): void {
    this.chain = chain;
    const kept = this.kept();
    if (!kept || kept.alarm !== null || kept.pending.length === 0) return;
    // The settings are not sealed: only heads the key really signed count (an edited file proves nothing).
    const signed = kept.pending.filter((head) => headSignedBy(this.key(), chain.organisation, head));
    const settled = settlePending(chain.hashes, chain.head, { pending: signed });
    if ('fork' in settled) this.raise(kept, settled.fork);
    else if (settled.pending !== kept.pending)
      this.settings.set('directoryGossip', { ...kept, pending: settled.pending });
  }

  /**
   * A head a colleague carried (`signer`: the fingerprint that signed the package or receipt): known,
   * ahead (kept), a fork, or ignored when the directory does not list that signer or the key did
   * not sign the head.
   */
  check(head: GossipHead, signer: string): OwnGossipOutcome {
    const org = this.org;
    const chain = this.chain;
    if (org === null || head.org !== org || chain === null || !chain.fingerprints.has(signer)) return 'ignored';
    if (!headSignedBy(this.key(), chain.organisation, head)) return 'ignored';
    const kept = this.kept() ?? { org, pending: [], alarm: null };
    if (kept.alarm !== null) return 'fork';
    const judged = judgeSeenHead(chain.hashes, kept, signedHeadOf(head));
    if (judged.outcome === 'fork') {
      this.raise(kept, judged.fork);
      return 'fork';
    }
    if (judged.pending !== kept.pending) this.settings.set('directoryGossip', { ...kept, pending: judged.pending });
    return judged.outcome;
  }

  private key(): Buffer {
    return Buffer.from(this.orgKey!, 'base64');
  }

  private raise(kept: OwnGossip, fork: DirectoryForked): void {
    this.settings.set('directoryGossip', { ...kept, pending: [], alarm: forkAlarmOf(fork) });
    this.onFork(fork, kept.org);
  }
}
