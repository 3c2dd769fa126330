/**
 * The sender verdict on its own (services/sender-decision.ts), the one
 * decision the app, the CLI and the renderer share: who opens at once, who
 * needs the reader's confirmation, and what is an alarm that only the
 * separate override passes (never --require-verified).
 */
import { describe, expect, it } from 'vitest';
import { UntrustedSender } from '../../main/contacts/errors.js';
import { assertMayOpen, verdictFor, type SenderTrustKind } from '../../main/services/sender-decision.js';

const KINDS: readonly SenderTrustKind[] = [
  'verified',
  'org-verified',
  'unverified',
  'key-changed',
  'unknown',
  'key-mismatch',
  'identity-mismatch',
];

describe('the sender verdict', () => {
  it.each([
    ['verified', 'trusted'],
    ['org-verified', 'trusted'],
    ['unverified', 'confirm'],
    ['key-changed', 'confirm'],
    ['unknown', 'confirm'],
    ['key-mismatch', 'alarm'],
    ['identity-mismatch', 'alarm'],
  ] as const)('%s is %s', (kind, verdict) => {
    expect(verdictFor(kind)).toBe(verdict);
  });

  it('trusted senders open without any consent', () => {
    for (const kind of ['verified', 'org-verified'] as const)
      expect(() => assertMayOpen(kind, { confirmUntrusted: false })).not.toThrow();
  });

  it('others need the confirmation; an alarm needs the separate override, and a confirmation alone never passes it', () => {
    for (const kind of ['unverified', 'key-changed', 'unknown'] as const) {
      expect(() => assertMayOpen(kind, { confirmUntrusted: false })).toThrow(UntrustedSender);
      expect(() => assertMayOpen(kind, { confirmUntrusted: true })).not.toThrow();
    }
    for (const kind of ['key-mismatch', 'identity-mismatch'] as const) {
      expect(() => assertMayOpen(kind, { confirmUntrusted: true })).toThrow(UntrustedSender);
      expect(() => assertMayOpen(kind, { confirmUntrusted: true, overrideAlarm: true })).not.toThrow();
    }
  });

  it('--require-verified refuses every sender that is not trusted, even with every consent given', () => {
    for (const kind of KINDS.filter((candidate) => verdictFor(candidate) !== 'trusted')) {
      expect(
        () => assertMayOpen(kind, { confirmUntrusted: true, overrideAlarm: true, requireVerified: true }),
        kind,
      ).toThrow(UntrustedSender);
    }
  });
});
