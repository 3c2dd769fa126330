/**
 * Finding packages (services/package-search.ts), as the app's Activity and
 * `medseal packages list --search` do: by file name, or by the sender's or
 * any recipient's name, organisation or e-mail as the contacts know them
 * now, ignoring case and accents, newest first.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { createCard, type ContactCard } from '../../main/identity/contact-card.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { searchPackages } from '../../main/services/package-search.js';
import type { PackageRecordInput } from '../../main/store/package-history.js';
import type { UnlockedProfile } from '../../main/store/unlocked-profile.js';
import { openTestProfile } from '../helpers/profiles.js';

beforeAll(async () => {
  await loadSodium();
});

/** A partner's card with the details a test needs (fastIdentity names every organisation alike). */
async function partner(name: string, organisation: string, email: string): Promise<ContactCard> {
  const s = await loadSodium();
  const signing = s.crypto_sign_keypair();
  return createCard(
    { name, organisation, role: 'Clinician', email },
    {
      signingKey: signing.publicKey,
      encryptionKey: s.crypto_scalarmult_base(s.randombytes_buf(32)),
      signingSecretKey: signing.privateKey,
    },
    new Date('2026-01-01T00:00:00.000Z'),
  );
}

let packages = 0;
function record(profile: UnlockedProfile, input: Omit<PackageRecordInput, 'packageHash' | 'note' | 'sealedAt'>) {
  packages++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, packages)).toISOString();
  profile.history.record({ packageHash: packages.toString(16).padStart(64, '0'), note: '', sealedAt: at, ...input });
}

async function searchable() {
  const { profile } = await openTestProfile();
  const me = fingerprintHex(profile.identity.card.fingerprint);
  const bob = await partner('Dr Bob Brown', "St. Mary's Clinic", 'bob@stmarys.example');
  const carol = await partner('Dr Carol Černá', 'Lab Nord', 'carol@lab-nord.example');
  const dave = await partner('Dave Dunn', 'Radiology West', 'dave@radiology.example');
  for (const card of [bob, carol, dave]) await profile.contacts.importCard(card);
  const fp = (card: ContactCard) => fingerprintHex(card.fingerprint);
  record(profile, {
    direction: 'sent',
    counterpart: fp(bob),
    recipients: [fp(bob)],
    files: [{ name: 'Röntgen-Befund.pdf', size: 10 }],
    recordedAt: '2026-02-01T10:00:00.000Z',
  });
  record(profile, {
    direction: 'received',
    counterpart: fp(carol),
    recipients: [me, fp(dave)],
    files: [{ name: 'potassium.csv', size: 20 }],
    recordedAt: '2026-02-02T10:00:00.000Z',
  });
  record(profile, {
    direction: 'sent',
    counterpart: fp(dave),
    recipients: [fp(dave), fp(bob)],
    files: [
      { name: 'referral.txt', size: 5 },
      { name: 'scan.dcm', size: 50 },
    ],
    recordedAt: '2026-02-03T10:00:00.000Z',
  });
  const files = (found: Awaited<ReturnType<typeof searchPackages>>) => found.map((item) => item.files[0]!.name);
  return { profile, bob, carol, dave, files };
}

describe('package search', () => {
  it('finds a file name whatever its case and accents, and any file of a package', async () => {
    const { profile, files } = await searchable();
    expect(files(await searchPackages(profile, 'RONTGEN'))).toEqual(['Röntgen-Befund.pdf']);
    expect(files(await searchPackages(profile, '  scan.DCM '))).toEqual(['referral.txt']);
    expect(await searchPackages(profile, 'warfarin')).toEqual([]);
  });

  it("finds the sender's and every recipient's name, organisation and e-mail, newest first", async () => {
    const { profile, files } = await searchable();
    expect(files(await searchPackages(profile, 'cerna'))).toEqual(['potassium.csv']); // the sender, by name
    expect(files(await searchPackages(profile, 'lab-nord.example'))).toEqual(['potassium.csv']); // by e-mail
    expect(files(await searchPackages(profile, 'radiology west'))).toEqual(['referral.txt', 'potassium.csv']); // a recipient that is not the counterpart
    expect(files(await searchPackages(profile, "st. mary's"))).toEqual(['referral.txt', 'Röntgen-Befund.pdf']);
  });

  it('stops at the limit, keeping the newest', async () => {
    const { profile, files } = await searchable();
    expect(files(await searchPackages(profile, 'dr', 1))).toEqual(['referral.txt']);
    expect(await searchPackages(profile, 'dr', 2)).toHaveLength(2);
  });

  it('names people by their current keys only: packages of keys since replaced are not found by their name', async () => {
    const { profile, bob, files } = await searchable();
    const newBob = await partner('Dr Bob Brown', "St. Mary's Clinic", 'bob@stmarys.example');
    await profile.contacts.importCard(newBob); // the old keys may have been an impostor's
    expect(files(await searchPackages(profile, 'bob brown'))).toEqual([]);
    record(profile, {
      direction: 'sent',
      counterpart: fingerprintHex(newBob.fingerprint),
      recipients: [fingerprintHex(newBob.fingerprint)],
      files: [{ name: 'after.txt', size: 1 }],
      recordedAt: '2026-02-04T10:00:00.000Z',
    });
    expect(files(await searchPackages(profile, 'bob brown'))).toEqual(['after.txt']);
    expect(fingerprintHex(bob.fingerprint)).not.toBe(fingerprintHex(newBob.fingerprint));
  });

  it('a removed contact is no longer a name to search by; the file names still are', async () => {
    const { profile, carol, files } = await searchable();
    await profile.contacts.remove(carol.profile.email);
    expect(await searchPackages(profile, 'lab nord')).toEqual([]);
    expect(files(await searchPackages(profile, 'potassium'))).toEqual(['potassium.csv']);
  });
});
