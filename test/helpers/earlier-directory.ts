/**
 * The organisation directory's earlier form (card files and a signed
 * revocation list, FORMAT.md §10), written as IT's tools wrote it before the
 * log (§11). MedSeal only reads this form now (main/directory/
 * org-directory.ts, and org-log.ts starts a log from it); the tests write it
 * here, with the same signed messages the readers check.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ed25519Sign } from '../../main/crypto/primitives.js';
import { cardMessage, ORG_CARD_EXTENSION } from '../../main/directory/org-directory.js';
import {
  DEFAULT_VALID_DAYS,
  hasRevocationList,
  REVOCATIONS_FILE,
  signedMessage,
} from '../../main/directory/revocation-list.js';
import { writeFileAtomic } from '../../main/fs/atomic-write.js';
import type { ContactCard } from '../../main/identity/contact-card.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';

const DAY_MS = 86_400_000;

/** Replaces the signed revocation list (valid for `validDays`), and removes each revoked card's file. */
export async function writeRevocations(
  directory: string,
  revoked: readonly string[],
  orgSecretKey: Uint8Array,
  now = new Date(),
  validDays = DEFAULT_VALID_DAYS,
): Promise<void> {
  const updatedAt = now.toISOString();
  const validUntil = new Date(now.getTime() + validDays * DAY_MS).toISOString();
  const list = [...new Set(revoked)].sort();
  const signature = Buffer.from(ed25519Sign(orgSecretKey, signedMessage(list, updatedAt, validUntil))).toString('hex');
  await mkdir(directory, { recursive: true });
  await writeFileAtomic(
    join(directory, REVOCATIONS_FILE),
    `${JSON.stringify({ revoked: list, updatedAt, validUntil, signature })}\n`,
    0o644,
  );
  for (const fingerprint of list)
    await rm(join(directory, 'cards', `${fingerprint}${ORG_CARD_EXTENSION}`), { force: true });
}

/** Signs a card into the directory (the first card starts an empty revocation list: readers need one). */
export async function signCardIntoDirectory(
  directory: string,
  card: ContactCard,
  orgSecretKey: Uint8Array,
  now = new Date(),
): Promise<string> {
  if (!(await hasRevocationList(directory))) await writeRevocations(directory, [], orgSecretKey, now);
  const signedAt = now.toISOString();
  const signature = Buffer.from(ed25519Sign(orgSecretKey, cardMessage(card.bytes, signedAt))).toString('hex');
  await mkdir(join(directory, 'cards'), { recursive: true });
  const path = join(directory, 'cards', `${fingerprintHex(card.fingerprint)}${ORG_CARD_EXTENSION}`);
  await writeFileAtomic(
    path,
    `${JSON.stringify({ card: Buffer.from(card.bytes).toString('base64'), signedAt, signature })}\n`,
    0o644,
  );
  return path;
}
