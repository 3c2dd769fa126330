/**
 * Gossip of directory heads (docs/FORMAT.md §11): every package carries,
 * inside its signed metadata, the head of the sender's own organisation's
 * directory as the sender's workstation accepted it, with the directory key's
 * signature. A reader that holds that organisation's directory (its own, or
 * a partner's) checks the head against its chain: a head signed by the same
 * key at a place where its chain has another entry is a fork, proved by the
 * two signatures. The partner then vouches for nobody (the same alarm as a
 * fork found by fetching), and the audit log and the SIEM get both heads.
 * Only the sender's own organisation's head counts, and only from a sender
 * that organisation vouches for: nobody else can raise an alarm about it.
 */
import { ed25519Verify } from '../crypto/primitives.js';
import { headMessage, type SignedHead } from '../directory/directory-log.js';
import { compareHead, verifyDirectory } from '../directory/directory-verify.js';
import { DirectoryForked } from '../directory/errors.js';
import { partnerIdOf } from '../directory/partner.js';
import type { SenderTrust } from '../contacts/contact-record.js';
import type { GossipHead } from '../package/gossip-head.js';
import type { ProfileSession } from './profile-session.js';
import { partnersInEffect } from './partner-organisations.js';

/** What sealing carries: the own organisation's head, when the policy names its key and one was accepted. */
export function ownDirectoryHead(session: ProfileSession): GossipHead | null {
  const key = session.policy.effective.orgPublicKey;
  const head = session.ownDirectoryHead();
  if (!key || !head) return null;
  return { org: partnerIdOf(key), ...head };
}

export type GossipOutcome = 'none' | 'known' | 'ahead' | 'fork' | 'ignored';

/**
 * Checks the head a package's sender carried (after the package verified), against the partner
 * organisation that vouches for that sender. A fork becomes that partner's alarm and is audited.
 */
export function checkGossip(
  session: ProfileSession,
  head: GossipHead | null,
  trust: SenderTrust,
  now = new Date(),
): GossipOutcome {
  if (!head) return 'none';
  if (trust.kind !== 'partner-vouched') return 'ignored'; // only a partner's own clinician speaks for it
  const profile = session.requireUnlocked();
  const rows = profile.partners.list();
  const partner = partnersInEffect(session.policy.effective, rows).find(
    (entry) => entry.partner.name === trust.contact.vouchedBy && partnerIdOf(entry.partner.key) === head.org,
  );
  const stored = partner && rows.find((row) => row.id === head.org);
  if (!partner || !stored?.directory || !stored.state.head) return 'ignored';
  const key = Buffer.from(partner.partner.key, 'base64');
  const held = verifyDirectory(stored.directory, key, null, now);
  // The head must be the directory key's own statement: a clinician cannot make up one.
  const signed: SignedHead = head;
  if (!ed25519Verify(key, headMessage(held.organisation, signed), Buffer.from(head.signature, 'hex'))) return 'ignored';
  const outcome = compareHead(held.hashes, head);
  if (outcome !== 'fork') return outcome;
  const problem = new DirectoryForked({ seq: held.head.seq, hash: held.head.hash }, { seq: head.seq, hash: head.hash });
  profile.partners.update(head.org, {
    ...stored.state,
    alarm: `${held.head.seq}:${held.head.hash}/${head.seq}:${head.hash}`,
    lastProblem: problem.code,
  });
  profile.recordDirectoryRefused(problem, head.org);
  return 'fork';
}
