/**
 * Each MedSeal keeps its own inbox on every exchange it uses, with a signed
 * announcement (exchange/inbox-announcement.ts): that is how senders learn
 * the exchange reaches it.
 */
import { createAnnouncement, verifyAnnouncement } from '../../exchange/inbox-announcement.js';
import type { Transport } from '../../exchange/transport.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { UnlockedIdentity } from '../../identity/unlocked-identity.js';

/** Makes sure this identity's own inbox on `transport` exists and carries a valid announcement. */
export async function announceSelf(transport: Transport, identity: UnlockedIdentity): Promise<void> {
  const me = fingerprintHex(identity.card.fingerprint);
  if (!verifyAnnouncement(identity.card, await transport.announcement(me))) await transport.announce(me, createAnnouncement(identity));
}
