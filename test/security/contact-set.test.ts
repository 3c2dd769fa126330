/**
 * Security review, high 3: "a planted contact list". Someone who can write
 * to the profile folder deletes the contact rows (no per-row MAC breaks)
 * and drops a legacy contacts.json naming an impostor as verified Bob; it
 * used to be imported at the next unlock. Now there is no legacy import,
 * and the contact list as a whole is authenticated: deleted, re-inserted
 * and rolled-back rows are STORE_TAMPERED.
 *
 * Second review (issue 26, item 6): the set MAC's event list left out
 * contact.replacement-rejected, so rows restored from before a
 * reject-change brought the impostor's keys back with no alarm. The list is
 * now derived from the contact event type; every event is checked here.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintHex, safetyNumber } from '../../main/identity/fingerprint.js';
import { AUDIT_ACTIONS } from '../../main/audit/audit-entry.js';
import { CONTACT_EVENTS, type ContactEvent } from '../../main/contacts/contact-events.js';
import { createCard } from '../../main/identity/contact-card.js';
import { CONTACT_SET_ACTIONS } from '../../main/store/sqlite-contact-storage.js';
import { hmacSha256 } from '../../main/crypto/primitives.js';
import { AuditLog } from '../../main/store/audit-log.js';
import { StoreTampered } from '../../main/store/errors.js';
import { ProfileStore } from '../../main/store/profile-store.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';

async function profileWithVerifiedBob() {
  const opened = await openTestProfile();
  const bob = await fastIdentity('Bob');
  await opened.profile.contacts.importCard(bob.card);
  await opened.profile.contacts.verify(bob.card.profile.email, safetyNumber(opened.identity.card, bob.card));
  return { ...opened, bob };
}

const copyOfContacts =
  'CREATE TABLE saved_contacts AS SELECT * FROM contacts; CREATE TABLE saved_set AS SELECT * FROM contact_set;';
const restoreContacts =
  'DELETE FROM contacts; INSERT INTO contacts SELECT * FROM saved_contacts; DELETE FROM contact_set; INSERT INTO contact_set SELECT * FROM saved_set;';
/** Every table of the contact list (rows, key history, set MAC), saved and put back whole. */
const copyOfContactList = `${copyOfContacts} CREATE TABLE saved_history AS SELECT * FROM contact_key_history;`;
const restoreContactList = `${restoreContacts} DELETE FROM contact_key_history; INSERT INTO contact_key_history SELECT * FROM saved_history;`;

