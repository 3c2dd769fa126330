/** Contacts that could be mistaken for each other when picking a recipient, and the first package to someone. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCard } from '../../main/identity/contact-card.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { lookAlikesOf } from '../../main/contacts/look-alike.js';
import type { ContactRecord } from '../../main/contacts/contact-record.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { cautionLines, recipientCautions } from '../../main/services/recipient-cautions.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

async function contact(name: string, organisation: string, email: string): Promise<ContactRecord> {
  const keys = await fastIdentity(email);
  const card = createCard(
    { name, organisation, role: '', email },
    {
      signingKey: keys.card.signingKey,
      encryptionKey: keys.card.encryptionKey,
      signingSecretKey: keys.signingSecretKey,
    },
    new Date(),
  );
  return {
    card,
    fingerprint: fingerprintHex(card.fingerprint),
    state: 'verified',
    verifiedAt: null,
    verifiedBy: null,
    addedAt: new Date().toISOString(),
    previousKeys: [],
  };
}

let book: ContactRecord[];

beforeAll(async () => {
  book = [
    await contact('Dr Jane Smith', 'General Hospital', 'jane.smith@general.example'),
    await contact('Jane Smith', 'City Clinic', 'jsmith@cityclinic.example'), // same person's name elsewhere
    await contact('Dr Jane Smyth', 'General Hospital', 'jane.smyth@general.example'), // one letter apart
    await contact('Omar Haddad', 'Partner Lab', 'o.haddad@lab.example'),
    await contact('Omar Haddad-Lee', 'Other Lab', 'o.haddad@otherlab.example'), // same local part, other domain
    await contact('Ana Souza', 'General Hospital', 'ana@general.example'),
  ];
});

describe('look-alike contacts', () => {
  it('flags the same name (titles, case and accents ignored), e-mails a character apart, and the same name at another domain', () => {
    const reasons = (index: number) =>
      lookAlikesOf(book[index]!, book).map((alike) => [alike.contact.card.profile.email, alike.reason]);
    expect(reasons(0)).toEqual([
      ['jsmith@cityclinic.example', 'same-name'],
      ['jane.smyth@general.example', 'similar-email'],
    ]);
    expect(reasons(3)).toEqual([['o.haddad@otherlab.example', 'similar-email']]);
    expect(reasons(5)).toEqual([]);
  });

  it('names a first package and the look-alikes in plain words; a second package to the same person is not "first"', async () => {
    const session = new ProfileSession(new ProfileFolder(join(await tempFolder(), 'p')), PolicyGate.none(), KDF_FLOOR);
    const profile = await session.create(
      { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' },
      'correct horse battery staple',
    );
    for (const record of book) await profile.contacts.importCard(record.card);
    const jane = await profile.contacts.find('jane.smith@general.example');
    const lines = cautionLines(await recipientCautions(profile, [jane]));
    expect(lines).toEqual([
      'First package to Dr Jane Smith, General Hospital (jane.smith@general.example): check this is the right person.',
      'Dr Jane Smith, General Hospital (jane.smith@general.example) has the same name as your contact Jane Smith, City Clinic (jsmith@cityclinic.example): check you chose the right one.',
      'Dr Jane Smith, General Hospital (jane.smith@general.example) has an e-mail address close to that of your contact Dr Jane Smyth, General Hospital (jane.smyth@general.example): check you chose the right one.',
    ]);
    profile.history.record({
      packageHash: 'ab'.repeat(32),
      direction: 'sent',
      counterpart: jane.fingerprint,
      recipients: [jane.fingerprint],
      files: [{ name: 'a.pdf', size: 1 }],
      note: '',
      sealedAt: new Date().toISOString(),
      recordedAt: new Date().toISOString(),
    });
    expect((await recipientCautions(profile, [jane]))[0]!.firstPackage).toBe(false);
    session.close();
  });
});
