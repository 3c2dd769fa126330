/**
 * What a reader concludes from a directory head it saw elsewhere (carried
 * in a package or a receipt: "gossip", docs/FORMAT.md §11), against the
 * chain it holds for that organisation. A head the chain has is known; one
 * at a place where the chain has another entry is a fork. One beyond the
 * chain cannot be judged yet: it is kept ("pending", one per place, up to
 * PENDING_HEADS_KEPT) and checked against the next chain the reader
 * accepts, so a history shown to someone else is caught at the reader's
 * next refresh. Two signed heads at the same place with different hashes
 * are a fork without any chain.
 * Plain logic: the services keep the state (a partner's row, the profile's
 * settings for its own organisation) and raise the alarm.
 */
import { z } from 'zod';
import { ed25519Verify } from '../crypto/primitives.js';
import { headMessage, type DirectoryHead, type SignedHead } from './directory-log.js';
import { compareHead, hashAt } from './directory-verify.js';
import { DirectoryForked } from './errors.js';
import { SignedHeadSchema } from '../package/gossip-head.js';

/** What a reader keeps per organisation between gossip and its next accepted chain. */
export interface GossipMemory {
  /** Signed heads seen beyond the chain held, one per place, in the order of their places. */
  readonly pending: readonly SignedHead[];
}

/**
 * Heads kept at most per organisation: one per place between two refreshes is plenty for honest
 * traffic; beyond it a new head is not kept (the evidence kept first stays).
 */
export const PENDING_HEADS_KEPT = 32;

/**
 * What a profile keeps about its own organisation's directory between gossip and the next read:
 * for which directory key (`org`, its id), the head pending, and the fork alarm while it stands.
 */
export interface OwnGossip extends GossipMemory {
  readonly org: string;
  readonly alarm: string | null;
}

export const OwnGossipSchema = z.strictObject({
  org: z.string().regex(/^[0-9a-f]{64}$/),
  pending: z.array(SignedHeadSchema).max(PENDING_HEADS_KEPT),
  alarm: z.string().max(300).nullable(),
});

/** Only the head's own members, in their order (a head carried in a package also names its organisation). */
export function signedHeadOf(head: SignedHead): SignedHead {
  return {
    seq: head.seq,
    hash: head.hash,
    issuedAt: head.issuedAt,
    validUntil: head.validUntil,
    signature: head.signature,
  };
}

/** Whether the organisation's directory key signed this head (over its name, FORMAT.md §11). */
export function headSignedBy(key: Uint8Array, organisation: string, head: SignedHead): boolean {
  return ed25519Verify(key, headMessage(organisation, head), Buffer.from(head.signature, 'hex'));
}

function entryAt(hashes: readonly string[], seq: number): DirectoryHead {
  return { seq, hash: hashAt(hashes, seq) };
}

export type HeadJudgement =
  | { readonly outcome: 'known' | 'ahead'; readonly pending: readonly SignedHead[] }
  | { readonly outcome: 'fork'; readonly fork: DirectoryForked };

/** A signed head seen in a package or receipt (its signature checked by the caller), against the chain held. */
export function judgeSeenHead(hashes: readonly string[], memory: GossipMemory, seen: SignedHead): HeadJudgement {
  const compared = compareHead(hashes, seen);
  if (compared === 'fork') return { outcome: 'fork', fork: new DirectoryForked(entryAt(hashes, seen.seq), seen) };
  if (compared === 'known') return { outcome: 'known', pending: memory.pending };
  const there = memory.pending.find((kept) => kept.seq === seen.seq);
  if (there && there.hash !== seen.hash) return { outcome: 'fork', fork: new DirectoryForked(there, seen) };
  if (there || memory.pending.length >= PENDING_HEADS_KEPT) return { outcome: 'ahead', pending: memory.pending };
  const pending = [...memory.pending, signedHeadOf(seen)].sort((a, b) => a.seq - b.seq);
  return { outcome: 'ahead', pending };
}

/**
 * The pending heads against a chain just accepted (with its head): those the chain has are settled,
 * those beyond it stay; one at a place where the chain has another entry is a fork, and so is one
 * beyond the chain but signed before the chain's head (an append-only log never signs a shorter
 * history after a longer one: a reader kept on an old history by re-signing it).
 */
export function settlePending(
  hashes: readonly string[],
  head: { readonly seq: number; readonly hash: string; readonly issuedAt: string },
  memory: GossipMemory,
): { readonly pending: readonly SignedHead[] } | { readonly fork: DirectoryForked } {
  const left: SignedHead[] = [];
  for (const kept of memory.pending) {
    const compared = compareHead(hashes, kept);
    if (compared === 'fork') return { fork: new DirectoryForked(entryAt(hashes, kept.seq), kept) };
    if (compared === 'ahead' && kept.issuedAt < head.issuedAt) return { fork: new DirectoryForked(head, kept) };
    if (compared === 'ahead') left.push(kept);
  }
  return { pending: left.length === memory.pending.length ? memory.pending : left };
}
/** The alarm text kept while a fork stands: both heads, "seq:hash/seq:hash". */
export function forkAlarmOf(fork: DirectoryForked): string {
  return `${fork.held.seq}:${fork.held.hash}/${fork.offered.seq}:${fork.offered.hash}`;
}
