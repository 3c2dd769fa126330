/**
 * Inbox announcements (docs/FORMAT.md §5.4): the file `.medseal-inbox` in an
 * inbox, signed by the identity whose fingerprint names it. Senders deliver
 * only where they find one that verifies under the recipient's card, so a
 * folder someone else made in a recipient's name (to swallow referrals
 * while the sender sees "delivered") is not taken for their inbox.
 *
 *   "MEDSEAL-INBOX1\n" (15) || signature (64) || body
 *   signature = Ed25519(identity, "MEDSEAL-v1-inbox" || body)
 *   body      = canonical JSON {"v":1,"fingerprint":…,"at":…}
 */
import { ed25519Sign, ed25519Verify } from '../crypto/primitives.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';

export const ANNOUNCEMENT_FILE = '.medseal-inbox';
export const ANNOUNCEMENT_MAX_BYTES = 512;
const MAGIC = Buffer.from('MEDSEAL-INBOX1\n', 'ascii');
const CONTEXT = Buffer.from('MEDSEAL-v1-inbox', 'ascii');

function body(fingerprint: string, at: string): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, fingerprint, at }), 'utf8');
}

export function createAnnouncement(identity: UnlockedIdentity, now = new Date()): Buffer {
  const text = body(fingerprintHex(identity.card.fingerprint), now.toISOString());
  return Buffer.concat([MAGIC, ed25519Sign(identity.signingSecretKey, Buffer.concat([CONTEXT, text])), text]);
}

/** Whether `bytes` is an announcement by `card` of its own inbox. */
export function verifyAnnouncement(card: ContactCard, bytes: Uint8Array | null): boolean {
  if (!bytes || bytes.length > ANNOUNCEMENT_MAX_BYTES || bytes.length < MAGIC.length + 64 + 2) return false;
  const data = Buffer.from(bytes);
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return false;
  const signature = data.subarray(MAGIC.length, MAGIC.length + 64);
  const text = data.subarray(MAGIC.length + 64);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch {
    return false;
  }
  const { fingerprint, at } = (parsed ?? {}) as { fingerprint?: unknown; at?: unknown };
  if (fingerprint !== fingerprintHex(card.fingerprint) || typeof at !== 'string' || !body(fingerprint, at).equals(text)) return false;
  return ed25519Verify(card.signingKey, Buffer.concat([CONTEXT, text]), signature);
}
