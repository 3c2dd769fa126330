/**
 * Saving the contact list (store/sqlite-contact-storage.ts, issue 27): a
 * change writes only the contact it changes, in the transaction of its audit
 * entry and the set MAC, and the list is still refused when anything in it
 * is edited, removed or rolled back behind MedSeal's back. Row ids are the
 * witness: rewriting every row, as saving did before, renumbers them.
 */
import { describe, expect, it } from 'vitest';
import { fingerprintHex, safetyNumber } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { StoreTampered } from '../../main/store/errors.js';
import { SqliteContactStorage } from '../../main/store/sqlite-contact-storage.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';

type Row = Record<string, unknown>;

/**
 * Bob, Carol and Dave as contacts. Carol was verified, and a copy of her row from then is kept in
 * the table `carol_verified` (what a backup of the database would hold); then her keys changed.
 */
async function threeContacts() {
  const opened = await openTestProfile();
  const { profile, store } = opened;
  const [bob, carol, dave] = [await fastIdentity('Bob'), await fastIdentity('Carol'), await fastIdentity('Dave')];
  for (const person of [bob, carol, dave]) await profile.contacts.importCard(person.card);
  const verify = (person: UnlockedIdentity) =>
    profile.contacts.verify(person.card.profile.email, safetyNumber(profile.identity.card, person.card));
  await verify(carol);
  store.db.exec("CREATE TABLE carol_verified AS SELECT * FROM contacts WHERE name = 'Carol'");
  await profile.contacts.importCard((await fastIdentity('Carol')).card); // same e-mail, new keys
  const contactRow = (name: string) =>
    store.db.prepare('SELECT rowid AS row_id, * FROM contacts WHERE name = ?').get(name) as Row;
  const historyOf = (name: string) =>
    store.db
      .prepare(
        'SELECT h.rowid AS row_id, h.* FROM contact_key_history h JOIN contacts c ON c.id = h.contact_id WHERE c.name = ? ORDER BY h.id',
      )
      .all(name) as Row[];
  return { ...opened, bob, carol, dave, verify, contactRow, historyOf };
}

/** Runs `tamper` on the database, expects the contact list to be refused, and undoes it. */
async function expectRefusedAfter(
  db: { exec(sql: string): unknown },
  tamper: string,
  list: () => Promise<unknown>,
): Promise<void> {
  db.exec('SAVEPOINT tamper');
  try {
    db.exec(tamper);
    await expect(list()).rejects.toBeInstanceOf(StoreTampered);
  } finally {
    db.exec('ROLLBACK TO tamper; RELEASE tamper');
  }
}

