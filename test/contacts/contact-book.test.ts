import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRecipients } from '../../main/services/recipients.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ContactBook } from '../../main/contacts/contact-book.js';
import {
  CardKeysConflict,
  ContactAmbiguous,
  ContactNotFound,
  NoReplacementToReject,
  OwnCardImported,
  RecipientKeyChanged,
  RecipientUnverified,
  SafetyNumberMismatch,
} from '../../main/contacts/errors.js';
import { MemoryContactStorage } from '../helpers/memory-contacts.js';
import { createCard } from '../../main/identity/contact-card.js';
import { sodium } from '../../main/crypto/sodium.js';
import { safetyNumber } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fastIdentity } from '../helpers/identities.js';

let me: UnlockedIdentity;
let bob: UnlockedIdentity;
let carol: UnlockedIdentity;

/** Same profile as `who`, new keys: what an attacker (or a reinstalled partner) would send. */
function sameProfileNewKeys(who: UnlockedIdentity) {
  const s = sodium();
  const signing = s.crypto_sign_keypair();
  const secret = s.randombytes_buf(32);
  return createCard(
    who.card.profile,
    {
      signingKey: signing.publicKey,
      encryptionKey: s.crypto_scalarmult_base(secret),
      signingSecretKey: signing.privateKey,
    },
    new Date(),
  );
}

beforeAll(async () => {
  me = await fastIdentity('Me Myself');
  bob = await fastIdentity('Bob Partner');
  carol = await fastIdentity('Carol Partner');
});

async function book(): Promise<{ contacts: ContactBook }> {
  return { contacts: new ContactBook(new MemoryContactStorage(), me.card) };
}

