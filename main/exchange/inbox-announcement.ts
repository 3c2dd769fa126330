/**
 * Inbox announcements (docs/FORMAT.md §5.4): the file `.medseal-inbox` in an
 * inbox, signed by the identity whose fingerprint names it. Senders deliver
 * only where they find one that verifies under the recipient's card, so a
 * folder someone else made in a recipient's name (to swallow referrals
 * while the sender sees "delivered") is not taken for their inbox.
 *
 * An announcement is bound to its exchange and to the account that owns the
 * inbox, and it expires: copied to another exchange, or found in a folder
 * another account made, or left stale, it reaches nobody.
 *
 *   "MEDSEAL-INBOX2\n" (15) || signature (64) || body
 *   signature = Ed25519(identity, "MEDSEAL-v2-inbox" || body)
 *   body      = canonical JSON {"v":2,"fingerprint":…,"exchange":…,"owner":…,"at":…,"expires":…}
 */
import { ed25519Sign, ed25519Verify } from '../crypto/primitives.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';

export const ANNOUNCEMENT_FILE = '.medseal-inbox';
export const ANNOUNCEMENT_MAX_BYTES = 512;
const MAGIC = Buffer.from('MEDSEAL-INBOX2\n', 'ascii');
const CONTEXT = Buffer.from('MEDSEAL-v2-inbox', 'ascii');
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long an announcement is good for; MedSeal makes a new one while it runs, well before. */
export const ANNOUNCEMENT_LIFETIME_DAYS = 30;
/** An announcement with fewer days left than this is made anew by its owner. */
export const ANNOUNCEMENT_REFRESH_DAYS = 20;
/** Clocks differ: an announcement dated up to this far ahead is still taken. */
const CLOCK_SKEW_MS = DAY_MS;

/**
 * What an exchange is, as an announcement names it: `sftp:SHA256:…` (the server's pinned host
 * key) or `folder:<id>` (the random id in the exchange folder's `.medseal-exchange`).
 */
export type ExchangeBinding = string;

/** An announcement as found on an exchange, with the owner of the inbox folder it is in. */
export interface FoundAnnouncement {
  readonly bytes: Uint8Array;
  /** The user id owning the inbox folder; null where the exchange has no such ids (Windows shares). */
  readonly ownerUid: number | null;
}

interface Body {
  readonly v: 2;
  readonly fingerprint: string;
  readonly exchange: ExchangeBinding;
  readonly owner: number | null;
  readonly at: string;
  readonly expires: string;
}

function encode(body: Body): Buffer {
  const { v, fingerprint, exchange, owner, at, expires } = body; // this key order is the canonical one
  return Buffer.from(JSON.stringify({ v, fingerprint, exchange, owner, at, expires }), 'utf8');
}

/** A new announcement of this identity's inbox on `exchange`, owned there by account `owner`. */
export function createAnnouncement(
  identity: UnlockedIdentity,
  exchange: ExchangeBinding,
  owner: number | null,
  now = new Date(),
): Buffer {
  const expires = new Date(now.getTime() + ANNOUNCEMENT_LIFETIME_DAYS * DAY_MS);
  const text = encode({
    v: 2,
    fingerprint: fingerprintHex(identity.card.fingerprint),
    exchange,
    owner,
    at: now.toISOString(),
    expires: expires.toISOString(),
  });
  return Buffer.concat([MAGIC, ed25519Sign(identity.signingSecretKey, Buffer.concat([CONTEXT, text])), text]);
}

/** Why an inbox does not count as the card's inbox on this exchange. */
export type AnnouncementProblem =
  /** none there, or not a signed announcement of this card (also: the old, unbound kind) */
  | 'missing'
  /** made for another exchange (copied here) */
  | 'other-exchange'
  /** the inbox folder belongs to another account than the one the card's owner announced */
  | 'owner'
  /** past its expiry, or dated in the future */
  | 'expired';

export type AnnouncementCheck =
  { readonly ok: true; readonly expires: Date } | { readonly ok: false; readonly problem: AnnouncementProblem };

/** Whether `found` is `card`'s announcement of its own inbox on the exchange `binding`, valid at `now`. */
export function checkAnnouncement(
  card: ContactCard,
  found: FoundAnnouncement | null,
  binding: ExchangeBinding | null,
  now = new Date(),
): AnnouncementCheck {
  const body = signedBody(card, found?.bytes ?? null);
  if (body === null) return { ok: false, problem: 'missing' };
  if (binding === null || body.exchange !== binding) return { ok: false, problem: 'other-exchange' };
  // Owners are compared where both sides have user ids; an announcement from a Windows workstation
  // (owner null), or one read from a share without ids, rests on its signature, exchange and expiry.
  if (body.owner !== null && found!.ownerUid !== null && body.owner !== found!.ownerUid)
    return { ok: false, problem: 'owner' };
  const at = Date.parse(body.at);
  const expires = Date.parse(body.expires);
  if (!(at <= now.getTime() + CLOCK_SKEW_MS) || !(expires > now.getTime())) return { ok: false, problem: 'expired' };
  return { ok: true, expires: new Date(expires) };
}

/** Whether an owner should make its announcement anew (missing, wrong, or due to expire soon). */
export function needsRefresh(check: AnnouncementCheck, now = new Date()): boolean {
  return !check.ok || check.expires.getTime() - now.getTime() < ANNOUNCEMENT_REFRESH_DAYS * DAY_MS;
}

/** The body of an announcement signed by `card` naming its own fingerprint, or null. */
function signedBody(card: ContactCard, bytes: Uint8Array | null): Body | null {
  if (!bytes || bytes.length > ANNOUNCEMENT_MAX_BYTES || bytes.length < MAGIC.length + 64 + 2) return null;
  const data = Buffer.from(bytes);
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const signature = data.subarray(MAGIC.length, MAGIC.length + 64);
  const text = data.subarray(MAGIC.length + 64);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  const body = (parsed ?? {}) as Partial<Body>;
  if (body.v !== 2 || body.fingerprint !== fingerprintHex(card.fingerprint)) return null;
  if (typeof body.exchange !== 'string' || typeof body.at !== 'string' || typeof body.expires !== 'string') return null;
  if (body.owner !== null && !Number.isSafeInteger(body.owner)) return null;
  const canonical = body as Body;
  if (!encode(canonical).equals(text)) return null;
  return ed25519Verify(card.signingKey, Buffer.concat([CONTEXT, text]), signature) ? canonical : null;
}