describe('saving the contact list', () => {
  it('writes only the contact a change is about: the others keep their rows and key history untouched', async () => {
    const { profile, bob, dave, verify, contactRow, historyOf } = await threeContacts();
    const carolBefore = contactRow('Carol');
    const carolHistoryBefore = historyOf('Carol');
    const daveId = contactRow('Dave').row_id;
    expect(carolHistoryBefore).toHaveLength(1);

    await profile.contacts.remove(bob.card.profile.email); // rewriting every row would renumber Carol and Dave
    await verify(dave);
    const newDave = await fastIdentity('Dave');
    await profile.contacts.importCard(newDave.card); // Dave's keys change: a history entry of his own
    await profile.contacts.rejectReplacement(dave.card.profile.email); // and back: that entry is replaced

    expect(contactRow('Carol')).toEqual(carolBefore);
    expect(historyOf('Carol')).toEqual(carolHistoryBefore);
    expect(contactRow('Bob')).toBeUndefined();
    expect(contactRow('Dave').row_id).toBe(daveId); // changed in place
    const listed = await profile.contacts.list();
    expect(listed.map((contact) => [contact.card.profile.name, contact.state])).toEqual([
      ['Carol', 'key-changed'],
      ['Dave', 'unverified'],
    ]);
    expect(listed[1]!.fingerprint).toBe(fingerprintHex(dave.card.fingerprint));
    expect(listed[1]!.previousKeys.map((previous) => previous.fingerprint)).toEqual([
      fingerprintHex(newDave.card.fingerprint),
    ]);
    expect(profile.audit.verify().ok).toBe(true);
  });

  it('still refuses a list edited, cut, reordered or rolled back after changes saved in place', async () => {
    const { profile, store, dave, verify } = await threeContacts();
    const db = store.db;
    db.exec("CREATE TABLE dave_before AS SELECT * FROM contacts WHERE name = 'Dave'");
    await verify(dave);
    const list = () => profile.contacts.list();
    await expect(list()).resolves.toHaveLength(3);

    // A row the change left alone, marked verified (its MAC left as it was).
    await expectRefusedAfter(db, "UPDATE contacts SET state = 'verified' WHERE name = 'Bob'", list);
    // The row the change wrote, put back as it was before (a valid row MAC of its own).
    await expectRefusedAfter(
      db,
      `UPDATE contacts SET (state, verified_at, verified_by, row_mac) =
         (SELECT state, verified_at, verified_by, row_mac FROM dave_before) WHERE name = 'Dave'`,
      list,
    );
    // Carol as she was while verified, before her keys changed (valid row MAC; her key history removed).
    await expectRefusedAfter(
      db,
      `DELETE FROM contact_key_history;
       UPDATE contacts SET (fingerprint, signing_key, encryption_key, card, state, verified_at, verified_by, row_mac) =
         (SELECT fingerprint, signing_key, encryption_key, card, state, verified_at, verified_by, row_mac FROM carol_verified)
       WHERE name = 'Carol'`,
      list,
    );
    // A contact, or a key history entry, removed.
    await expectRefusedAfter(db, "DELETE FROM contacts WHERE name = 'Bob'", list);
    await expectRefusedAfter(db, 'DELETE FROM contact_key_history', list);
    // A row deleted and inserted again, unchanged, at the end of the list.
    await expectRefusedAfter(
      db,
      "UPDATE contacts SET id = (SELECT MAX(id) + 1 FROM contacts) WHERE name = 'Bob'",
      list,
    );
    await expect(list()).resolves.toHaveLength(3); // every tamper above was undone
  });

  it('a row changed between loading and saving is written again from the list saved, never kept under the new set MAC', async () => {
    const { profile, store, carol, dave, contactRow } = await threeContacts();
    const storage = new SqliteContactStorage(store.db, profile.contactMacKey, profile.identity.card.signingKey);
    const records = await storage.load();
    const carolRecord = records.find((record) => record.card.profile.email === carol.card.profile.email)!;
    // Meanwhile someone puts back Carol's row from when she was verified (from a copy of the database).
    store.db.exec(`DELETE FROM contact_key_history;
      UPDATE contacts SET (fingerprint, signing_key, encryption_key, card, state, verified_at, verified_by, row_mac) =
        (SELECT fingerprint, signing_key, encryption_key, card, state, verified_at, verified_by, row_mac FROM carol_verified)
      WHERE name = 'Carol'`);
    expect(contactRow('Carol').state).toBe('verified');

    // The list as loaded is saved with one change, to Dave: Carol's row is written again too.
    await storage.save(
      records.map((record) =>
        record.card.profile.email === dave.card.profile.email
          ? {
              ...record,
              state: 'verified' as const,
              verifiedAt: '2026-01-02T00:00:00.000Z',
              verifiedBy: 'safety-number' as const,
            }
          : record,
      ),
    );
    const carolNow = await profile.contacts.find(carol.card.profile.email);
    expect(carolNow.state).toBe('key-changed');
    expect(carolNow.fingerprint).toBe(carolRecord.fingerprint);
    expect(carolNow.previousKeys.map((previous) => previous.fingerprint)).toEqual([
      fingerprintHex(carol.card.fingerprint),
    ]);
  });

  it('key history planted under no contact (foreign keys off) is not kept by the next save', async () => {
    const { profile, store } = await threeContacts();
    const storage = new SqliteContactStorage(store.db, profile.contactMacKey, profile.identity.card.signingKey);
    const records = await storage.load();
    store.db.pragma('foreign_keys = OFF');
    store.db.exec(
      'INSERT INTO contact_key_history (contact_id, fingerprint, card, replaced_at, row_mac) SELECT 999, fingerprint, card, replaced_at, row_mac FROM contact_key_history',
    );
    store.db.pragma('foreign_keys = ON');
    await storage.save(records);
    expect(store.db.prepare('SELECT contact_id FROM contact_key_history').all()).toEqual([
      { contact_id: (store.db.prepare("SELECT id FROM contacts WHERE name = 'Carol'").get() as { id: number }).id },
    ]);
    await expect(profile.contacts.list()).resolves.toHaveLength(3);
  });
});
