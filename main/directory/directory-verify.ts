/**
 * Reading a `.medseal-directory` file (docs/FORMAT.md §11), in the order the
 * format gives: strict parsing within the limits; the key is the one IT
 * pinned; the chain (each entry in its place, naming its predecessor's hash,
 * each change valid for the state before it); the head names the last entry
 * and is signed by that key; it is valid now; and it extends the head this
 * reader held before (an older one is a rollback, one that does not contain
 * the held head a fork). The result is the current cards and the chain's
 * hashes, which later heads (refreshes, gossip in packages) are checked
 * against.
 */
import { z } from 'zod';
import { ed25519Verify } from '../crypto/primitives.js';
import { decodeCard, type ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { parseStrictJson } from '../validation/strict-json.js';
import {
  DIRECTORY_MAX_BYTES,
  DIRECTORY_MAX_ENTRIES,
  entryHash,
  headMessage,
  ZERO_HASH,
  type DirectoryEntry,
  type DirectoryFile,
  type DirectoryHead,
  type SignedHead,
} from './directory-log.js';
import { DirectoryExpired, DirectoryForked, DirectoryRefused, DirectoryRolledBack } from './errors.js';
import { SignedHeadSchema } from '../package/gossip-head.js';

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);
const TIME = z.iso.datetime({ offset: false, precision: 3 });
const CARD = z.string().min(1).max(16_384);
const EntrySchema = z.discriminatedUnion('op', [
  z.strictObject({ seq: z.number().int().min(1), prev: HEX64, at: TIME, op: z.literal('add'), card: CARD }),
  z.strictObject({
    seq: z.number().int().min(1),
    prev: HEX64,
    at: TIME,
    op: z.literal('replace'),
    fingerprint: HEX64,
    card: CARD,
  }),
  z.strictObject({ seq: z.number().int().min(1), prev: HEX64, at: TIME, op: z.literal('revoke'), fingerprint: HEX64 }),
]);
const FileSchema = z.strictObject({
  format: z.literal('medseal-directory'),
  v: z.literal(1),
  organisation: z.string().min(1).max(200),
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  entries: z.array(EntrySchema).max(DIRECTORY_MAX_ENTRIES),
  head: SignedHeadSchema,
});

const DAY_MS = 86_400_000;
/** Clocks differ: a head issued this far in the future is still taken. */
const CLOCK_SKEW_MS = 10 * 60_000;

/** What a reader held before for this organisation: the head it accepted, and when it was issued. */
export interface HeldHead extends DirectoryHead {
  readonly issuedAt: string;
}

export interface VerifiedDirectory {
  readonly organisation: string;
  readonly head: SignedHead;
  /** The cards now in the directory (added or replaced, not revoked). */
  readonly cards: readonly ContactCard[];
  /** Every entry's hash in order: hashes[i] is entry i + 1's (to check an older head against). */
  readonly hashes: readonly string[];
}

/**
 * Cards already decoded and checked, by their base64 text: a card's bytes decode to the same card
 * every time, so a refresh in a running app or `watch` checks only the cards that are new since the
 * last one (5,000 card signatures take about 1.5 s). Bounded: beyond it, the oldest are forgotten.
 */
const decodedCards = new Map<string, ContactCard>();
const DECODED_CARDS_KEPT = 50_000;

function decodeCached(base64: string): ContactCard {
  const known = decodedCards.get(base64);
  if (known) return known;
  const card = decodeCard(Buffer.from(base64, 'base64'));
  if (decodedCards.size >= DECODED_CARDS_KEPT) decodedCards.delete(decodedCards.keys().next().value!);
  decodedCards.set(base64, card);
  return card;
}

/** Entries folded between two chances for other work, in the yielding check (about 10 ms of card checks). */
const ENTRIES_PER_STEP = 32;

type Folded = { cards: Map<string, ContactCard>; hashes: string[] };

/**
 * The current cards after each change, checking that each change fits the state before it; yields
 * every few entries so that a caller on a busy thread can let other work run between them.
 */
function* folding(entries: readonly DirectoryEntry[]): Generator<void, Folded> {
  const cards = new Map<string, ContactCard>();
  const fingerprintByEmail = new Map<string, string>();
  const hashes: string[] = [];
  const decoded = (base64: string) => {
    try {
      return decodeCached(base64);
    } catch (error) {
      if (isMedSealError(error)) throw new DirectoryRefused('malformed'); // CardMalformed, CardSignatureInvalid
      throw error;
    }
  };
  for (const [index, entry] of entries.entries()) {
    if (index % ENTRIES_PER_STEP === ENTRIES_PER_STEP - 1) yield;
    if (entry.seq !== index + 1 || entry.prev !== (hashes[index - 1] ?? ZERO_HASH))
      throw new DirectoryRefused('broken-chain', { seq: index + 1 });
    if (entry.op === 'revoke') {
      const revoked = cards.get(entry.fingerprint);
      if (!revoked) throw new DirectoryRefused('malformed');
      cards.delete(entry.fingerprint);
      fingerprintByEmail.delete(revoked.profile.email);
    } else {
      const card = decoded(entry.card);
      const fingerprint = fingerprintHex(card.fingerprint);
      if (entry.op === 'replace') {
        const replaced = cards.get(entry.fingerprint);
        // A replacement is the same person's new card: same e-mail, other keys.
        if (!replaced || replaced.profile.email !== card.profile.email || entry.fingerprint === fingerprint)
          throw new DirectoryRefused('malformed');
        cards.delete(entry.fingerprint);
        fingerprintByEmail.delete(replaced.profile.email);
      }
      // One card per e-mail address, and each card once.
      if (cards.has(fingerprint) || fingerprintByEmail.has(card.profile.email)) throw new DirectoryRefused('malformed');
      cards.set(fingerprint, card);
      fingerprintByEmail.set(card.profile.email, fingerprint);
    }
    hashes.push(entryHash(entry));
  }
  return { cards, hashes };
}

