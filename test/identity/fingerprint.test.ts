import { beforeAll, describe, expect, it } from 'vitest';
import {
  groupDigits,
  normaliseSafetyNumberInput,
  safetyDigitsFor,
  safetyNumber,
} from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fastIdentity } from '../helpers/identities.js';

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let carol: UnlockedIdentity;
beforeAll(async () => {
  [alice, bob, carol] = [await fastIdentity('A'), await fastIdentity('B'), await fastIdentity('C')];
});

describe('safety numbers', () => {
  it('are 60 digits, identical on both sides', () => {
    const ab = safetyNumber(alice.card, bob.card);
    expect(ab).toMatch(/^\d{60}$/);
    expect(safetyNumber(bob.card, alice.card)).toBe(ab);
  });

  it('change when either party’s signing or encryption key changes', () => {
    const ab = safetyNumber(alice.card, bob.card);
    expect(safetyNumber(alice.card, carol.card)).not.toBe(ab);
    expect(
      safetyNumber(alice.card, { signingKey: bob.card.signingKey, encryptionKey: carol.card.encryptionKey }),
    ).not.toBe(ab);
    expect(
      safetyNumber(alice.card, { signingKey: carol.card.signingKey, encryptionKey: bob.card.encryptionKey }),
    ).not.toBe(ab);
  });

  it('contain each party’s own 30 digits', () => {
    const ab = safetyNumber(alice.card, bob.card);
    expect(ab).toContain(safetyDigitsFor(alice.card.signingKey, alice.card.encryptionKey));
    expect(ab).toContain(safetyDigitsFor(bob.card.signingKey, bob.card.encryptionKey));
  });

  it('display in groups of five and accept what people type', () => {
    const ab = safetyNumber(alice.card, bob.card);
    const grouped = groupDigits(ab);
    expect(grouped.split(' ')).toHaveLength(12);
    expect(normaliseSafetyNumberInput(grouped.replace(/ /g, ' - ').replace(/(\d{5} - \d{5}) - /g, '$1\n'))).toBe(ab);
  });
});
