/**
 * The directory head a package carries (docs/FORMAT.md §11, "Gossip"): the
 * head of the sender's own organisation's directory as the sender's
 * workstation last accepted it, with the directory key's signature, inside
 * the signed metadata. A reader that holds that organisation's directory
 * compares it with its own chain: two heads signed by the same key that do
 * not lie on one history are a fork, proved by the two signatures, without
 * any server. The member is plain data here; directory/ checks it, and
 * reads its own files' heads with the same SignedHeadSchema.
 */
import { z } from 'zod';

export interface GossipHead {
  /** The organisation's id: SHA-256("MEDSEAL-v1-partner-id" || directory key), hex (directory/partner.ts). */
  readonly org: string;
  readonly seq: number;
  readonly hash: string;
  readonly issuedAt: string;
  readonly validUntil: string;
  /** The directory key's signature over the head (FORMAT.md §11). */
  readonly signature: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const TIME = z.iso.datetime({ offset: false, precision: 3 });

/** A directory head as the directory key signs it (FORMAT.md §11): in a directory file, or kept by a reader. */
export const SignedHeadSchema = z.strictObject({
  seq: z.number().int().min(0),
  hash: z.string().regex(HEX64),
  issuedAt: TIME,
  validUntil: TIME,
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});

/** A head carried in a package or receipt: which organisation's, and a place a directory can have. */
export const GossipHeadSchema = z.strictObject({
  org: z.string().regex(HEX64),
  ...SignedHeadSchema.shape,
  seq: z.number().int().min(0).max(200_000),
});

/** Its members in the one order the metadata's canonical form has. */
export function canonicalGossipHead(head: GossipHead): GossipHead {
  return {
    org: head.org,
    seq: head.seq,
    hash: head.hash,
    issuedAt: head.issuedAt,
    validUntil: head.validUntil,
    signature: head.signature,
  };
}
