/**
 * Gossip of directory heads (FORMAT.md §11): a package from a partner's
 * clinician carries the head of the partner's directory as the sender's
 * workstation accepted it, signed by the directory key. City Clinic's key
 * signs two histories: Alice's workstation fetched one, Carol's (City's own)
 * accepted the other. Carol's package shows Alice the fork without any
 * server: City vouches for nobody from then on, Carol is judged again
 * without it, and the audit log has both heads. A head that agrees, one
 * beyond Alice's chain, and one the key never signed raise nothing.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSodium, sodium } from '../../main/crypto/sodium.js';
import {
  appendEntries,
  encodeDirectory,
  fingerprintOf,
  signDirectory,
  type DirectoryEntry,
  type DirectoryFile,
} from '../../main/directory/directory-log.js';
import { directoryKeyCode, partnerIdOf } from '../../main/directory/partner.js';
import type { GossipHead } from '../../main/package/gossip-head.js';
import { sealPackage } from '../../main/package/seal.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { PartnerDirectories } from '../../main/services/partner-organisations.js';
import { person, services } from '../helpers/delivery-people.js';
import { tempFolder } from '../helpers/temp-folder.js';

let folder: string;
let alice: ProfileSession;
let carol: ProfileSession;
let city: { publicKey: Uint8Array; privateKey: Uint8Array };
let cityKey: string;
let common: DirectoryEntry[];
let shownToAlice: DirectoryEntry[];
let dan: ProfileSession;

function published(entries: readonly DirectoryEntry[], issuedAt = new Date()): DirectoryFile {
  return signDirectory({
    organisation: 'City Clinic',
    publicKey: city.publicKey,
    secretKey: city.privateKey,
    entries,
    issuedAt,
    validDays: 30,
  });
}

const gossipOf = (file: DirectoryFile): GossipHead => ({ org: partnerIdOf(cityKey), ...file.head });

/** Carol's package to Alice, carrying `head`. */
async function fromCarol(head: GossipHead | null, name: string): Promise<string> {
  const input = join(folder, `${name}.txt`);
  await writeFile(input, 'Referral (synthetic test data, no real patient)\n');
  const output = join(folder, `${name}.medseal`);
  const me = carol.requireUnlocked().identity;
  await sealPackage({
    sender: me,
    recipients: [alice.requireUnlocked().identity.card],
    files: [{ path: input }],
    output,
    directoryHead: head,
  });
  return output;
}

beforeEach(async () => {
  await loadSodium();
  folder = await tempFolder('medseal-gossip-');
  alice = await person(folder, 'Alice', 'alice@general.example');
  carol = await person(folder, 'Carol', 'carol@city.example');
  city = sodium().crypto_sign_keypair();
  cityKey = Buffer.from(city.publicKey).toString('base64');
  common = appendEntries([], [{ op: 'add', card: carol.requireUnlocked().identity.card }], new Date());
  // The history Alice's workstation fetches: one more clinician after Carol.
  dan = await person(folder, 'Dan', 'dan@city.example');
  shownToAlice = appendEntries(common, [{ op: 'add', card: dan.requireUnlocked().identity.card }], new Date());
  await writeFile(join(folder, 'city.medseal-directory'), encodeDirectory(published(shownToAlice)));
  const partners = new PartnerDirectories(alice);
  partners.add(
    { name: 'City Clinic', key: cityKey, source: join(folder, 'city.medseal-directory') },
    directoryKeyCode(cityKey),
  );
  expect((await partners.refresh())[0]).toMatchObject({ outcome: 'accepted' });
});

describe('a head carried in a package', () => {
  it('on another history signed by the same key: a fork, City vouches for nobody, Carol is judged again', async () => {
    const receive = services(alice).receive;
    // Carol's own workstation accepted a history where Carol was revoked instead.
    const shownToCarol = appendEntries(
      common,
      [{ op: 'revoke', fingerprint: fingerprintOf(carol.requireUnlocked().identity.card) }],
      new Date(),
    );
    const before = await receive.preview(await fromCarol(null, 'no-head'));
    expect(before.trust.kind).toBe('partner-vouched');
    const preview = await receive.preview(await fromCarol(gossipOf(published(shownToCarol)), 'forked'));
    expect(preview.trust.kind).toBe('unknown'); // City's vouching stopped at once
    const [city] = new PartnerDirectories(alice).list();
    expect(city).toMatchObject({ status: 'fork', cards: 0 });
    const audit = alice.requireUnlocked().audit.entries();
    expect(
      audit.some((entry) => entry.action === 'directory.refused' && entry.detail?.startsWith('DIRECTORY_FORKED:')),
    ).toBe(true);
  });

  it('agreeing with Alice’s chain, beyond it, or not signed by the key: nothing is raised', async () => {
    const receive = services(alice).receive;
    const agreeing = published(common);
    expect((await receive.preview(await fromCarol(gossipOf(agreeing), 'known'))).trust.kind).toBe('partner-vouched');
    // The same history one change further (City revoked Dan since Alice fetched): newer, not a fork.
    const ahead = published(
      appendEntries(
        shownToAlice,
        [{ op: 'revoke', fingerprint: fingerprintOf(dan.requireUnlocked().identity.card) }],
        new Date(),
      ),
    );
    expect((await receive.preview(await fromCarol(gossipOf(ahead), 'ahead'))).trust.kind).toBe('partner-vouched');
    const forged = { ...gossipOf(published(common)), hash: 'ab'.repeat(32) }; // Carol changed the hash: the signature fails
    expect((await receive.preview(await fromCarol(forged, 'forged'))).trust.kind).toBe('partner-vouched');
    expect(new PartnerDirectories(alice).list()[0]).toMatchObject({ status: 'fresh' });
  });
});
