/**
 * Post-quantum keys on identities and cards (docs/FORMAT.md §3.5): version 2
 * cards and their strict parsing; an identity made before them gains its
 * X-Wing key at the next unlock (same fingerprint, audited, once); contacts
 * take the upgrade without losing verification and never go back to a
 * classical card; policy requirePostQuantum refuses classical recipients.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { createCard, decodeCard } from '../../main/identity/contact-card.js';
import { xwingPublicKey } from '../../main/crypto/xwing.js';
import { CardMalformed } from '../../main/identity/errors.js';
import { fingerprintHex, safetyNumber } from '../../main/identity/fingerprint.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { parseKeystore } from '../../main/identity/keystore.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { classicalOnly, resolveRecipients } from '../../main/services/recipients.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

const VECTORS = join(process.cwd(), 'test', 'vectors');
let alice: UnlockedIdentity;
let carol: UnlockedIdentity;

beforeAll(async () => {
  await loadSodium();
  alice = await fastIdentity('Alice');
  carol = await fastIdentity('Carol', undefined, { postQuantum: false });
});

/** The card's binary form around another body and version byte, keeping its signature. */
function rebuilt(card: { bytes: Uint8Array }, version: number, edit: (body: string) => string): Buffer {
  const bytes = Buffer.from(card.bytes);
  const length = bytes.readUInt16BE(1);
  const body = Buffer.from(edit(bytes.subarray(3, 3 + length).toString('utf8')), 'utf8');
  const header = Buffer.from([version, 0, 0]);
  header.writeUInt16BE(body.length, 1);
  return Buffer.concat([header, body, bytes.subarray(3 + length)]);
}

/** The same person's card issued again, signed by their Ed25519 key: with `pqKey` (or none) and dated `at`. */
function reissued(who: UnlockedIdentity, pqKey: Uint8Array | null, at: string) {
  const { profile, signingKey, encryptionKey } = who.card;
  return createCard(
    profile,
    { signingKey, encryptionKey, pqKey, signingSecretKey: who.signingSecretKey },
    new Date(at),
  );
}

describe('version 2 cards', () => {
  it('carry the X-Wing key next to the classical keys, self-signed; the fingerprint is that of the classical keys', () => {
    const card = decodeCard(alice.card.bytes);
    expect(card.bytes[0]).toBe(2);
    expect(card.pqKey?.length).toBe(1216);
    const classical = createCard(
      card.profile,
      { signingKey: card.signingKey, encryptionKey: card.encryptionKey, signingSecretKey: alice.signingSecretKey },
      new Date(card.createdAt),
    );
    expect(classical.bytes[0]).toBe(1);
    expect(fingerprintHex(classical.fingerprint)).toBe(fingerprintHex(card.fingerprint));
    expect(card.bytes.length).toBeLessThan(2300);
  });

  it('a version 1 card may not claim a post-quantum key, nor a version 2 card drop it', () => {
    expect(() => decodeCard(rebuilt(alice.card, 1, (body) => body))).toThrow(CardMalformed);
    expect(() => decodeCard(rebuilt(carol.card, 2, (body) => body.replace('"version":1', '"version":2')))).toThrow(
      CardMalformed,
    );
  });

  it('a swapped X-Wing key breaks the self-signature', async () => {
    const mallory = await fastIdentity('Mallory');
    const theirs = Buffer.from(mallory.card.pqKey!).toString('base64');
    const swapped = rebuilt(alice.card, 2, (body) =>
      body.replace(Buffer.from(alice.card.pqKey!).toString('base64'), theirs),
    );
    expect(() => decodeCard(swapped)).toThrow(/signature/i);
  });
});

describe('an identity made before post-quantum keys', () => {
  async function classicalProfile(): Promise<{ session: ProfileSession; folder: ProfileFolder; passphrase: string }> {
    const work = await tempFolder('medseal-pq-id-');
    const folder = new ProfileFolder(join(work, 'profile'));
    await mkdir(folder.path, { recursive: true });
    await copyFile(join(VECTORS, 'v1-keystore.json'), folder.keystorePath); // a version 1 card, 112-byte secrets
    const { passphrase } = JSON.parse(await readFile(join(VECTORS, 'v1-keystore.expected.json'), 'utf8')) as {
      passphrase: string;
    };
    return { session: new ProfileSession(folder, PolicyGate.none(), KDF_FLOOR), folder, passphrase };
  }

  it('gains its X-Wing key at the next unlock: same fingerprint and safety number, audited once, keystore rewritten', async () => {
    const { session, folder, passphrase } = await classicalProfile();
    const before = parseKeystore(await readFile(folder.keystorePath, 'utf8')).card;
    expect(before.pqKey).toBeNull();

    const profile = await session.unlock(passphrase);
    const card = profile.identity.card;
    expect(card.pqKey).not.toBeNull();
    expect(profile.identity.pqSecretKey?.length).toBe(32);
    expect(fingerprintHex(card.fingerprint)).toBe(fingerprintHex(before.fingerprint));
    expect(safetyNumber(card, alice.card)).toBe(safetyNumber(before, alice.card));
    expect(parseKeystore(await readFile(folder.keystorePath, 'utf8')).card.pqKey).toEqual(card.pqKey);
    const added = () =>
      profile.audit.entries().filter((entry) => entry.action === 'identity.post-quantum-added').length;
    expect(added()).toBe(1);

    session.lock();
    const again = await session.unlock(passphrase);
    expect(again.identity.card.pqKey).toEqual(card.pqKey); // the same key: nothing added twice
    expect(again.audit.entries().filter((entry) => entry.action === 'identity.post-quantum-added')).toHaveLength(1);
    session.close();
  });

  it('a keystore whose secrets do not fit its card is refused', async () => {
    const { folder } = await classicalProfile();
    const text = JSON.parse(await readFile(folder.keystorePath, 'utf8')) as { card: string };
    text.card = Buffer.from(alice.card.bytes).toString('base64'); // a version 2 card over 112-byte secrets
    await writeFile(folder.keystorePath, JSON.stringify(text));
    expect(() => parseKeystore(JSON.stringify(text))).toThrow(/do not match the contact card/);
  });
});

