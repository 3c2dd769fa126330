/** The organisation directory: signed cards trusted, forged ones ignored and reported, revocations honoured, a forged revocation list trusted nothing. */
import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRecipients } from '../../main/services/recipients.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ContactBook } from '../../main/contacts/contact-book.js';
import { MemoryContactStorage } from '../helpers/memory-contacts.js';
import { createOrgKey, unlockOrgKey } from '../../main/directory/org-key.js';
import { loadDirectory } from '../../main/directory/org-directory.js';
import { signCardIntoDirectory, writeRevocations } from '../helpers/earlier-directory.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { WrongPassphrase } from '../../main/identity/errors.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

let org: UnlockedIdentity;
let mallory: UnlockedIdentity;
let partner: UnlockedIdentity;
let other: UnlockedIdentity;
let me: UnlockedIdentity;

beforeAll(async () => {
  [org, mallory, partner, other, me] = (await Promise.all(
    ['Org Admin', 'Mallory', 'Partner Clinic', 'Other Clinic', 'Me'].map((name) => fastIdentity(name)),
  )) as [UnlockedIdentity, UnlockedIdentity, UnlockedIdentity, UnlockedIdentity, UnlockedIdentity];
});

describe('organisation directory', () => {
  it('lists cards signed by the organisation; a card signed by another key is ignored and reported', async () => {
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey);
    await signCardIntoDirectory(dir, other.card, mallory.signingSecretKey); // not the org key
    const loaded = await loadDirectory(dir, org.card.signingKey);
    expect(loaded.cards.map((card) => card.profile.name)).toEqual(['Partner Clinic']);
    expect(loaded.warnings).toEqual([
      `${fingerprintHex(other.card.fingerprint)}.medseal-org-card: not signed by the organisation key (ignored)`,
    ]);
  });

  it('a card edited after signing is ignored', async () => {
    const dir = await tempFolder();
    const path = await signCardIntoDirectory(dir, partner.card, org.signingSecretKey);
    const signed = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...signed, card: Buffer.from(other.card.bytes).toString('base64') }));
    expect((await loadDirectory(dir, org.card.signingKey)).cards).toEqual([]);
  });

  it('revoked cards drop out; a revocation list not signed by the org makes no card trusted', async () => {
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey);
    await signCardIntoDirectory(dir, other.card, org.signingSecretKey);
    await writeRevocations(dir, [fingerprintHex(other.card.fingerprint)], org.signingSecretKey);
    expect((await loadDirectory(dir, org.card.signingKey)).cards.map((card) => card.profile.name)).toEqual([
      'Partner Clinic',
    ]);
    await writeRevocations(dir, [], mallory.signingSecretKey); // someone tries to un-revoke
    const loaded = await loadDirectory(dir, org.card.signingKey);
    expect(loaded.cards).toEqual([]);
    expect(loaded.warnings[0]).toMatch(/revoked\.json is not signed by the organisation key/);
  });

  it('directory cards count as verified by the organisation for contacts, senders and recipients', async () => {
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey);
    const book = new ContactBook(
      new MemoryContactStorage(),
      me.card,
      () => new Date(),
      () => undefined,
      async () => (await loadDirectory(dir, org.card.signingKey)).cards.map((card) => ({ card, partner: null })),
    );
    expect((await book.list()).map((contact) => [contact.card.profile.name, contact.state])).toEqual([
      ['Partner Clinic', 'org-verified'],
    ]);
    expect((await book.trustOf(partner.card)).kind).toBe('org-verified');
    expect(
      (
        await resolveRecipients(book, PolicyGate.none(), {
          recipients: [partner.card.profile.email],
          confirmUnverified: true,
          requireVerified: true,
        })
      )[0]?.state,
    ).toBe('org-verified');
    expect((await book.trustOf(other.card)).kind).toBe('unknown');
  });

  it('the organisation key file is passphrase-protected', async () => {
    const { text, publicKey } = await createOrgKey('organisation admin passphrase', KDF_FLOOR);
    expect(Buffer.from((await unlockOrgKey(text, 'organisation admin passphrase')).publicKey).toString('base64')).toBe(
      publicKey,
    );
    await expect(unlockOrgKey(text, 'not the org passphrase')).rejects.toThrow(WrongPassphrase);
    expect(text).not.toMatch(/privateKey|secretKey/);
  });
});
