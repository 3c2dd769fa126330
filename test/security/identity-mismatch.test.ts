/**
 * Security review, high 2: "a verified contact can appear as anyone". Bob,
 * verified by Alice, seals with his own keys but a card that says "Dr Carol
 * Clark <carol@…>". Alice must see Bob (the contact book's card), an alarm
 * naming both identities, never "verified"; --require-verified and the app's
 * ordinary confirmation refuse it; only the separate override saves, and
 * the audit log says so. A card whose e-mail is another contact's is the
 * same alarm.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContactBook } from '../../main/contacts/contact-book.js';
import { createCard, type ContactCard } from '../../main/identity/contact-card.js';
import { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import type { PersonDetails } from '../../main/identity/person-details.js';
import { sealPackage } from '../../main/package/seal.js';
import { clinician, verifyEachOther, type Clinician } from '../helpers/clinicians.js';
import { fastIdentity } from '../helpers/identities.js';
import { MemoryContactStorage } from '../helpers/memory-contacts.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { resolveRecipients } from '../../main/services/recipients.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { policyIsolationUnavailable, underTestPolicy } from '../helpers/machine-policy.js';

/** Bob's keys under a card that claims `profile`: what a verified insider can make. */
function impersonating(bob: UnlockedIdentity, profile: PersonDetails): UnlockedIdentity {
  const card = createCard(
    profile,
    { signingKey: bob.card.signingKey, encryptionKey: bob.card.encryptionKey, signingSecretKey: bob.signingSecretKey },
    new Date(),
  );
  return new UnlockedIdentity(
    card,
    Uint8Array.from(bob.signingSecretKey),
    Uint8Array.from(bob.encryptionSecretKey),
    new Uint8Array(32),
  );
}

const CAROL: PersonDetails = {
  name: 'Dr Carol Clark',
  organisation: 'Royal Infirmary',
  role: 'Oncologist',
  email: 'carol@royal.example',
};

describe('the organisation directory vouches for cards, not for keys alone', () => {
  it("a directory member's own keys under a contact's name are never org-verified, and the directory's card for that e-mail is a conflict", async () => {
    const me = await fastIdentity('Me');
    const [alice, bob] = [await fastIdentity('Alice'), await fastIdentity('Bob')];
    const directory = async () => [alice.card, bob.card].map((card) => ({ card, partner: null })); // both vetted by IT
    const book = new ContactBook(
      new MemoryContactStorage(),
      me.card,
      () => new Date(),
      () => undefined,
      directory,
    );
    const bobAsAlice = impersonating(bob, alice.card.profile).card; // Bob's keys, Alice's name and e-mail
    expect((await book.importCard(bobAsAlice)).outcome).toBe('added');
    const stored = await book.find(alice.card.profile.email);
    expect(stored.state).not.toBe('org-verified'); // not vouched: the directory's card for these keys says Bob
    expect(stored.state).toBe('key-changed'); // the directory gives alice@ other keys: sending is blocked
    await expect(
      resolveRecipients(book, PolicyGate.none(), { recipients: [alice.card.profile.email], confirmUnverified: true }),
    ).rejects.toMatchObject({ code: 'RECIPIENT_KEY_CHANGED' });
    expect((await book.trustOf(bobAsAlice)).kind).not.toMatch(/verified/);
    expect((await book.trustOf(alice.card)).kind).toBe('key-mismatch'); // the genuine Alice, against the stored impostor: an alarm, not silence
  });

  it("a contact whose keys changed is never upgraded by the directory; an unverified one whose card is the directory's is", async () => {
    const me = await fastIdentity('Me');
    const partner = await fastIdentity('Partner');
    const book = new ContactBook(
      new MemoryContactStorage(),
      me.card,
      () => new Date(),
      () => undefined,
      async () => [{ card: partner.card, partner: null }],
    );
    await book.importCard(partner.card);
    expect((await book.find(partner.card.profile.email)).state).toBe('org-verified');
    const renamed = impersonating(partner, { ...partner.card.profile, organisation: 'Elsewhere' }).card;
    expect((await book.trustOf(renamed)).kind).toBe('identity-mismatch');
  });

  it("a package signed with a contact's retired keys is an alarm, not an unknown sender", async () => {
    const me = await fastIdentity('Me');
    const [bobOld, bobNew] = [
      await fastIdentity('Bob', new Uint8Array(32).fill(1)),
      await fastIdentity('Bob', new Uint8Array(32).fill(2)),
    ];
    const book = new ContactBook(new MemoryContactStorage(), me.card);
    await book.importCard(bobOld.card);
    expect((await book.importCard(bobNew.card)).outcome).toBe('key-changed');
    const oldKeysNewName = impersonating(bobOld, { ...bobOld.card.profile, email: 'bob@elsewhere.example' }).card;
    expect((await book.trustOf(oldKeysNewName)).kind).toBe('key-mismatch');
  });
});

