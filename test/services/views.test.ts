/**
 * The public views (services/views.ts) that the app's answers and the CLI's
 * --json are built from: exactly the public fields of a card, a contact, a
 * look-alike and a history entry, never a package hash, a key or anything
 * the caller could change afterwards through the view.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContactRecord } from '../../main/contacts/contact-record.js';
import { fingerprintHex, safetyDigitsFor } from '../../main/identity/fingerprint.js';
import { contactJson } from '../../main/cli/format-text.js';
import { contactView, historyView, lookAlikeView, personView } from '../../main/services/views.js';
import type { NamedRecipientStatus } from '../../main/services/delivery/recipient-status.js';
import type { PackageSummary } from '../../main/store/package-history.js';
import { fastIdentity } from '../helpers/identities.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';

let bob: UnlockedIdentity;
let classical: UnlockedIdentity;
let oldBob: UnlockedIdentity;

beforeAll(async () => {
  bob = await fastIdentity('Bob');
  oldBob = await fastIdentity('Bob');
  classical = await fastIdentity('Carol', undefined, { postQuantum: false });
});

function contactOf(identity: UnlockedIdentity, extra: Partial<ContactRecord> = {}): ContactRecord {
  return {
    card: identity.card,
    fingerprint: fingerprintHex(identity.card.fingerprint),
    state: 'verified',
    verifiedAt: '2026-01-02T00:00:00.000Z',
    verifiedBy: 'safety-number',
    addedAt: '2026-01-01T00:00:00.000Z',
    previousKeys: [],
    ...extra,
  };
}

describe('the view of a card', () => {
  it('is its public details, fingerprint and safety digits, nothing else', () => {
    const view = personView(bob.card);
    expect(Object.keys(view).sort()).toEqual(
      ['createdAt', 'email', 'fingerprint', 'name', 'organisation', 'postQuantum', 'role', 'safetyDigits'].sort(),
    );
    expect(view).toMatchObject({
      name: 'Bob',
      email: 'bob@example.org',
      organisation: 'Test Hospital',
      fingerprint: fingerprintHex(bob.card.fingerprint),
      safetyDigits: safetyDigitsFor(bob.card.signingKey, bob.card.encryptionKey),
      createdAt: bob.card.createdAt,
      postQuantum: true,
    });
    expect(view.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says whether the card has a post-quantum key', () => {
    expect(personView(classical.card).postQuantum).toBe(false);
  });
});

describe('the view of a contact', () => {
  it('adds the trust state, its dates and the fingerprints of keys replaced, in order', () => {
    const replaced = [oldBob, classical].map((identity) => ({
      card: identity.card,
      fingerprint: fingerprintHex(identity.card.fingerprint),
      replacedAt: '2026-01-03T00:00:00.000Z',
    }));
    const view = contactView(contactOf(bob, { state: 'key-changed', verifiedAt: null, previousKeys: replaced }));
    expect(view).toMatchObject({
      ...personView(bob.card),
      state: 'key-changed',
      verifiedAt: null,
      addedAt: '2026-01-01T00:00:00.000Z',
      previousFingerprints: [fingerprintHex(oldBob.card.fingerprint), fingerprintHex(classical.card.fingerprint)],
    });
    expect(view).not.toHaveProperty('previousKeys'); // old cards are not shown, only their fingerprints
    expect(view).not.toHaveProperty('card');
  });

  it("the CLI's --json of a contact is the app's view plus how it was verified", () => {
    const contact = contactOf(bob);
    expect(contactJson(contact)).toEqual({ ...contactView(contact), verifiedBy: 'safety-number' });
  });
});

describe('the view of a look-alike', () => {
  it('names the other contact and why, without its keys', () => {
    const view = lookAlikeView({ contact: contactOf(oldBob), reason: 'same-name' });
    expect(view).toEqual({ name: 'Bob', organisation: 'Test Hospital', email: 'bob@example.org', reason: 'same-name' });
  });
});

describe('the view of a history entry', () => {
  const summary = (): PackageSummary => ({
    id: 7,
    packageHash: 'ab'.repeat(32),
    direction: 'sent',
    counterpart: 'cd'.repeat(32),
    recipients: ['cd'.repeat(32)],
    fileCount: 1,
    totalBytes: 12,
    sealedAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:01.000Z',
    state: 'sealed',
    files: [{ name: 'letter.txt', size: 12, path: '/home/someone/letter.txt' } as PackageSummary['files'][number]],
    replyTo: 'ef'.repeat(32),
    subject: 'Cardiology referral',
    passphraseRecipient: null,
  });

  it('leaves out the package hashes (its own, the one it answers) and anything but the name and size of each file', () => {
    const view = historyView(summary());
    expect(view).not.toHaveProperty('packageHash');
    expect(view).not.toHaveProperty('replyTo');
    expect(JSON.stringify(view)).not.toContain('ab'.repeat(32));
    expect(JSON.stringify(view)).not.toContain('ef'.repeat(32));
    expect(view).toMatchObject({ subject: 'Cardiology referral', thread: null });
    expect(view.files).toEqual([{ name: 'letter.txt', size: 12 }]);
    expect(view).toMatchObject({ id: 7, direction: 'sent', recipients: ['cd'.repeat(32)], deliveries: [] });
  });

  it('carries the delivery status of each recipient, as copies the caller may change', () => {
    const deliveries: NamedRecipientStatus[] = [
      {
        fingerprint: 'cd'.repeat(32),
        name: 'Bob',
        passphrase: false,
        status: 'delivered',
        at: '2026-01-01T00:01:00.000Z',
        detail: 'share',
        nextTryAt: null,
      },
    ];
    const source = summary();
    const view = historyView(source, deliveries);
    expect(view.deliveries).toEqual(deliveries);
    expect(view.deliveries[0]).not.toBe(deliveries[0]);
    expect(view.recipients).not.toBe(source.recipients);
    expect(view.files[0]).not.toBe(source.files[0]);
  });
});
