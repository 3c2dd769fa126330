/**
 * A partner organisation's vouching where verified recipients are required
 * (policy `acceptPartnerVouching`, DEPLOYMENT.md "Partner organisations"):
 * it needs no "confirm unverified" anywhere; where verification is required
 * it counts unless the policy says it does not; never for an unverified or
 * key-changed contact.
 */
import { describe, expect, it } from 'vitest';
import { countsAsVerified } from '../../main/services/recipients.js';

describe('a partner-vouched recipient', () => {
  it('needs no confirmation; counts where verification is required unless the policy refuses it', () => {
    expect(countsAsVerified('partner-vouched', { acceptPartnerVouching: true }, false)).toBe(true);
    expect(countsAsVerified('partner-vouched', { acceptPartnerVouching: false }, false)).toBe(true);
    expect(countsAsVerified('partner-vouched', { acceptPartnerVouching: true }, true)).toBe(true);
    expect(countsAsVerified('partner-vouched', { acceptPartnerVouching: false }, true)).toBe(false);
  });

  it('the other states are as before: verified and organisation-vetted count, unverified and changed keys never', () => {
    for (const required of [false, true]) {
      expect(countsAsVerified('verified', { acceptPartnerVouching: false }, required)).toBe(true);
      expect(countsAsVerified('org-verified', { acceptPartnerVouching: false }, required)).toBe(true);
      expect(countsAsVerified('unverified', { acceptPartnerVouching: true }, required)).toBe(false);
      expect(countsAsVerified('key-changed', { acceptPartnerVouching: true }, required)).toBe(false);
    }
  });
});