describe('contacts and the upgrade', () => {
  async function bookWith(owner: UnlockedIdentity) {
    const work = await tempFolder('medseal-pq-book-');
    const session = new ProfileSession(new ProfileFolder(join(work, 'p')), PolicyGate.none(), KDF_FLOOR);
    const profile = await session.create(
      { name: owner.card.profile.name, organisation: 'Test Hospital', email: 'owner@test.example' },
      'correct horse battery staple',
    );
    return { session, book: profile.contacts };
  }

  it('a verified contact stays verified when their version 2 card arrives; their old card never replaces it again', async () => {
    const dana = await fastIdentity('Dana', undefined, { postQuantum: false });
    const { session, book } = await bookWith(alice);
    await book.importCard(dana.card);
    await book.verify(dana.card.profile.email, safetyNumber(session.requireUnlocked().identity.card, dana.card));

    const upgraded = reissued(dana, xwingPublicKey(new Uint8Array(32).fill(5)), '2026-06-01T00:00:00.000Z');
    const result = await book.importCard(upgraded);
    expect(result.outcome).toBe('updated');
    expect(result.contact.state).toBe('verified');
    expect(result.contact.card.pqKey).toEqual(upgraded.pqKey);

    const replayed = createCard(
      dana.card.profile,
      {
        signingKey: dana.card.signingKey,
        encryptionKey: dana.card.encryptionKey,
        signingSecretKey: dana.signingSecretKey,
      },
      new Date('2026-07-01T00:00:00.000Z'),
    );
    expect((await book.importCard(replayed)).outcome).toBe('unchanged');
    expect((await book.find(dana.card.profile.email)).card.pqKey).toEqual(upgraded.pqKey);
    session.close();
  });

  it('a card whose post-quantum key cannot be used is refused at import, not at sealing (security review, F3)', async () => {
    const { session, book } = await bookWith(alice);
    const erin = await fastIdentity('Erin Bad Key');
    const unusable = Buffer.from(erin.card.pqKey!);
    unusable.fill(0, 1184); // the X25519 half: a low-order point
    const card = createCard(
      erin.card.profile,
      {
        signingKey: erin.card.signingKey,
        encryptionKey: erin.card.encryptionKey,
        pqKey: unusable,
        signingSecretKey: erin.signingSecretKey,
      },
      new Date(erin.card.createdAt),
    );
    await expect(book.importCard(card)).rejects.toMatchObject({ code: 'CARD_MALFORMED' });
    session.close();
  });

  it('a newer card with the same classical keys but another post-quantum key is a key change, never silent (security review, F4)', async () => {
    const { session, book } = await bookWith(alice);
    const frank = await fastIdentity('Frank');
    await book.importCard(frank.card);
    await book.verify(frank.card.profile.email, safetyNumber(session.requireUnlocked().identity.card, frank.card));
    const rekeyed = reissued(frank, xwingPublicKey(new Uint8Array(32).fill(6)), '2026-09-01T00:00:00.000Z');
    const result = await book.importCard(rekeyed);
    expect(result.outcome).toBe('key-changed');
    expect(result.contact.state).toBe('key-changed');
    expect((await book.trustOf(rekeyed)).kind).toBe('key-changed');
    session.close();
  });

  it('policy requirePostQuantum refuses a recipient whose card has no X-Wing key; otherwise the front ends are told who', async () => {
    const { session, book } = await bookWith(alice);
    await book.importCard(carol.card);
    await book.importCard((await fastIdentity('Erin')).card);
    const strict = new PolicyGate({
      state: 'ok',
      source: '/etc/medseal/policy.json',
      effective: { ...POLICY_DEFAULTS, requirePostQuantum: true },
      managed: ['requirePostQuantum'],
    });
    const request = { recipients: ['erin@example.org', carol.card.profile.email], confirmUnverified: true };
    await expect(resolveRecipients(book, strict, request)).rejects.toMatchObject({ code: 'POST_QUANTUM_REQUIRED' });
    const resolved = await resolveRecipients(book, PolicyGate.none(), request);
    expect(classicalOnly(resolved).map((contact) => contact.card.profile.email)).toEqual([carol.card.profile.email]);
    session.close();
  });
});
