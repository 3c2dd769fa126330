/**
 * Withdrawal notices (package/withdrawal-notice.ts, docs/FORMAT.md §5.3):
 * only the recipient reads one, only the sender's key signs it for that
 * recipient, a receipt is never taken for one (nor one for a receipt), and
 * anything cut, flipped or not in its one canonical form is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { InvalidReceipt, WithdrawalNoticeRefused } from '../../main/package/errors.js';
import { createReceipt, decryptReceipt } from '../../main/package/receipt.js';
import { sealNote } from '../../main/package/signed-note.js';
import {
  createWithdrawalNotice,
  decryptWithdrawalNotice,
  isWithdrawalNotice,
  verifyWithdrawalNotice,
  WITHDRAWAL_NOTICE,
} from '../../main/package/withdrawal-notice.js';
import { fastIdentity } from '../helpers/identities.js';

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let carol: UnlockedIdentity;
const HASH = '5e'.repeat(32);
const AT = new Date('2025-03-04T05:06:07.089Z');

beforeAll(async () => {
  [alice, bob, carol] = [await fastIdentity('Alice'), await fastIdentity('Bob'), await fastIdentity('Carol')];
});

describe('withdrawal notices', () => {
  it('the recipient reads what the sender signed; the signature is the sender’s, for this recipient', () => {
    const notice = createWithdrawalNotice(alice, bob.card, HASH, AT);
    expect(isWithdrawalNotice(notice)).toBe(true);
    expect(notice.length).toBeLessThan(600);
    const { body, json, signature } = decryptWithdrawalNotice(bob, notice);
    expect(body).toEqual({
      package: HASH,
      sender: fingerprintHex(alice.card.fingerprint),
      recipient: fingerprintHex(bob.card.fingerprint),
      at: AT.toISOString(),
    });
    expect(verifyWithdrawalNotice(alice.card, bob.card.encryptionKey, json, signature)).toBe(true);
    expect(verifyWithdrawalNotice(carol.card, bob.card.encryptionKey, json, signature)).toBe(false); // another signer
    expect(verifyWithdrawalNotice(alice.card, carol.card.encryptionKey, json, signature)).toBe(false); // bound to Bob
  });

  it('is unreadable to anyone else, cut short, or with one byte changed', () => {
    const notice = createWithdrawalNotice(alice, bob.card, HASH, AT);
    const refused = (bytes: Uint8Array, who = bob) => {
      try {
        decryptWithdrawalNotice(who, bytes);
        return null;
      } catch (error) {
        return error;
      }
    };
    expect(refused(notice, carol)).toMatchObject({ reason: 'unreadable' });
    expect(refused(notice.subarray(0, 100))).toMatchObject({ reason: 'unreadable' });
    for (const position of [20, 60, notice.length - 1]) {
      const flipped = Buffer.from(notice);
      flipped[position]! ^= 1;
      expect(refused(flipped)).toBeInstanceOf(WithdrawalNoticeRefused);
    }
  });

  it('a receipt is never read as a notice, nor a notice as a receipt', () => {
    const receipt = createReceipt(bob, alice.card, {
      package: HASH,
      outcome: 'opened',
      reason: null,
      at: AT.toISOString(),
    });
    expect(isWithdrawalNotice(receipt)).toBe(false);
    expect(() => decryptWithdrawalNotice(alice, receipt)).toThrow(WithdrawalNoticeRefused);
    const notice = createWithdrawalNotice(alice, bob.card, HASH, AT);
    expect(() => decryptReceipt(bob, notice)).toThrow(InvalidReceipt);
  });

  it('only the one canonical body is accepted, naming this reader', () => {
    const body = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields));
    const base = {
      v: 1,
      package: HASH,
      sender: fingerprintHex(alice.card.fingerprint),
      recipient: fingerprintHex(bob.card.fingerprint),
      at: AT.toISOString(),
    };
    const sealed = (json: Buffer) => sealNote(WITHDRAWAL_NOTICE, alice.signingSecretKey, bob.card.encryptionKey, json);
    expect(decryptWithdrawalNotice(bob, sealed(body(base))).body.package).toBe(HASH);
    for (const bad of [
      Buffer.from(JSON.stringify(base, null, 1)), // not canonical
      body({ ...base, v: 2 }),
      body({ ...base, extra: 1 }),
      body({ ...base, package: 'not hex' }),
      body({ ...base, recipient: fingerprintHex(carol.card.fingerprint) }), // names another reader
      Buffer.from('{"v":1,'),
    ])
      expect(() => decryptWithdrawalNotice(bob, sealed(bad))).toThrow(WithdrawalNoticeRefused);
  });
});
