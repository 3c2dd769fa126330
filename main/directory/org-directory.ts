/**
 * Reading the organisation directory: the log (FORMAT.md §11) where it
 * exists, else the earlier form, which IT's tools no longer write (they
 * start a log from it: org-log.ts; tests write it with
 * test/helpers/earlier-directory.ts). The earlier form: partner cards vetted once by IT. An
 * organisation admin key (Ed25519) signs each card; the signed cards and a
 * signed revocation list live in a shared folder:
 *
 *   <dir>/cards/<fingerprint>.medseal-org-card   {"card", "signedAt", "signature"}
 *   <dir>/revoked.json                            {"revoked": [...], "updatedAt", "validUntil", "signature"}
 *
 * Clients given the organisation's public key by policy treat these cards as
 * "verified by your organisation". A card whose signature does not verify is
 * ignored and reported; if the revocation list itself does not verify or
 * has expired (revocation-list.ts), no directory card is trusted at all
 * (fail closed).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ed25519Verify } from '../crypto/primitives.js';
import { decodeCard, type ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { readRevocations } from './revocation-list.js';
import { NotARegularFileThere, readRegularFile } from '../fs/open-regular-file.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { isNodeError, isSystemError } from '../errors/node-error.js';
import { DirectoryProblem } from './errors.js';
import type { SignedHead } from './directory-log.js';
import { verifyDirectory, type HeldHead } from './directory-verify.js';
import { readOrgLog } from './org-log-file.js';

/** A signed card file is a few KiB; anything far larger is not read. */
const CARD_MAX_BYTES = 256 * 1024;

export { readRevocations, type RevocationList } from './revocation-list.js';

const CARD_CONTEXT = Buffer.from('MEDSEAL-v1-org-card', 'ascii');
export const ORG_CARD_EXTENSION = '.medseal-org-card';

const SignedCardSchema = z.strictObject({
  card: z.string().max(8192),
  signedAt: z.iso.datetime({ offset: false }),
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});

/** What a card file's signature covers (loadDirectory; test/helpers/earlier-directory.ts writes card files with it). */
export function cardMessage(cardBytes: Uint8Array, signedAt: string): Buffer {
  return Buffer.concat([CARD_CONTEXT, Buffer.from(signedAt, 'ascii'), Buffer.from([0]), cardBytes]);
}

/** A log as it verified: what heads seen elsewhere are checked against (gossip), and who it lists. */
export interface VerifiedChain {
  readonly organisation: string;
  readonly hashes: readonly string[];
  readonly head: SignedHead;
  /** The fingerprints (hex) of the cards it lists now: only they may speak about it. */
  readonly fingerprints: ReadonlySet<string>;
}

export interface DirectoryContents {
  readonly cards: readonly ContactCard[];
  /** The log's head when the directory is a log (docs/FORMAT.md §11), to remember; null otherwise. */
  readonly head: SignedHead | null;
  /** The log's organisation and every entry's hash, to check heads seen elsewhere against (gossip); null otherwise. */
  readonly chain: VerifiedChain | null;
  /** Why the log was refused (rolled back, forked, expired, not signed…); null when accepted or not a log. */
  readonly refusal: DirectoryProblem | null;
  /** The accepted revocation list's time (to remember, so that an older list is refused later); null when none was accepted. */
  readonly revocationsUpdatedAt: string | null;
  /** Until when the accepted list is valid (for the health check's warning); null when none was accepted. */
  readonly revocationsValidUntil: string | null;
  /** Files that were ignored, and why (for the health check). */
  readonly warnings: readonly string[];
}

/**
 * Client side: the valid, unrevoked cards of the directory. A directory that IT has moved to the
 * log (`directory.medseal-directory`, org-log.ts) is read from it, checked against the head held
 * before (`held`: no rollback, no fork); one still in the earlier form (card files and
 * `revoked.json`) is read as before.
 */
export async function loadDirectory(
  directory: string,
  orgPublicKey: Uint8Array,
  notBefore: string | null = null,
  now = new Date(),
  held: HeldHead | null = null,
): Promise<DirectoryContents> {
  try {
    const log = await readOrgLog(directory);
    if (log !== null) {
      const verified = verifyDirectory(log, orgPublicKey, held, now);
      return {
        cards: verified.cards,
        head: verified.head,
        chain: {
          organisation: verified.organisation,
          hashes: verified.hashes,
          head: verified.head,
          fingerprints: new Set(verified.cards.map((card) => fingerprintHex(card.fingerprint))),
        },
        refusal: null,
        revocationsUpdatedAt: null,
        revocationsValidUntil: verified.head.validUntil,
        warnings: [],
      };
    }
  } catch (error) {
    // DirectoryRefused, DirectoryExpired, DirectoryRolledBack, DirectoryForked: nobody is vouched for.
    if (!(error instanceof DirectoryProblem)) throw error;
    return {
      cards: [],
      head: null,
      chain: null,
      refusal: error,
      revocationsUpdatedAt: null,
      revocationsValidUntil: null,
      warnings: [`${error.userMessage} (no directory card is trusted until it is fixed)`],
    };
  }
  const revocations = await readRevocations(directory, orgPublicKey, { notBefore, now });
  if (!revocations.ok)
    return {
      cards: [],
      head: null,
      chain: null,
      refusal: null,
      revocationsUpdatedAt: null,
      revocationsValidUntil: null,
      warnings: [`${revocations.problem}: no directory card is trusted until it is fixed`],
    };
  const cards: ContactCard[] = [];
  const warnings: string[] = [];
  const names = await readdir(join(directory, 'cards')).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT')) return [] as string[]; // no card vetted yet
    if (!isSystemError(error)) throw error;
    warnings.push(`the cards folder cannot be read (${error.code}): no directory card is trusted until it is fixed`);
    return [] as string[];
  });
  for (const name of names.filter((entry) => entry.endsWith(ORG_CARD_EXTENSION)).sort()) {
    const file = await readRegularFile(join(directory, 'cards', name), CARD_MAX_BYTES).catch((error: unknown) => {
      if (error instanceof NotARegularFileThere || (error instanceof Error && 'code' in error)) return null; // gone, unreadable, a link or a FIFO
      throw error;
    });
    if (file === null || file.length > CARD_MAX_BYTES) {
      warnings.push(`${name}: not a readable plain file of a card's size (ignored)`);
      continue;
    }
    const parsed = parseStrictJson(file.toString('utf8'), SignedCardSchema);
    if (!parsed.ok) {
      warnings.push(`${name}: ${parsed.problem}`);
      continue;
    }
    const bytes = Buffer.from(parsed.value.card, 'base64');
    if (
      !ed25519Verify(
        orgPublicKey,
        cardMessage(bytes, parsed.value.signedAt),
        Buffer.from(parsed.value.signature, 'hex'),
      )
    ) {
      warnings.push(`${name}: not signed by the organisation key (ignored)`);
      continue;
    }
    let card: ContactCard;
    try {
      card = decodeCard(bytes);
    } catch (error) {
      if (!isMedSealError(error)) throw error;
      warnings.push(`${name}: the card inside is invalid (ignored)`); // CardMalformed, CardSignatureInvalid
      continue;
    }
    if (!revocations.revoked.has(fingerprintHex(card.fingerprint))) cards.push(card);
  }
  return {
    cards,
    head: null,
    chain: null,
    refusal: null,
    warnings,
    revocationsUpdatedAt: revocations.updatedAt,
    revocationsValidUntil: revocations.validUntil,
  };
}