describe('the contact list as a whole', () => {
  it('a planted contacts.json is never imported, and the deleted rows it was to replace are detected', async () => {
    const { folder, store, identity } = await profileWithVerifiedBob();
    const impostor = await fastIdentity('Bob');
    store.db.exec('DELETE FROM contacts');
    const planted = {
      format: 'medseal-contacts',
      version: 1,
      contacts: [
        {
          card: Buffer.from(impostor.card.bytes).toString('base64'),
          state: 'verified',
          verifiedAt: '2026-01-01T00:00:00.000Z',
          verifiedBy: 'safety-number',
          addedAt: '2026-01-01T00:00:00.000Z',
          previousKeys: [],
        },
      ],
    };
    await writeFile(join(folder.path, 'contacts.json'), JSON.stringify(planted));
    store.close();

    const again = await ProfileStore.open(folder);
    const profile = await again.unlock(identity);
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
    await expect(profile.contacts.trustOf(impostor.card)).rejects.toBeInstanceOf(StoreTampered);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM contacts').get()).toEqual({ n: 0 });
    again.close();
  });

  it('one deleted row is detected', async () => {
    const { profile, store } = await profileWithVerifiedBob();
    await profile.contacts.importCard((await fastIdentity('Carol')).card);
    store.db.exec("DELETE FROM contacts WHERE name = 'Carol'");
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
  });

  it('rows and their set MAC rolled back to an earlier, valid state are detected (the audit log has a later contact event)', async () => {
    const { profile, store, bob } = await profileWithVerifiedBob();
    store.db.exec(copyOfContacts);
    await profile.contacts.remove(bob.card.profile.email); // Bob's keys were reported lost: removed
    store.db.exec(restoreContacts);
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
  });

  it('a removed contact re-inserted with its old, valid row MAC is detected', async () => {
    const { profile, store, bob } = await profileWithVerifiedBob();
    store.db.exec('CREATE TABLE saved_contacts AS SELECT * FROM contacts');
    await profile.contacts.remove(bob.card.profile.email);
    store.db.exec('INSERT INTO contacts SELECT * FROM saved_contacts');
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
  });

  it('the set MAC itself deleted is detected', async () => {
    const { profile, store } = await profileWithVerifiedBob();
    store.db.exec('DELETE FROM contact_set');
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
  });

  it('a profile from before the set MAC adopts its contacts once, with a signed audit event', async () => {
    const { folder, store, identity, bob } = await profileWithVerifiedBob();
    // What a profile of the previous version looks like: a whole chain without the creation event, no set MAC.
    store.db.exec(
      'DROP TABLE partner_organisations; DROP TABLE package_passphrase_recipients; DROP TABLE package_threads; DROP TABLE mailbox; DROP TABLE delivery_queue; DROP TABLE contact_set; DROP TABLE deliveries; DROP TABLE sftp_exchanges; DROP TABLE receipt_routes; DELETE FROM audit_events; DELETE FROM audit_head; PRAGMA user_version = 2;',
    );
    const legacyLog = new AuditLog(store.db, identity);
    for (const action of ['contact.imported', 'contact.verified'] as const)
      legacyLog.append({ action, counterparts: [fingerprintHex(bob.card.fingerprint)] });
    store.close();

    const upgraded = await ProfileStore.open(folder);
    const profile = await upgraded.unlock(identity);
    expect(await profile.contacts.list()).toMatchObject([
      { state: 'verified', card: { profile: { email: bob.card.profile.email } } },
    ]);
    expect(profile.audit.entries().filter((entry) => entry.action === 'store.contact-set-created')).toHaveLength(1);
    expect(profile.audit.verify().ok).toBe(true);
    upgraded.close();
  });

  it('a second adoption cannot be forced (set MAC dropped, schema version lowered, a contact deleted)', async () => {
    const { folder, store, identity } = await profileWithVerifiedBob();
    store.db.exec(
      'DROP TABLE partner_organisations; DROP TABLE package_passphrase_recipients; DROP TABLE package_threads; DROP TABLE mailbox; DROP TABLE delivery_queue; DROP TABLE contact_set; DROP TABLE deliveries; DROP TABLE sftp_exchanges; DROP TABLE receipt_routes; PRAGMA user_version = 2; DELETE FROM contacts;',
    );
    store.close();
    const again = await ProfileStore.open(folder);
    await expect((await again.unlock(identity)).contacts.list()).rejects.toBeInstanceOf(StoreTampered);
    again.close();
  });

  it('nor by cutting the creation event out of the audit chain: the unlock refuses', async () => {
    const { folder, store, identity } = await profileWithVerifiedBob();
    store.db.exec(
      "DROP TABLE partner_organisations; DROP TABLE package_passphrase_recipients; DROP TABLE package_threads; DROP TABLE mailbox; DROP TABLE delivery_queue; DROP TABLE contact_set; DROP TABLE deliveries; DROP TABLE sftp_exchanges; DROP TABLE receipt_routes; PRAGMA user_version = 2; DELETE FROM contacts; DELETE FROM audit_events WHERE action = 'store.contact-set-created';",
    );
    store.close();
    const again = await ProfileStore.open(folder);
    await expect(again.unlock(identity)).rejects.toBeInstanceOf(StoreTampered);
    again.close();
  });

  it('an older contact set with the audit log cut back to it is refused (the signed head names a later entry)', async () => {
    const { profile, store, bob } = await profileWithVerifiedBob();
    store.db.exec(copyOfContacts);
    await profile.contacts.remove(bob.card.profile.email);
    store.db.exec(`${restoreContacts} DELETE FROM audit_events WHERE seq > (SELECT audit_seq FROM saved_set);`);
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
    expect(() => profile.audit.append({ action: 'audit.exported', detail: 'csv' })).toThrow(StoreTampered);
  });
});