describe('the contact book decides an identity mismatch', () => {
  it('known keys with another name, organisation, role or e-mail are identity-mismatch, never their stored state', async () => {
    const me = await fastIdentity('Me');
    const bob = await fastIdentity('Bob');
    const book = new ContactBook(new MemoryContactStorage(), me.card);
    const { contact } = await book.importCard(bob.card);
    await book.verify(contact.fingerprint, book.safetyNumberWith(contact));
    expect((await book.trustOf(bob.card)).kind).toBe('verified');
    for (const change of [
      { name: 'Dr Carol Clark' },
      { organisation: 'Royal Infirmary' },
      { role: 'Oncologist' },
      { email: 'carol@royal.example' },
    ]) {
      const claimed: ContactCard = impersonating(bob, { ...bob.card.profile, ...change }).card;
      const trust = await book.trustOf(claimed);
      expect(trust.kind, JSON.stringify(change)).toBe('identity-mismatch');
      expect(trust.kind === 'identity-mismatch' && trust.contact.card.profile.name).toBe(bob.card.profile.name);
    }
  });

  it("a card with Bob's keys and the e-mail of another contact is identity-mismatch", async () => {
    const me = await fastIdentity('Me');
    const [bob, carol] = [await fastIdentity('Bob'), await fastIdentity('Carol')];
    const book = new ContactBook(new MemoryContactStorage(), me.card);
    await book.importCard(bob.card);
    await book.importCard(carol.card);
    expect(
      (await book.trustOf(impersonating(bob, { ...bob.card.profile, email: carol.card.profile.email }).card)).kind,
    ).toBe('identity-mismatch');
  });
});

async function bobImpersonatesCarol(work: string): Promise<{ alice: Clinician; bob: Clinician; pkg: string }> {
  const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
  const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
  await verifyEachOther(alice, bob);
  const input = join(work, 'letter.txt');
  await writeFile(input, 'a forged referral');
  const pkg = join(work, 'from-carol.medseal');
  const aliceCard = alice.app.session.requireProfile().identity.card;
  await sealPackage({
    sender: impersonating(bob.app.session.requireProfile().identity, CAROL),
    recipients: [aliceCard],
    files: [{ path: input }],
    output: pkg,
  });
  return { alice, bob, pkg };
}

describe('the app shows the contact, raises the alarm, and saves only on the separate override', () => {
  it('preview: Bob as the contact book knows him, the claimed Carol beside him, alarm, never verified', async () => {
    const work = await tempFolder();
    const { alice, pkg } = await bobImpersonatesCarol(work);
    const file = await alice.call('files.registerDropped', { path: pkg });
    const preview = await alice.call('open.preview', { token: file.token });
    expect(preview.sender).toMatchObject({
      name: 'Bob Brown',
      email: 'bob@clinic.example',
      trust: 'identity-mismatch',
      verdict: 'alarm',
      claimed: { name: 'Dr Carol Clark', email: 'carol@royal.example' },
    });

    await mkdir(join(work, 'out'));
    alice.host.answers.folder.push(join(work, 'out'), join(work, 'out'));
    await expect(alice.call('open.start', { token: file.token, confirmUntrusted: true })).rejects.toMatchObject({
      code: 'UNTRUSTED_SENDER',
    });
    const { jobId } = await alice.call('open.start', {
      token: file.token,
      confirmUntrusted: true,
      overrideAlarm: true,
    });
    expect((await alice.host.next('job.finished', (event) => event.jobId === jobId)).ok).toBe(true);
    expect(await readFile(join(work, 'out', 'letter.txt'), 'utf8')).toBe('a forged referral');
    const details = alice.app.session
      .requireProfile()
      .audit.entries()
      .map((entry) => `${entry.action}:${entry.detail ?? ''}`);
    expect(details).toContain('package.open-refused:UNTRUSTED_SENDER');
    expect(details.slice(-2)).toEqual([
      'package.alarm-overridden:sender-identity-mismatch',
      'package.opened:sender-identity-mismatch:overridden',
    ]);
    expect(details.filter((detail) => detail.startsWith('package.alarm-overridden'))).toHaveLength(1);
  });
});

describe.skipIf(policyIsolationUnavailable() !== null)('the CLI', () => {
  it('shows the contact with the alarm, saves nothing and exits 6; --require-verified refuses even with the override', async () => {
    const work = await tempFolder();
    const { alice, pkg } = await bobImpersonatesCarol(work);
    const cli = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
    const home = alice.app.session.folder.path;
    alice.app.close(); // the CLI takes the profile over
    const run = (args: string[]) =>
      spawnSync(...underTestPolicy([cli, '--home', home, ...args]), {
        env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: 'correct horse battery staple' },
        encoding: 'utf8',
      });

    const refused = run(['open', pkg, '-o', join(work, 'cli-out')]);
    expect(refused.status, refused.stdout + refused.stderr).toBe(6);
    expect(refused.stdout).toMatch(
      /^From: Bob Brown, Doctor, Test Hospital <bob@clinic\.example> — Warning: a contact's keys, presenting as someone else/,
    );
    expect(refused.stderr).toContain('Dr Carol Clark');
    expect(refused.stdout).not.toMatch(/Verified/);

    expect(run(['open', pkg, '-o', join(work, 'cli-out'), '--require-verified', '--accept-changed-keys']).status).toBe(
      6,
    );
    const accepted = run(['open', pkg, '-o', join(work, 'cli-out'), '--accept-changed-keys']);
    expect(accepted.status, accepted.stderr).toBe(0);
    const exported = run(['--json', 'audit', 'export', '--format', 'jsonl']);
    expect(exported.status, exported.stderr).toBe(0);
    const actions = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action?: string; detail?: string })
      .filter((entry) => entry.action?.startsWith('package.'))
      .map((entry) => `${entry.action}:${entry.detail}`);
    expect(actions.slice(-2)).toEqual([
      'package.alarm-overridden:sender-identity-mismatch',
      'package.opened:sender-identity-mismatch:overridden',
    ]);
  });
});
