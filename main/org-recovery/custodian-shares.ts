/**
 * Splitting the organisation recovery secret among custodians, and putting
 * enough of their shares back together (Shamir's scheme over GF(2^8), from
 * the audited `shamir-secret-sharing`). Every check that needs no secret —
 * same key, no share twice, at least the threshold — runs before any
 * custodian is asked for a passphrase. The secret and the shares live only
 * in memory and are wiped as soon as the operation is done.
 */
import { combine, split } from 'shamir-secret-sharing';
import { ed25519Sign, ed25519Verify, randomBytes, wipe } from '../crypto/primitives.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { checkPassphraseStrength } from '../identity/keystore.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import {
  RecoveryKeyInvalid,
  ShareAltered,
  ShareDuplicated,
  ShareFromOtherKey,
  SharesDoNotCombine,
  TooFewShares,
} from './errors.js';
import { FIRST_PREVIOUS, signRecord } from './emergency-record.js';
import { createRecoveryCard, RECOVERY_SECRET_BYTES, recoveryIdentity } from './recovery-key.js';
import {
  openShare,
  sealShare,
  shareDescriptionMessage,
  shareLabel,
  SHARE_BYTES,
  SHARE_FILE_EXTENSION,
  type ShareDescription,
  type ShareFile,
} from './share-file.js';

export const MAX_SHARES = 255;

export interface SplitRequest {
  readonly organisation: string;
  readonly email: string;
  readonly shares: number;
  readonly threshold: number;
  /** One name per share, or none (the files then name no custodian). */
  readonly custodians: readonly string[];
  /** Asked once per share, in order: each custodian chooses their own passphrase. */
  readonly passphraseFor: (share: ShareDescription) => Promise<string>;
  readonly now?: Date;
  /** Argon2id strength of each share's passphrase (tests use the floor). */
  readonly strength?: { opsLimit: number; memLimitBytes: number };
  /** Who makes the key (account and machine), for the log's first record. */
  readonly operator: string;
}

export interface SplitResult {
  readonly card: ContactCard;
  readonly files: readonly { readonly name: string; readonly text: string }[];
  /** The emergency-access log's first record (`key-created`), signed by the new key: the log starts with it. */
  readonly firstRecord: string;
}

function checkSplit(request: SplitRequest): void {
  const { shares, threshold, custodians } = request;
  if (!Number.isInteger(shares) || shares < 2 || shares > MAX_SHARES)
    throw new RecoveryKeyInvalid(`the number of shares must be 2 to ${MAX_SHARES}`);
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > shares) {
    throw new RecoveryKeyInvalid(
      'the threshold must be at least 2 (no custodian may open alone) and at most the number of shares',
    );
  }
  if (custodians.length !== 0 && custodians.length !== shares)
    throw new RecoveryKeyInvalid(`name every custodian (${shares} names) or none`);
}

/** A new recovery key: its card, and one sealed share file per custodian. Nothing is written here. */
export async function splitNewRecoveryKey(request: SplitRequest): Promise<SplitResult> {
  checkSplit(request);
  const secret = randomBytes(RECOVERY_SECRET_BYTES);
  const parts: Uint8Array[] = [];
  const descriptions: ShareDescription[] = [];
  const passphrases: string[] = [];
  let signer: UnlockedIdentity | undefined;
  try {
    const createdAt = (request.now ?? new Date()).toISOString();
    const card = createRecoveryCard(secret, request, new Date(createdAt));
    signer = recoveryIdentity(secret, card)!;
    parts.push(...(await split(secret, request.shares, request.threshold)));
    const files = [];
    for (let index = 0; index < parts.length; index++) {
      const description: ShareDescription = {
        card,
        recoveryKey: fingerprintHex(card.fingerprint),
        share: index + 1,
        shares: request.shares,
        threshold: request.threshold,
        custodian: (request.custodians[index] ?? '').trim(),
        createdAt,
      };
      passphrases.push(await request.passphraseFor(description));
      await checkPassphraseStrength(passphrases[index]!);
      descriptions.push(description);
    }
    // Every custodian has chosen an acceptable passphrase before any share is sealed.
    for (const [index, part] of parts.entries()) {
      const description = descriptions[index]!;
      const signature = ed25519Sign(
        signer.signingSecretKey,
        shareDescriptionMessage(description, part[SHARE_BYTES - 1]!),
      );
      files.push({
        name: `share-${index + 1}-of-${request.shares}${SHARE_FILE_EXTENSION}`,
        text: await sealShare(part, description, signature, passphrases[index]!, request.strength),
      });
    }
    const fingerprint = fingerprintHex(card.fingerprint);
    const firstRecord = signRecord(
      {
        seq: 1,
        at: createdAt,
        action: 'key-created',
        subject: fingerprint,
        owner: fingerprint,
        recipients: [],
        operator: request.operator,
        custodians: descriptions.map((description) => shareLabel(description)),
        reason: `organisation recovery key created: ${request.threshold} of ${request.shares} custodians`,
        previous: FIRST_PREVIOUS,
      },
      signer,
    );
    return { card, files, firstRecord };
  } finally {
    wipe(secret, ...parts);
    signer?.wipe();
  }
}

/** The checks that need no passphrase: one key, one split, each share once, enough of them. */
export function checkShareSet(files: readonly ShareFile[]): void {
  const first = files[0];
  if (!first) throw new TooFewShares(2, 0);
  const seen = new Set<number>();
  for (const file of files) {
    const sameSplit =
      file.recoveryKey === first.recoveryKey &&
      file.shares === first.shares &&
      file.threshold === first.threshold &&
      file.createdAt === first.createdAt;
    if (!sameSplit) throw new ShareFromOtherKey(capitalised(shareLabel(file)));
    if (seen.has(file.share)) throw new ShareDuplicated(capitalised(shareLabel(file)));
    seen.add(file.share);
  }
  if (files.length < first.threshold) throw new TooFewShares(first.threshold, files.length);
}

/**
 * The recovery key, from at least the threshold of its shares, each opened with its custodian's
 * passphrase. The caller wipes the identity when the operation is over.
 */
export async function putSharesTogether(
  files: readonly ShareFile[],
  passphraseFor: (file: ShareFile) => Promise<string>,
): Promise<UnlockedIdentity> {
  checkShareSet(files);
  const parts: Uint8Array[] = [];
  let secret: Uint8Array | undefined;
  try {
    for (const file of files) parts.push(await openShare(file, await passphraseFor(file)));
    secret = await combine(parts).catch(() => {
      throw new SharesDoNotCombine();
    });
    const identity = recoveryIdentity(secret, files[0]!.card);
    if (!identity) throw new SharesDoNotCombine();
    const altered = files.find(
      (file, index) =>
        !ed25519Verify(
          identity.card.signingKey,
          shareDescriptionMessage(file, parts[index]![SHARE_BYTES - 1]!),
          file.signature,
        ),
    );
    if (altered) {
      identity.wipe();
      throw new ShareAltered(shareLabel(altered));
    }
    return identity;
  } finally {
    wipe(secret, ...parts);
  }
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
