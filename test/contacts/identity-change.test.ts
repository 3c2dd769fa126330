/**
 * Second review (issue 26, item 4): "a verified contact can rename
 * themselves by a card update". A newer card with the same keys and e-mail
 * but another name, organisation or role was taken as "updated (same keys)"
 * and stayed verified: the list showed two verified "Dr Carol Clark", and
 * the insider's packages passed --require-verified as hers. Now such a card
 * drops the contact to unverified ('identity-changed', the old card beside
 * the new, audited), and every import names the contacts it looks like.
 */
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCard, armorCard, type ContactCard } from '../../main/identity/contact-card.js';
import type { PersonDetails } from '../../main/identity/person-details.js';
import { safetyNumber } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { resolveRecipients } from '../../main/services/recipients.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { runCli } from '../../main/cli/run-cli.js';
import { EXIT } from '../../main/cli/exit-codes.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile, createFastProfiles } from '../helpers/profiles.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { noMachinePolicy } from '../helpers/machine-policy.js';

const CAROL: PersonDetails = {
  name: 'Dr Carol Clark',
  organisation: 'Cardiology',
  role: 'Cardiologist',
  email: 'carol@royal.example',
};

/** A newer card for `who`'s keys and e-mail claiming other details: what a verified insider can sign. */
function renamed(
  who: UnlockedIdentity,
  details: Partial<PersonDetails>,
  at = new Date('2026-06-01T00:00:00.000Z'),
): ContactCard {
  const keys = {
    signingKey: who.card.signingKey,
    encryptionKey: who.card.encryptionKey,
    pqKey: who.card.pqKey,
    signingSecretKey: who.signingSecretKey,
  };
  return createCard({ ...who.card.profile, ...details, email: who.card.profile.email }, keys, at);
}

async function withVerified(...people: UnlockedIdentity[]) {
  const opened = await openTestProfile();
  for (const person of people) {
    await opened.profile.contacts.importCard(person.card);
    await opened.profile.contacts.verify(person.card.profile.email, safetyNumber(opened.identity.card, person.card));
  }
  return opened;
}

describe('a card update that changes who the contact is', () => {
  it('a verified contact renaming themselves as another verified contact is verified no longer, and the look-alike is named', async () => {
    const carol = await fastIdentity('Carol');
    const carolCard = createCard(
      CAROL,
      {
        signingKey: carol.card.signingKey,
        encryptionKey: carol.card.encryptionKey,
        pqKey: carol.card.pqKey,
        signingSecretKey: carol.signingSecretKey,
      },
      new Date('2026-01-01T00:00:00.000Z'),
    );
    const mallory = await fastIdentity('Mallory Insider');
    const { profile } = await withVerified(mallory);
    await profile.contacts.importCard(carolCard);
    await profile.contacts.verify(CAROL.email, safetyNumber(profile.identity.card, carolCard));

    const asCarol = renamed(mallory, { name: CAROL.name, organisation: CAROL.organisation, role: CAROL.role });
    const result = await profile.contacts.importCard(asCarol);
    expect(result.outcome).toBe('identity-changed');
    expect(result.contact.state).toBe('unverified');
    expect(result.contact.verifiedAt).toBeNull();
    expect(result.previous?.profile).toEqual(mallory.card.profile); // old and new, side by side
    expect(result.contact.card.profile.name).toBe(CAROL.name);
    expect(result.lookAlikes.map((alike) => [alike.contact.card.profile.email, alike.reason])).toEqual([
      [CAROL.email, 'same-name'],
    ]);

    // No longer two verified "Dr Carol Clark": the insider's packages are not verified as hers.
    const verifiedCarols = (await profile.contacts.list()).filter(
      (contact) => contact.card.profile.name === CAROL.name && contact.state === 'verified',
    );
    expect(verifiedCarols).toHaveLength(1);
    expect((await profile.contacts.trustOf(asCarol)).kind).toBe('unverified');
    await expect(
      resolveRecipients(profile.contacts, PolicyGate.none(), {
        recipients: [mallory.card.profile.email],
        confirmUnverified: true,
        requireVerified: true,
      }),
    ).rejects.toMatchObject({
      code: 'RECIPIENT_UNVERIFIED',
    });

    const audited = profile.audit.entries().at(-1)!;
    expect(audited.action).toBe('contact.identity-changed');
  });

  it('each of name, organisation and role counts; the same details in a newer card keep verification', async () => {
    for (const change of [
      { name: 'Someone Else' },
      { organisation: 'Other Hospital' },
      { role: 'Head of Department' },
    ]) {
      const partner = await fastIdentity('Partner');
      const { profile } = await withVerified(partner);
      expect((await profile.contacts.importCard(renamed(partner, change))).outcome).toBe('identity-changed');
      expect((await profile.contacts.find(partner.card.profile.email)).state).toBe('unverified');
    }
    const partner = await fastIdentity('Partner');
    const { profile } = await withVerified(partner);
    const result = await profile.contacts.importCard(renamed(partner, {}));
    expect(result).toMatchObject({ outcome: 'updated', previous: null, lookAlikes: [] });
    expect(result.contact.state).toBe('verified');
  });

  it('an older card with other details changes nothing (a replay is not a rename)', async () => {
    const partner = await fastIdentity('Partner');
    const { profile } = await withVerified(partner);
    const older = renamed(partner, { name: 'Old Name' }, new Date('2025-01-01T00:00:00.000Z'));
    expect((await profile.contacts.importCard(older)).outcome).toBe('unchanged');
    expect((await profile.contacts.find(partner.card.profile.email)).state).toBe('verified');
  });

  it('every import reports the contacts it could be mistaken for', async () => {
    const jane = await fastIdentity('Jane Smith');
    const { profile } = await withVerified(jane);
    const other = await fastIdentity('Other');
    const sameName = createCard(
      { ...other.card.profile, name: 'Dr Jane Smith', organisation: 'City Clinic' },
      {
        signingKey: other.card.signingKey,
        encryptionKey: other.card.encryptionKey,
        signingSecretKey: other.signingSecretKey,
      },
      new Date(),
    );
    const result = await profile.contacts.importCard(sameName);
    expect(result.outcome).toBe('added');
    expect(result.lookAlikes.map((alike) => alike.reason)).toEqual(['same-name']);
    expect(result.mixedScriptEmail).toBe(false);
  });
});