/** The fold run to its end at once. */
function fold(entries: readonly DirectoryEntry[]): Folded {
  const steps = folding(entries);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The fold with a turn of the event loop between steps (the app's main process stays responsive). */
async function foldYielding(entries: readonly DirectoryEntry[]): Promise<Folded> {
  const steps = folding(entries);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Checks a directory file against the pinned key and, when given, the head held before; throws
 * DirectoryRefused, DirectoryExpired, DirectoryRolledBack or DirectoryForked (naming both heads).
 */
export function verifyDirectory(
  bytes: Uint8Array,
  pinnedKey: Uint8Array,
  held: HeldHead | null,
  now = new Date(),
): VerifiedDirectory {
  const file = parsedFile(bytes, pinnedKey);
  return checkedHead(file, fold(file.entries), pinnedKey, held, now);
}

/**
 * The same check, letting other work run between steps of the fold (a partner's 5,000 new cards
 * take about 1.5 s to check): for the app's main process and `watch`, whose event loop must not
 * stop that long. The file's parsing is one step (about 0.1 s for 5,000 cards).
 */
export async function verifyDirectoryYielding(
  bytes: Uint8Array,
  pinnedKey: Uint8Array,
  held: HeldHead | null,
  now = new Date(),
): Promise<VerifiedDirectory> {
  const file = parsedFile(bytes, pinnedKey);
  return checkedHead(file, await foldYielding(file.entries), pinnedKey, held, now);
}

function parsedFile(bytes: Uint8Array, pinnedKey: Uint8Array): DirectoryFile {
  if (bytes.length > DIRECTORY_MAX_BYTES) throw new DirectoryRefused('too-large');
  const parsed = parseStrictJson(Buffer.from(bytes).toString('utf8'), FileSchema);
  if (!parsed.ok) throw new DirectoryRefused('malformed');
  const file: DirectoryFile = parsed.value;
  if (!Buffer.from(file.key, 'base64').equals(Buffer.from(pinnedKey))) throw new DirectoryRefused('wrong-key');
  return file;
}

/** The head against the folded chain, the key, the clock and the head held before. */
function checkedHead(
  file: DirectoryFile,
  { cards, hashes }: Folded,
  pinnedKey: Uint8Array,
  held: HeldHead | null,
  now: Date,
): VerifiedDirectory {
  const { head } = file;
  if (head.seq !== file.entries.length || head.hash !== (hashes.at(-1) ?? ZERO_HASH))
    throw new DirectoryRefused('head-mismatch');
  if (!ed25519Verify(pinnedKey, headMessage(file.organisation, head), Buffer.from(head.signature, 'hex')))
    throw new DirectoryRefused('not-signed');
  const issued = Date.parse(head.issuedAt);
  const until = Date.parse(head.validUntil);
  if (until <= issued || until - issued > 366 * DAY_MS || issued > now.getTime() + CLOCK_SKEW_MS)
    throw new DirectoryRefused('bad-validity');
  if (until <= now.getTime()) throw new DirectoryExpired(head.validUntil);
  if (held) {
    if (head.seq < held.seq || (head.seq === held.seq && head.issuedAt < held.issuedAt))
      throw new DirectoryRolledBack(held, head);
    if (held.seq > 0 && hashes[held.seq - 1] !== held.hash) throw new DirectoryForked(held, head);
  }
  return { organisation: file.organisation, head, cards: [...cards.values()], hashes };
}

/**
 * A head seen elsewhere (carried in a package, FORMAT.md §2.4) against the chain a reader holds:
 * 'known' when the chain has it, 'ahead' when it is newer than the chain (checked at the next
 * refresh), 'fork' when the chain has another entry at that place.
 */
export function compareHead(hashes: readonly string[], seen: DirectoryHead): 'known' | 'ahead' | 'fork' {
  if (seen.seq > hashes.length) return 'ahead';
  return hashAt(hashes, seen.seq) === seen.hash ? 'known' : 'fork';
}

/** The chain's hash at place `seq` (within it): ZERO_HASH for the empty log's place 0. */
export function hashAt(hashes: readonly string[], seq: number): string {
  return seq === 0 ? ZERO_HASH : hashes[seq - 1]!;
}
