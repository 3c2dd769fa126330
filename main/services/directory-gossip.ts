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
import type { ContactRecord, SenderTrust } from '../contacts/contact-record.js';
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

/** Who may speak about a directory, from how a package's sender was judged: only one it vouches for. */
export function speakerOf(trust: SenderTrust): ContactRecord | null {
  return trust.kind === 'org-verified' || trust.kind === 'partner-vouched' ? trust.contact : null;
}

/**
 * Checks the head a package's sender or a receipt's signer carried (after its signature verified),
 * `speaker` being that person as the contact book holds them: a colleague the organisation's own
 * directory vouches for speaks about it (own-directory-gossip.ts), a partner's clinician about that
 * partner. A fork becomes that directory's alarm and is audited; a head beyond the chain held is
 * kept for the next refresh.
 */
export async function checkGossip(
  session: ProfileSession,
  head: GossipHead | null,
  speaker: ContactRecord | null,
  now = new Date(),
): Promise<GossipOutcome> {
  if (!head) return 'none';
  if (speaker?.state === 'org-verified') return session.ownDirectoryGossip()?.check(head) ?? 'ignored';
  if (speaker?.state !== 'partner-vouched') return 'ignored'; // only a partner's own clinician speaks for it
  const profile = session.requireUnlocked();
  const rows = profile.partners.list();
  const partner = partnersInEffect(session.policy.effective, rows).find(
    (entry) => entry.partner.name === speaker.vouchedBy && partnerIdOf(entry.partner.key) === head.org,
  );
  const stored = partner && rows.find((row) => row.id === head.org);
  if (stored?.state.alarm) return 'fork';
  if (!partner || !vouching(stored, now)) return 'ignored'; // none held, or expired meanwhile
  const key = Buffer.from(partner.partner.key, 'base64');
  const held = await checkedPartnerDirectory(stored, partner.partner.key, now);
  // The head must be the directory key's own statement: a clinician cannot make up one.
  if (!headSignedBy(key, held.organisation, head)) return 'ignored';
  const judged = judgeSeenHead(held.hashes, { pending: stored.state.pending ?? null }, signedHeadOf(head));
  if (judged.outcome !== 'fork') {
    if (judged.pending !== (stored.state.pending ?? null))
      profile.partners.update(head.org, { ...stored.state, pending: judged.pending });
    return judged.outcome;
  }
  profile.partners.update(head.org, {
    ...stored.state,
    pending: null,
    alarm: forkAlarmOf(judged.fork),
    lastProblem: judged.fork.code,
  });
  profile.recordDirectoryRefused(judged.fork, head.org);
  return 'fork';
}