describe('contact book', () => {
  it('imports a card as unverified; a second import of the same card changes nothing', async () => {
    const { contacts } = await book();
    expect((await contacts.importCard(bob.card)).outcome).toBe('added');
    expect((await contacts.importCard(bob.card)).outcome).toBe('unchanged');
    const [only] = await contacts.list();
    expect(only?.state).toBe('unverified');
  });

  it('verifies only with the right safety number; a wrong one changes nothing', async () => {
    const { contacts } = await book();
    await contacts.importCard(bob.card);
    await expect(contacts.verify(bob.card.profile.email, '1'.repeat(60))).rejects.toBeInstanceOf(SafetyNumberMismatch);
    expect((await contacts.find(bob.card.profile.email)).state).toBe('unverified');
    const verified = await contacts.verify(bob.card.profile.email, safetyNumber(me.card, bob.card));
    expect(verified).toMatchObject({ state: 'verified', verifiedBy: 'safety-number' });
  });

  it('rejecting a new card brings back the earlier keys (to verify again); the rejected keys become an alarm', async () => {
    const { contacts } = await book();
    await contacts.importCard(bob.card);
    await contacts.verify(bob.card.profile.email, safetyNumber(me.card, bob.card));
    await expect(contacts.rejectReplacement(bob.card.profile.email)).rejects.toBeInstanceOf(NoReplacementToReject); // nothing to reject
    const impostor = sameProfileNewKeys(bob);
    await contacts.importCard(impostor);
    const restored = await contacts.rejectReplacement(bob.card.profile.email);
    expect(restored).toMatchObject({
      state: 'unverified',
      fingerprint: (await contacts.find(bob.card.profile.email)).fingerprint,
    });
    expect(Buffer.from(restored.card.bytes).equals(Buffer.from(bob.card.bytes))).toBe(true);
    expect((await contacts.trustOf(impostor)).kind).toBe('key-mismatch'); // a package signed with the rejected keys
    expect((await contacts.trustOf(bob.card)).kind).toBe('unverified');
  });

  it('a card with the same e-mail and new keys marks the contact key-changed, keeps the old key, and blocks sending', async () => {
    const { contacts } = await book();
    await contacts.importCard(bob.card);
    await contacts.verify(bob.card.profile.email, safetyNumber(me.card, bob.card));
    const impostor = sameProfileNewKeys(bob);
    const { outcome, contact } = await contacts.importCard(impostor);
    expect(outcome).toBe('key-changed');
    expect(contact.previousKeys.map((p) => p.fingerprint)).toEqual([Buffer.from(bob.card.fingerprint).toString('hex')]);
    await expect(
      resolveRecipients(contacts, PolicyGate.none(), {
        recipients: [bob.card.profile.email],
        confirmUnverified: true,
        requireVerified: false,
      }),
    ).rejects.toBeInstanceOf(RecipientKeyChanged);
    // re-verifying the new keys lifts the block
    await contacts.verify(bob.card.profile.email, safetyNumber(me.card, impostor));
    expect(
      (
        await resolveRecipients(contacts, PolicyGate.none(), {
          recipients: [bob.card.profile.email],
          confirmUnverified: true,
          requireVerified: true,
        })
      )[0]?.state,
    ).toBe('verified');
  });

  it('many recipients are resolved from one reading of the contacts, in order, refused at the first that fails', async () => {
    const storage = new MemoryContactStorage();
    let reads = 0;
    const counting = {
      load: () => {
        reads++;
        return storage.load();
      },
      save: storage.save.bind(storage),
    };
    const contacts = new ContactBook(counting, me.card);
    await contacts.importCard(bob.card);
    await contacts.importCard(carol.card);
    reads = 0;
    const request = { confirmUnverified: true, requireVerified: false };
    const resolved = await resolveRecipients(contacts, PolicyGate.none(), {
      ...request,
      recipients: [
        carol.card.profile.email,
        bob.card.profile.email,
        Buffer.from(bob.card.fingerprint).toString('hex').slice(0, 8),
      ],
    });
    expect(resolved.map((contact) => contact.card.profile.name)).toEqual([
      'Carol Partner',
      'Bob Partner',
      'Bob Partner',
    ]);
    expect(reads).toBe(1); // was once per recipient, each reading checking every stored card's signature
    await contacts.importCard(sameProfileNewKeys(bob));
    await expect(
      resolveRecipients(contacts, PolicyGate.none(), {
        ...request,
        recipients: [bob.card.profile.email, 'nobody@x.example'],
      }),
    ).rejects.toBeInstanceOf(RecipientKeyChanged); // the first that fails, as before
  });

  it('requireVerified refuses an unverified recipient; without it the contact is allowed', async () => {
    const { contacts } = await book();
    await contacts.importCard(carol.card);
    await expect(
      resolveRecipients(contacts, PolicyGate.none(), {
        recipients: [carol.card.profile.email],
        confirmUnverified: true,
        requireVerified: true,
      }),
    ).rejects.toBeInstanceOf(RecipientUnverified);
    expect(
      await resolveRecipients(contacts, PolicyGate.none(), {
        recipients: [carol.card.profile.email],
        confirmUnverified: true,
        requireVerified: false,
      }),
    ).toHaveLength(1);
  });

  it('judges senders: verified, unverified, unknown, and same e-mail with other keys (key-mismatch)', async () => {
    const { contacts } = await book();
    await contacts.importCard(bob.card);
    expect((await contacts.trustOf(bob.card)).kind).toBe('unverified');
    await contacts.verify(bob.card.profile.email, safetyNumber(me.card, bob.card));
    expect((await contacts.trustOf(bob.card)).kind).toBe('verified');
    expect((await contacts.trustOf(carol.card)).kind).toBe('unknown');
    expect((await contacts.trustOf(sameProfileNewKeys(bob))).kind).toBe('key-mismatch');
  });

  it('refuses my own card and a card reusing another contact’s keys under a new e-mail', async () => {
    const { contacts } = await book();
    await expect(contacts.importCard(me.card)).rejects.toBeInstanceOf(OwnCardImported);
    await contacts.importCard(bob.card);
    const sameKeysOtherEmail = createCard(
      { ...bob.card.profile, email: 'someone.else@example.org' },
      {
        signingKey: bob.card.signingKey,
        encryptionKey: bob.card.encryptionKey,
        signingSecretKey: bob.signingSecretKey,
      },
      new Date(),
    );
    await expect(contacts.importCard(sameKeysOtherEmail)).rejects.toBeInstanceOf(CardKeysConflict);
  });

  it('finds by e-mail or fingerprint prefix; too-short, unknown or ambiguous queries fail clearly', async () => {
    const { contacts } = await book();
    await contacts.importCard(bob.card);
    await contacts.importCard(carol.card);
    const bobHex = Buffer.from(bob.card.fingerprint).toString('hex');
    expect((await contacts.find(bobHex.slice(0, 8))).card.profile.email).toBe(bob.card.profile.email);
    expect((await contacts.find(bob.card.profile.email.toUpperCase())).fingerprint).toBe(bobHex);
    await expect(contacts.find(bobHex.slice(0, 4))).rejects.toBeInstanceOf(ContactNotFound);
    await expect(contacts.find('nobody@example.org')).rejects.toBeInstanceOf(ContactNotFound);
  });

  it('a prefix shared by two contacts is ambiguous', async () => {
    const [bobRecord, carolRecord] = [bob, carol].map((who, index) => ({
      card: who.card,
      fingerprint: `abcdef12${String(index).repeat(56)}`,
      state: 'unverified' as const,
      verifiedAt: null,
      verifiedBy: null,
      addedAt: '2026-01-01T00:00:00.000Z',
      previousKeys: [],
    }));
    const memory = { load: async () => [bobRecord!, carolRecord!], save: async () => undefined };
    const contacts = new ContactBook(memory, me.card);
    await expect(contacts.find('abcdef12')).rejects.toBeInstanceOf(ContactAmbiguous);
    expect((await contacts.find('abcdef120')).card.profile.email).toBe(bob.card.profile.email);
  });
});
