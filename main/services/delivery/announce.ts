/**
 * Each MedSeal keeps its own inbox on every exchange it uses, with a signed
 * announcement (exchange/inbox-announcement.ts): that is how senders learn
 * the exchange reaches it. The announcement names the exchange and the
 * account that owns the inbox there, and expires; it is made anew while
 * MedSeal runs, well before it does.
 */
import {
  checkAnnouncement,
  createAnnouncement,
  needsRefresh,
  type AnnouncementCheck,
  type AnnouncementProblem,
} from '../../exchange/inbox-announcement.js';
import type { Transport } from '../../exchange/transport.js';
import type { ContactCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { UnlockedIdentity } from '../../identity/unlocked-identity.js';
import { ExchangeIdMissing } from './errors.js';

/**
 * Makes sure this identity's own inbox on `transport` is its own (InboxTakenByOtherAccount when
 * another account made it) and carries a valid announcement that is not about to expire.
 */
export async function announceSelf(transport: Transport, identity: UnlockedIdentity, now = new Date()): Promise<void> {
  if (transport.kind === 'email') return; // a mailbox is reached by its address: nothing to announce
  const me = fingerprintHex(identity.card.fingerprint);
  const owner = await transport.claimInbox(me);
  const binding = await transport.binding(true);
  if (binding === null) throw new ExchangeIdMissing(transport.name);
  if (needsRefresh(checkAnnouncement(identity.card, await transport.announcement(me), binding, now), now)) {
    await transport.announce(me, createAnnouncement(identity, binding, owner, now));
  }
}

/** Whether `card`'s inbox on `transport` is theirs, announced for this very exchange, and current. */
export async function inboxOn(transport: Transport, card: ContactCard, now = new Date()): Promise<AnnouncementCheck> {
  const binding = await transport.binding(false);
  return checkAnnouncement(card, await transport.announcement(fingerprintHex(card.fingerprint)), binding, now);
}

export type { AnnouncementProblem };