describe('the contact set MAC covers every contact event (issue 26, item 6)', () => {
  it("rows restored from before a reject-change (the impostor's keys back) are detected", async () => {
    const { profile, store, bob } = await profileWithVerifiedBob();
    const impostor = await fastIdentity('Bob'); // Bob's name and e-mail, other keys
    expect((await profile.contacts.importCard(impostor.card)).outcome).toBe('key-changed');
    store.db.exec(copyOfContactList); // saved while the impostor's card is Bob's
    const restored = await profile.contacts.rejectReplacement(bob.card.profile.email);
    expect(restored.fingerprint).toBe(fingerprintHex(bob.card.fingerprint));
    store.db.exec(restoreContactList);
    await expect(profile.contacts.list()).rejects.toBeInstanceOf(StoreTampered);
    await expect(profile.contacts.trustOf(impostor.card)).rejects.toBeInstanceOf(StoreTampered);
  });

  it('names every contact event and every contact.* audit action', () => {
    for (const event of CONTACT_EVENTS) expect(CONTACT_SET_ACTIONS).toContain(event);
    for (const action of AUDIT_ACTIONS.filter((name) => name.startsWith('contact.')))
      expect(CONTACT_EVENTS).toContain(action);
    expect(new Set(CONTACT_EVENTS).size).toBe(CONTACT_EVENTS.length);
  });

  it('each contact event written after the set MAC makes the set stale: the store counts it', async () => {
    for (const event of CONTACT_EVENTS) {
      const { profile, bob } = await profileWithVerifiedBob();
      expect(await profile.contacts.list()).toHaveLength(1);
      profile.audit.append({ action: event, counterparts: [fingerprintHex(bob.card.fingerprint)] }); // a change whose rows never came
      await expect(profile.contacts.list(), event).rejects.toBeInstanceOf(StoreTampered);
    }
  });

  it('every event the contact book emits is a contact event', async () => {
    const { profile, bob, identity } = await profileWithVerifiedBob();
    await profile.contacts.importCard((await fastIdentity('Bob')).card); // key-changed
    await profile.contacts.rejectReplacement(bob.card.profile.email);
    const dan = await fastIdentity('Dan');
    await profile.contacts.importCard(dan.card);
    const renamed = createCard(
      { ...dan.card.profile, name: 'Dr Daniel Other' },
      {
        signingKey: dan.card.signingKey,
        encryptionKey: dan.card.encryptionKey,
        pqKey: dan.card.pqKey,
        signingSecretKey: dan.signingSecretKey,
      },
      new Date(),
    );
    expect((await profile.contacts.importCard(renamed)).outcome).toBe('identity-changed');
    await profile.contacts.verify(dan.card.profile.email, safetyNumber(identity.card, renamed));
    await profile.contacts.remove(dan.card.profile.email);
    const emitted = new Set(
      profile.audit
        .entries()
        .map((entry) => entry.action)
        .filter((action) => action.startsWith('contact.')),
    );
    expect([...emitted].sort()).toEqual([...CONTACT_EVENTS].sort());
    for (const action of emitted) expect(CONTACT_EVENTS).toContain(action as ContactEvent);
    expect(await profile.contacts.list()).toHaveLength(1);
  });

  it('a set MAC of the earlier kind is taken over once, under a signed event; after that it is tampering', async () => {
    const { folder, store, identity, profile, bob } = await profileWithVerifiedBob();
    // What the previous version wrote: the label 'contact-set', bound to the newest of its five events.
    const legacyMac = () => {
      const seq = (
        store.db
          .prepare(
            "SELECT MAX(seq) AS seq FROM audit_events WHERE action IN ('contact.imported','contact.verified','contact.key-changed','contact.removed','store.contact-set-created')",
          )
          .get() as { seq: number }
      ).seq;
      const hash = (
        store.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').get(seq) as { hash: Buffer }
      ).hash.toString('hex');
      const rows = (store.db.prepare('SELECT row_mac FROM contacts ORDER BY id').raw(true).all() as [Buffer][]).map(
        ([mac]) => mac.toString('hex'),
      );
      const history = (
        store.db.prepare('SELECT row_mac FROM contact_key_history ORDER BY id').raw(true).all() as [Buffer][]
      ).map(([mac]) => mac.toString('hex'));
      store.db
        .prepare('UPDATE contact_set SET audit_seq = ?, mac = ? WHERE id = 1')
        .run(
          seq,
          hmacSha256(
            profile.contactMacKey,
            Buffer.from(JSON.stringify(['contact-set', seq, hash, rows, history]), 'utf8'),
          ),
        );
    };
    await profile.contacts.importCard((await fastIdentity('Bob')).card);
    await profile.contacts.rejectReplacement(bob.card.profile.email); // the last change: the old version did not bind the set to it
    legacyMac();
    store.close();

    const upgraded = await ProfileStore.open(folder);
    const again = await upgraded.unlock(identity);
    expect(await again.contacts.list()).toHaveLength(1);
    expect(again.audit.entries().filter((entry) => entry.action === 'store.contact-set-upgraded')).toHaveLength(1);
    upgraded.close();

    const reopened = await ProfileStore.open(folder);
    const third = await reopened.unlock(identity);
    expect(third.audit.entries().filter((entry) => entry.action === 'store.contact-set-upgraded')).toHaveLength(1); // once
    reopened.close();
  });

  it('an earlier-kind set MAC planted after the upgrade is refused', async () => {
    const { folder, store, identity, profile } = await profileWithVerifiedBob();
    profile.audit.append({ action: 'store.contact-set-upgraded' });
    const seq = (
      store.db
        .prepare(
          "SELECT MAX(seq) AS seq FROM audit_events WHERE action IN ('contact.imported','contact.verified','contact.key-changed','contact.removed','store.contact-set-created')",
        )
        .get() as { seq: number }
    ).seq;
    const hash = (
      store.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').get(seq) as { hash: Buffer }
    ).hash.toString('hex');
    const rows = (store.db.prepare('SELECT row_mac FROM contacts ORDER BY id').raw(true).all() as [Buffer][]).map(
      ([mac]) => mac.toString('hex'),
    );
    store.db
      .prepare('UPDATE contact_set SET audit_seq = ?, mac = ? WHERE id = 1')
      .run(
        seq,
        hmacSha256(profile.contactMacKey, Buffer.from(JSON.stringify(['contact-set', seq, hash, rows, []]), 'utf8')),
      );
    store.close();
    const again = await ProfileStore.open(folder);
    await expect((await again.unlock(identity)).contacts.list()).rejects.toBeInstanceOf(StoreTampered);
    again.close();
  });
});
