/**
 * A custodian's share file (`.medseal-share`, docs/FORMAT.md §9): one
 * Shamir share of the organisation recovery secret, sealed under the
 * custodian's own passphrase (Argon2id, XChaCha20-Poly1305). Everything
 * that describes the share — which key, which share of how many, the
 * threshold, the custodian — is bound into the associated data, so a file
 * edited to claim another place in the split does not open.
 */
import { z } from 'zod';
import { decodeCard, type ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { kdfParamsAcceptable, type KdfParams, type KdfStrength } from '../crypto/kdf.js';
import { openWithPassphrase, sealWithPassphrase } from '../crypto/passphrase-envelope.js';
import { PersonDetailsSchema } from '../identity/person-details.js';
import { base64Bytes } from '../validation/base64-bytes.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { ShareInvalid, SharePassphraseWrong } from './errors.js';

export const SHARE_FILE_EXTENSION = '.medseal-share';
/** A share is the 32-byte secret's evaluation plus one byte for its x coordinate (shamir-secret-sharing). */
export const SHARE_BYTES = 33;

const ShareFileSchema = z.strictObject({
  format: z.literal('medseal-recovery-share'),
  version: z.literal(1),
  recoveryKey: z.string().regex(/^[0-9a-f]{64}$/),
  card: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(8192),
  share: z.number().int().min(1).max(255),
  shares: z.number().int().min(2).max(255),
  threshold: z.number().int().min(2).max(255),
  custodian: PersonDetailsSchema.shape.role,
  createdAt: z.iso.datetime({ offset: false }),
  kdf: z.strictObject({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int(),
    memLimitBytes: z.number().int(),
    salt: base64Bytes(16),
  }),
  sealed: z.strictObject({ nonce: base64Bytes(24), ciphertext: base64Bytes(SHARE_BYTES + 16) }),
  /** The recovery key's signature over the description and the share's x coordinate (checked once the key is rebuilt). */
  signature: base64Bytes(64),
});

/** What a share file says about itself; readable without its passphrase. */
export interface ShareDescription {
  readonly card: ContactCard;
  /** Hex fingerprint of the recovery key. */
  readonly recoveryKey: string;
  readonly share: number;
  readonly shares: number;
  readonly threshold: number;
  /** The custodian's name as IT wrote it at the split; may be empty. */
  readonly custodian: string;
  readonly createdAt: string;
}

export interface ShareFile extends ShareDescription {
  readonly kdf: KdfParams;
  readonly sealed: { readonly nonce: Uint8Array; readonly ciphertext: Uint8Array };
  readonly signature: Uint8Array;
}

/**
 * What the recovery key signs for each share at the split: its description and its x coordinate
 * (the share's last byte). A custodian can re-seal their own share under another number or name;
 * the rebuilt key then finds the signature wrong, so a record never names custodians who were not there.
 */
export function shareDescriptionMessage(file: ShareDescription, x: number): Buffer {
  return Buffer.from(
    [
      'MEDSEAL-recovery-share-description',
      file.recoveryKey,
      file.share,
      file.shares,
      file.threshold,
      file.custodian,
      file.createdAt,
      x,
    ].join('|'),
    'utf8',
  );
}

function associatedData(file: ShareDescription, kdf: KdfParams): Buffer {
  const salt = Buffer.from(kdf.salt).toString('base64');
  return Buffer.from(
    [
      'medseal-recovery-share/v1',
      file.recoveryKey,
      file.share,
      file.shares,
      file.threshold,
      file.custodian,
      file.createdAt,
      kdf.algorithm,
      kdf.opsLimit,
      kdf.memLimitBytes,
      salt,
    ].join('|'),
    'utf8',
  );
}

/** "share 2 of 5 (Dr Ann Example)": how prompts and errors name a share. */
export function shareLabel(file: Pick<ShareDescription, 'share' | 'shares' | 'custodian'>): string {
  return `share ${file.share} of ${file.shares}${file.custodian ? ` (${file.custodian})` : ''}`;
}

export async function sealShare(
  share: Uint8Array,
  description: ShareDescription,
  signature: Uint8Array,
  passphrase: string,
  strength?: KdfStrength,
): Promise<string> {
  const { kdf, box } = await sealWithPassphrase(
    passphrase,
    share,
    (params) => associatedData(description, params),
    strength,
  );
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const file = {
    format: 'medseal-recovery-share',
    version: 1,
    recoveryKey: description.recoveryKey,
    card: b64(description.card.bytes),
    share: description.share,
    shares: description.shares,
    threshold: description.threshold,
    custodian: description.custodian,
    createdAt: description.createdAt,
    kdf: { algorithm: kdf.algorithm, opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitBytes, salt: b64(kdf.salt) },
    sealed: { nonce: b64(box.nonce), ciphertext: b64(box.ciphertext) },
    signature: b64(signature),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses a share file without its passphrase; `position` is its place on the command line, for errors. */
export function readShareFile(text: string, position: number): ShareFile {
  const parsed = parseStrictJson(text, ShareFileSchema);
  if (!parsed.ok) throw new ShareInvalid(position, parsed.problem);
  const file = parsed.value;
  let card: ContactCard;
  try {
    card = decodeCard(Buffer.from(file.card, 'base64'));
  } catch {
    throw new ShareInvalid(position, 'the recovery key card in it is damaged');
  }
  if (fingerprintHex(card.fingerprint) !== file.recoveryKey)
    throw new ShareInvalid(position, 'its card is not the key it names');
  if (file.threshold > file.shares || file.share > file.shares)
    throw new ShareInvalid(position, 'its share numbers do not add up');
  const kdf: KdfParams = {
    algorithm: 'argon2id13',
    opsLimit: file.kdf.opsLimit,
    memLimitBytes: file.kdf.memLimitBytes,
    salt: file.kdf.salt,
  };
  if (!kdfParamsAcceptable(kdf))
    throw new ShareInvalid(position, 'its key-derivation parameters are outside the accepted range');
  return { ...file, card, kdf, sealed: file.sealed, signature: file.signature };
}

/** The share itself (33 bytes; the caller wipes it), or SharePassphraseWrong. */
export async function openShare(file: ShareFile, passphrase: string): Promise<Uint8Array> {
  const share = await openWithPassphrase(passphrase, { kdf: file.kdf, box: file.sealed }, (kdf) =>
    associatedData(file, kdf),
  );
  if (!share) throw new SharePassphraseWrong(shareLabel(file));
  return share;
}
