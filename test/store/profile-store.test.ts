import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRecipients } from '../../main/services/recipients.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { RecipientKeyChanged } from '../../main/contacts/errors.js';
import { safetyNumber } from '../../main/identity/fingerprint.js';
import { StoreTampered } from '../../main/store/errors.js';
import { FieldCipher } from '../../main/store/field-cipher.js';
import { ProfileStore } from '../../main/store/profile-store.js';
import { createCard } from '../../main/identity/contact-card.js';
import { sodium } from '../../main/crypto/sodium.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('contacts in the database', () => {
  it('keep their state and key history, and each change is audited in the same transaction', async () => {
    const { profile } = await openTestProfile();
    const bob = await fastIdentity('Bob');
    await profile.contacts.importCard(bob.card);
    await profile.contacts.verify(bob.card.profile.email, safetyNumber(profile.identity.card, bob.card));
    const s = sodium();
    const signing = s.crypto_sign_keypair();
    const secret = s.randombytes_buf(32);
    const newBob = createCard(
      bob.card.profile,
      {
        signingKey: signing.publicKey,
        encryptionKey: s.crypto_scalarmult_base(secret),
        signingSecretKey: signing.privateKey,
      },
      new Date(),
    );
    await profile.contacts.importCard(newBob);
    const [contact] = await profile.contacts.list();
    expect(contact).toMatchObject({ state: 'key-changed' });
    expect(contact!.previousKeys).toHaveLength(1);
    await expect(
      resolveRecipients(profile.contacts, PolicyGate.none(), {
        recipients: [bob.card.profile.email],
        confirmUnverified: true,
        requireVerified: false,
      }),
    ).rejects.toBeInstanceOf(RecipientKeyChanged);
    expect(profile.audit.entries().map((entry) => entry.action)).toEqual([
      'identity.unlocked',
      'store.contact-set-created',
      'contact.imported',
      'contact.verified',
      'contact.key-changed',
    ]);
    expect(profile.audit.verify().ok).toBe(true);
  });

  it('a trust state edited in the database (an impostor marked verified) is detected, not believed', async () => {
    const { profile, store } = await openTestProfile();
    const impostor = await fastIdentity('Impostor');
    await profile.contacts.importCard(impostor.card);
    store.db.exec(
      "UPDATE contacts SET state = 'verified', verified_by = 'safety-number', verified_at = '2026-01-01T00:00:00.000Z'",
    );
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
    await expect(
      resolveRecipients(profile.contacts, PolicyGate.none(), {
        recipients: [impostor.card.profile.email],
        confirmUnverified: true,
        requireVerified: true,
      }),
    ).rejects.toBeInstanceOf(StoreTampered);
  });
});

describe('encrypted fields', () => {
  it('are bound to their row and column: moved or altered ciphertext is refused', () => {
    const cipher = new FieldCipher(Buffer.alloc(32, 1));
    const sealed = cipher.seal('Zebulon.pdf', 'package_files', 'name', '7:0');
    expect(cipher.open(sealed, 'package_files', 'name', '7:0')).toBe('Zebulon.pdf');
    expect(() => cipher.open(sealed, 'package_files', 'name', '8:0')).toThrow(StoreTampered);
    expect(() => cipher.open(sealed, 'packages', 'note', '7:0')).toThrow(StoreTampered);
    const flipped = Buffer.from(sealed);
    flipped[20]! ^= 1;
    expect(() => cipher.open(flipped, 'package_files', 'name', '7:0')).toThrow(StoreTampered);
    expect(() => new FieldCipher(Buffer.alloc(32, 2)).open(sealed, 'package_files', 'name', '7:0')).toThrow(
      StoreTampered,
    );
  });
});

describe('crash recovery', () => {
  it('temp files recorded by a run that never finished are removed at the next unlock; others are never touched', async () => {
    const work = await tempFolder();
    const first = await openTestProfile({ folder: join(work, 'profile') });
    const orphan = join(work, '.medseal-partial-0123456789abcdef');
    const notOurs = join(work, 'report.pdf');
    await writeFile(orphan, 'half a package');
    await writeFile(notOurs, 'a user file');
    await first.profile.tempFiles.register(orphan);
    await first.profile.tempFiles.register(notOurs); // even if the database says so, only our prefix is deleted
    first.store.close(); // the "crash": never released

    const again = await ProfileStore.open(first.folder);
    await again.unlock(first.identity);
    expect((await readdir(work)).sort()).toEqual(['profile', 'report.pdf']);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM temp_files').get()).toEqual({ n: 0 });
    again.close();
  });
});

describe('package history', () => {
  it('lists newest first and searches file names without regard to case or accents', async () => {
    const { profile } = await openTestProfile();
    const peer = 'ef'.repeat(32);
    const record = (hash: string, names: string[], when: string) =>
      profile.history.record({
        packageHash: hash,
        direction: 'received',
        counterpart: peer,
        recipients: [peer],
        files: names.map((name) => ({ name, size: 10 })),
        note: 'n',
        sealedAt: when,
        recordedAt: when,
      });
    record('a'.repeat(64), ['Lab results.pdf'], '2026-11-01T10:00:00.000Z');
    record('b'.repeat(64), ['Échographie cœur.dcm', 'letter.txt'], '2026-11-02T10:00:00.000Z');
    const again = record('a'.repeat(64), ['Lab results.pdf'], '2026-11-03T10:00:00.000Z');
    const index = profile.packageIndex();
    expect(index.packages.map((p) => p.id)).toEqual([again, index.packages[1]!.id]);
    expect(index.packages).toHaveLength(2);
    expect(index.search('echographie').map((p) => p.files[0]!.name)).toEqual(['Échographie cœur.dcm']);
    expect(index.search('LAB')).toHaveLength(1);
    expect(index.search('nothing like this')).toEqual([]);
    const [newest, ...rest] = profile.history.recent(1);
    expect(rest).toEqual([]);
    expect(newest).toMatchObject({ id: again, files: [{ name: 'Lab results.pdf', size: 10 }] });
  });
});
