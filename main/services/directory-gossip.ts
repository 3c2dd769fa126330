/**
 * Gossip of directory heads (docs/FORMAT.md §11): every package and receipt
 * carries, inside its signed part, the head of its signer's own
 * organisation's directory as the signer's workstation accepted it, with the
 * directory key's signature. A reader that holds that organisation's
 * directory (its own, or a partner's) checks the head against its chain
 * (directory/head-gossip.ts): a head signed by the same key at a place where
 * its chain has another entry is a fork, proved by the two signatures. That
 * directory then vouches for nobody (the same alarm as a fork found by
 * fetching), and the audit log and the SIEM get both heads. A head beyond
 * the chain is kept and checked at the next refresh. Only the signer's own
 * organisation's head counts, and only from a signer that organisation
 * vouches for: nobody else can raise an alarm about it.
 */
import { forkAlarmOf, headSignedBy, judgeSeenHead, signedHeadOf } from '../directory/head-gossip.js';
import { partnerIdOf } from '../directory/partner.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { DirectoryProblem } from '../directory/errors.js';
import type { GossipHead } from '../package/gossip-head.js';
import type { ProfileSession } from './profile-session.js';
import { checkedPartnerDirectory, partnersInEffect, vouching } from './partner-organisations.js';

/** What sealing carries: the own organisation's head, when the policy names its key and one was accepted. */
export function ownDirectoryHead(session: ProfileSession): GossipHead | null {
  const key = session.policy.effective.orgPublicKey;
  const head = session.ownDirectoryHead();
  if (!key || !head) return null;
  return { org: partnerIdOf(key), ...head };
}

export type GossipOutcome = 'none' | 'known' | 'ahead' | 'fork' | 'ignored';

/**
 * Checks the head a package's sender or a receipt's signer carried (after its signature verified),
 * `signer` being the card that signed it. Only a signer the directory in question lists may speak
 * about it, whatever the contact book says of them (a partner's clinician verified by safety number
 * too still speaks): a colleague about the organisation's own directory (own-directory-gossip.ts),
 * a partner's clinician about that partner. A fork becomes that directory's alarm and is audited; a
 * head beyond the chain held is kept for the next refresh. A stored directory that cannot be
 * checked now (the clock went back, it no longer matches its head) hears nothing: 'ignored'.
 */
export async function checkGossip(
  session: ProfileSession,
  head: GossipHead | null,
  signer: ContactCard,
  now = new Date(),
): Promise<GossipOutcome> {
  if (!head) return 'none';
  const signerFingerprint = fingerprintHex(signer.fingerprint);
  const own = session.ownDirectoryGossip();
  if (own?.isAbout(head)) return own.check(head, signerFingerprint);
  const profile = session.requireUnlocked();
  const stored = profile.partners.find(head.org); // that partner's row alone, not every directory
  const partner = partnersInEffect(session.policy.effective, stored ? [stored] : []).find(
    (entry) => partnerIdOf(entry.partner.key) === head.org,
  );
  if (!partner || !stored) return 'ignored';
  if (stored.state.alarm) return 'fork';
  if (!vouching(stored, now)) return 'ignored'; // none held, or expired meanwhile
  let held;
  try {
    held = await checkedPartnerDirectory(stored, partner.partner.key, now);
  } catch (error) {
    if (error instanceof DirectoryProblem) return 'ignored'; // it vouches for nobody now either (partnerCardsOf)
    throw error;
  }
  if (!held.cards.some((card) => fingerprintHex(card.fingerprint) === signerFingerprint)) return 'ignored';
  // The head must be the directory key's own statement: a clinician cannot make up one.
  if (!headSignedBy(Buffer.from(partner.partner.key, 'base64'), held.organisation, head)) return 'ignored';
  // The row as it is now: a refresh may have written it while the directory was checked.
  const current = profile.partners.find(head.org)?.state ?? stored.state;
  if (current.alarm) return 'fork';
  const kept = current.pending ?? [];
  const judged = judgeSeenHead(held.hashes, { pending: kept }, signedHeadOf(head));
  if (judged.outcome !== 'fork') {
    if (judged.pending !== kept) profile.partners.update(head.org, { ...current, pending: judged.pending });
    return judged.outcome;
  }
  profile.partners.update(head.org, {
    ...current,
    pending: [],
    alarm: forkAlarmOf(judged.fork),
    lastProblem: judged.fork.code,
  });
  profile.recordDirectoryRefused(judged.fork, head.org);
  return 'fork';
}
