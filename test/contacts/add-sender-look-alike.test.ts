/**
 * Second review (issue 26, item 8): `open --add-sender` added a look-alike
 * of a verified contact (same name, a Cyrillic letter in the e-mail) with no
 * warning. Now adding a package's sender is refused (LOOK_ALIKE_CONTACT)
 * when they could be mistaken for a contact or their address mixes
 * alphabets, unless the reader confirms it, which is audited.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCard, type ContactCard } from '../../main/identity/contact-card.js';
import { fingerprintHex, safetyNumber } from '../../main/identity/fingerprint.js';
import { isMixedScriptEmail, lookAlikesOf } from '../../main/contacts/look-alike.js';
import { LookAlikeNotAdded } from '../../main/contacts/errors.js';
import type { ContactRecord } from '../../main/contacts/contact-record.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { ReceiveService, type PackagePreview } from '../../main/services/receive.js';
import type { PackageJobs } from '../../main/services/package-runner.js';
import { lookAlikeLines } from '../../main/cli/commands/contacts.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

const CYRILLIC_A = '\u0430';

async function cardOf(name: string, email: string): Promise<ContactCard> {
  const keys = await fastIdentity(name);
  return createCard(
    { name, organisation: 'Royal Infirmary', role: 'Oncologist', email },
    {
      signingKey: keys.card.signingKey,
      encryptionKey: keys.card.encryptionKey,
      signingSecretKey: keys.signingSecretKey,
    },
    new Date(),
  );
}

function record(card: ContactCard): ContactRecord {
  return {
    card,
    fingerprint: fingerprintHex(card.fingerprint),
    state: 'verified',
    verifiedAt: null,
    verifiedBy: null,
    addedAt: '',
    previousKeys: [],
  };
}

describe('e-mail addresses in mixed alphabets', () => {
  it('flags Latin mixed with Cyrillic or Greek, look-alike letters only, invisible and folded characters', () => {
    expect(isMixedScriptEmail('carol@royal.example')).toBe(false);
    expect(isMixedScriptEmail(`c${CYRILLIC_A}rol@royal.example`)).toBe(true); // local part
    expect(isMixedScriptEmail('carol@r\u043eyal.example')).toBe(true); // a domain label
    expect(isMixedScriptEmail('carol@royal.ex\u03b1mple')).toBe(true); // Greek alpha
    expect(isMixedScriptEmail('\u0440\u0435\u0430\u0441\u0435@royal.example')).toBe(true); // "реасе": Cyrillic letters only, reads as "peace"
    expect(isMixedScriptEmail('car\u200bol@royal.example')).toBe(true); // zero-width space
    expect(isMixedScriptEmail('\uff43arol@royal.example')).toBe(true); // fullwidth c
    expect(isMixedScriptEmail('m\u00fcller@klinik.example')).toBe(false); // a real accented address
    expect(isMixedScriptEmail('\u0438\u0432\u0430\u043d@\u043f\u043e\u0447\u0442\u0430.\u0440\u0444')).toBe(false); // all Cyrillic, not posing as Latin
  });

  it("an address that reads like a contact's is a look-alike even under another name", async () => {
    const carol = record(await cardOf('Dr Carol Clark', 'carol.clark@royal.example'));
    const posing = record(await cardOf('C. Clarke', `c${CYRILLIC_A}r\u043el.cl${CYRILLIC_A}rk@royal.example`)); // three letters swapped: too far for the edit distance alone
    expect(lookAlikesOf(posing, [carol]).map((alike) => alike.reason)).toEqual(['mixed-script-email']);
    expect(lookAlikesOf(carol, [posing]).map((alike) => alike.reason)).toEqual(['mixed-script-email']);
  });
});

describe('adding a package sender who looks like a contact', () => {
  let session: ProfileSession;
  let receive: ReceiveService;
  let carol: ContactCard;

  beforeAll(async () => {
    session = new ProfileSession(new ProfileFolder(join(await tempFolder(), 'p')), PolicyGate.none(), KDF_FLOOR);
    const profile = await session.create(
      { name: 'Dr Alice Adams', organisation: 'General Hospital', email: 'alice@general.example' },
      'correct horse battery staple',
    );
    carol = await cardOf('Dr Carol Clark', 'carol@royal.example');
    await profile.contacts.importCard(carol);
    await profile.contacts.verify(carol.profile.email, safetyNumber(profile.identity.card, carol));
    receive = new ReceiveService(session, {} as PackageJobs);
  });
  const previewFrom = (sender: ContactCard) => ({ metadata: { sender } }) as unknown as PackagePreview;

  it('refuses the same name with a Cyrillic letter in the e-mail, adds nothing and names nobody in the message', async () => {
    const impostor = await cardOf('Dr Carol Clark', `c${CYRILLIC_A}rol@royal.example`);
    const before = session.requireUnlocked().audit.entries().length;
    const refused = await receive.addSender(previewFrom(impostor)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LookAlikeNotAdded);
    const error = refused as LookAlikeNotAdded;
    expect(error.code).toBe('LOOK_ALIKE_CONTACT');
    expect(error.category).toBe('untrusted-party');
    expect(error.mixedScriptEmail).toBe(true);
    expect(error.lookAlikes.map((alike) => [alike.contact.card.profile.email, alike.reason])).toEqual([
      ['carol@royal.example', 'mixed-script-email'],
    ]);
    expect(error.userMessage).not.toMatch(/carol|clark|royal/i);
    expect((await session.requireUnlocked().contacts.list()).map((contact) => contact.card.profile.email)).toEqual([
      'carol@royal.example',
    ]);
    expect(session.requireUnlocked().audit.entries()).toHaveLength(before);

    const lines = lookAlikeLines(impostor, error);
    expect(lines[0]).toContain('c<U+0430>rol@royal.example'); // the CLI shows the letter that differs
    expect(lines[1]).toContain(
      'reads like that of your contact Dr Carol Clark, Oncologist, Royal Infirmary <carol@royal.example>',
    );
  });

  it('refuses an address in mixed alphabets even when it looks like no contact', async () => {
    const stranger = await cardOf('Zed Stranger', `z${CYRILLIC_A}@elsewhere.example`);
    await expect(receive.addSender(previewFrom(stranger))).rejects.toMatchObject({
      code: 'LOOK_ALIKE_CONTACT',
      mixedScriptEmail: true,
      lookAlikes: [],
    });
  });

  it('adds the look-alike, unverified, only on explicit confirmation, and the audit log says so', async () => {
    const impostor = await cardOf('Dr Carol Clark', `c${CYRILLIC_A}rol@royal.example`);
    const added = await receive.addSender(previewFrom(impostor), { acceptLookAlike: true });
    expect(added.state).toBe('unverified');
    const entry = session.requireUnlocked().audit.entries().at(-1)!;
    expect(entry).toMatchObject({
      action: 'contact.imported',
      detail: 'look-alike-accepted',
      counterparts: [fingerprintHex(impostor.fingerprint)],
    });
  });

  it('adds a sender who looks like nobody without asking, audited as an ordinary import', async () => {
    const newcomer = await cardOf('Dr Nadia Novak', 'nadia@partner.example');
    expect((await receive.addSender(previewFrom(newcomer))).state).toBe('unverified');
    expect(session.requireUnlocked().audit.entries().at(-1)).toMatchObject({
      action: 'contact.imported',
      detail: null,
    });
  });
});