describe('medseal contacts import', () => {
  const written: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    written.length = 0;
  });
  const run = async (home: string, args: string[]) => {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    const code = await runCli(['--home', home, ...args], { loadPolicy: noMachinePolicy });
    vi.restoreAllMocks();
    const text = written.join('');
    written.length = 0;
    return { code, text };
  };

  it('says plainly that the name, organisation or role changed, shows both, names the look-alike, and exits 6', async () => {
    const work = await tempFolder();
    vi.stubEnv('MEDSEAL_PASSPHRASE', 'correct horse battery staple');
    await createFastProfiles(work, 'correct horse battery staple', [
      { home: 'alice', name: 'Alice Adams', email: 'alice@general.example' },
    ]);
    const home = join(work, 'alice');
    const carol = await fastIdentity('Carol');
    const carolCard = createCard(
      CAROL,
      {
        signingKey: carol.card.signingKey,
        encryptionKey: carol.card.encryptionKey,
        signingSecretKey: carol.signingSecretKey,
      },
      new Date('2026-01-01T00:00:00.000Z'),
    );
    const mallory = await fastIdentity('Mallory Insider');
    const files = {
      carol: join(work, 'carol.card'),
      mallory: join(work, 'mallory.card'),
      renamed: join(work, 'renamed.card'),
    };
    await writeFile(files.carol, armorCard(carolCard));
    await writeFile(files.mallory, armorCard(mallory.card));
    await writeFile(
      files.renamed,
      armorCard(renamed(mallory, { name: CAROL.name, organisation: CAROL.organisation, role: CAROL.role })),
    );
    for (const [file, card] of [
      [files.carol, carolCard],
      [files.mallory, mallory.card],
    ] as const) {
      expect((await run(home, ['contacts', 'import', file])).code).toBe(EXIT.ok);
      const shown = JSON.parse((await run(home, ['--json', 'contacts', 'show', card.profile.email])).text) as {
        safetyNumber: string;
      };
      expect(
        (await run(home, ['contacts', 'verify', card.profile.email, '--safety-number', shown.safetyNumber])).code,
      ).toBe(EXIT.ok);
    }

    const { code, text } = await run(home, ['contacts', 'import', files.renamed]);
    expect(code).toBe(EXIT.untrustedParty);
    expect(text).toContain("WARNING: this contact's NAME, ORGANISATION OR ROLE CHANGED");
    expect(text).toContain('no longer verified');
    expect(text).toContain('Before: Mallory Insider, Clinician, Test Hospital <mallory.insider@example.org>');
    expect(text).toContain('Now:    Dr Carol Clark, Cardiologist, Cardiology <mallory.insider@example.org>');
    expect(text).toContain(
      'has the same name as your contact Dr Carol Clark, Cardiologist, Cardiology <carol@royal.example>',
    );
    const listed = JSON.parse((await run(home, ['--json', 'contacts', 'list'])).text) as {
      contacts: { email: string; state: string }[];
    };
    expect(listed.contacts.find((contact) => contact.email === mallory.card.profile.email)?.state).toBe('unverified');
    vi.unstubAllEnvs();
  });
});
