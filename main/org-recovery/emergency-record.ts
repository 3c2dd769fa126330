/**
 * One emergency-access record (docs/FORMAT.md §9.2): who used the
 * organisation recovery key, when, on what, and why, signed by that key and
 * chained to the record before it, so that the log shows every use and any
 * record removed or changed afterwards. Records name packages and people by
 * hashes and fingerprints only: never a file name, a note or a patient.
 */
import { z } from 'zod';
import { ed25519Sign, ed25519Verify, sha256 } from '../crypto/primitives.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { base64Bytes } from '../validation/base64-bytes.js';
import { parseStrictJson } from '../validation/strict-json.js';

const SIGNATURE_LABEL = 'MEDSEAL-emergency-access-record';
export const FIRST_PREVIOUS = '0'.repeat(64);
export const MAX_REASON_CHARACTERS = 500;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u.test(value), 'contains control or formatting characters');

const RecordBodySchema = z.strictObject({
  v: z.literal(1),
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: false }),
  recoveryKey: hex64,
  /** `key-created` is the first record of every log, written when the key is split (its subject and owner: the key). */
  action: z.enum(['key-created', 'package-opened', 'backup-restored']),
  /** SHA-256 of the package header (its identity everywhere in MedSeal), or a backup's header digest D (FORMAT.md §8). */
  subject: hex64,
  /** The package's sender, or the identity whose backup it is. */
  owner: hex64,
  /** The package's recipients (empty for a backup). */
  recipients: z.array(hex64).max(1024),
  operator: text(200),
  custodians: z.array(text(200)).min(2).max(255),
  reason: text(MAX_REASON_CHARACTERS),
  previous: hex64,
});
const RecordSchema = RecordBodySchema.extend({ signature: base64Bytes(64) });

export type EmergencyRecordBody = z.infer<typeof RecordBodySchema>;
export type EmergencyAction = EmergencyRecordBody['action'];

/** The members in their one order: the signed bytes are this encoding. */
function canonical(body: EmergencyRecordBody): Buffer {
  const { v, seq, at, recoveryKey, action, subject, owner, recipients, operator, custodians, reason, previous } = body;
  return Buffer.from(
    JSON.stringify({
      v,
      seq,
      at,
      recoveryKey,
      action,
      subject,
      owner,
      recipients,
      operator,
      custodians,
      reason,
      previous,
    }),
    'utf8',
  );
}

const signedMessage = (body: EmergencyRecordBody) =>
  Buffer.concat([Buffer.from(SIGNATURE_LABEL, 'ascii'), canonical(body)]);

/** A problem with the reason's text, in words for the operator, or null. */
export function reasonProblem(reason: string): string | null {
  const parsed = RecordBodySchema.shape.reason.safeParse(reason.trim());
  return parsed.success
    ? null
    : `give a reason of 1 to ${MAX_REASON_CHARACTERS} characters on one line (a ticket or case number, not patient details)`;
}

/** One line of the log: the body with the recovery key's signature. */
export function signRecord(
  body: Omit<EmergencyRecordBody, 'v' | 'recoveryKey'>,
  recoveryKey: UnlockedIdentity,
): string {
  const full: EmergencyRecordBody = { v: 1, recoveryKey: fingerprintHex(recoveryKey.card.fingerprint), ...body };
  const parsed = RecordBodySchema.parse(full);
  const signature = ed25519Sign(recoveryKey.signingSecretKey, signedMessage(parsed));
  return JSON.stringify({
    ...JSON.parse(canonical(parsed).toString('utf8')),
    signature: Buffer.from(signature).toString('base64'),
  });
}

export type RecordCheck = { ok: true; body: EmergencyRecordBody } | { ok: false; problem: string };

/** Checks one line: well-formed, for this key, signed by it. The chain is the log's to check. */
export function readRecord(line: string, card: ContactCard): RecordCheck {
  const parsed = parseStrictJson(line, RecordSchema);
  if (!parsed.ok) return { ok: false, problem: `it is not a record (${parsed.problem})` };
  const { signature, ...body } = parsed.value;
  if (body.recoveryKey !== fingerprintHex(card.fingerprint))
    return { ok: false, problem: 'it names another recovery key' };
  if (!ed25519Verify(card.signingKey, signedMessage(body), signature))
    return { ok: false, problem: 'its signature does not verify' };
  return { ok: true, body };
}

/** What the next record's `previous` must be. */
export function recordHash(line: string): string {
  return sha256(Buffer.from(line, 'utf8')).toString('hex');
}
