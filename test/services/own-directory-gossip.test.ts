/**
 * Gossip about the organisation's own directory (FORMAT.md §11): Alice and
 * Bob work at General Hospital, whose directory (on the share the policy
 * names) vouches for both. Bob's packages and receipts carry the head his
 * workstation accepted. When the organisation key's holder has shown Bob
 * another history, Bob's next package raises the fork on Alice's
 * workstation: the directory vouches for nobody there (and still not after
 * unlocking again), Bob is judged again without it, and the audit log has
 * both heads. A head on Alice's history, or one the key did not sign, raises
 * nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSodium, sodium } from '../../main/crypto/sodium.js';
import {
  appendEntries,
  encodeDirectory,
  signDirectory,
  type DirectoryEntry,
  type DirectoryFile,
} from '../../main/directory/directory-log.js';
import { ORG_LOG_FILE } from '../../main/directory/org-log-file.js';
import { partnerIdOf } from '../../main/directory/partner.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import type { GossipHead } from '../../main/package/gossip-head.js';
import { decryptReceipt } from '../../main/package/receipt.js';
import { sealPackage } from '../../main/package/seal.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { ownDirectoryAlarmChecks } from '../../main/services/doctor-partners.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { PERSON_PASSPHRASE, person, services } from '../helpers/delivery-people.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

let folder: string;
let orgKeys: { publicKey: Uint8Array; privateKey: Uint8Array };
let orgKey: string;
let alice: ProfileSession;
let bob: ProfileSession;
let shownToAlice: DirectoryEntry[];

function signed(entries: readonly DirectoryEntry[]): DirectoryFile {
  return signDirectory({
    organisation: 'General Hospital',
    publicKey: orgKeys.publicKey,
    secretKey: orgKeys.privateKey,
    entries,
    issuedAt: new Date(),
    validDays: 30,
  });
}

const gossipOf = (file: DirectoryFile): GossipHead => ({ org: partnerIdOf(orgKey), ...file.head });

/** Bob's package to Alice (or `sender`'s), carrying `head`. */
async function fromBob(head: GossipHead | null, name: string, sender?: UnlockedIdentity): Promise<string> {
  const input = join(folder, `${name}.txt`);
  await writeFile(input, 'Referral (synthetic test data, no real patient)\n');
  const output = join(folder, `${name}.medseal`);
  await sealPackage({
    sender: sender ?? bob.requireUnlocked().identity,
    recipients: [alice.requireUnlocked().identity.card],
    files: [{ path: input }],
    output,
    directoryHead: head,
  });
  return output;
}

/** The colleagues the directory vouches for in `session`'s contact book (its own card aside). */
const directoryNames = async (session: ProfileSession) =>
  (await session.requireUnlocked().contacts.list())
    .filter((contact) => contact.state === 'org-verified')
    .filter((contact) => contact.card.profile.email !== session.requireUnlocked().identity.card.profile.email)
    .map((contact) => contact.card.profile.name)
    .sort();

beforeEach(async () => {
  await loadSodium();
  folder = await tempFolder('medseal-own-gossip-');
  orgKeys = sodium().crypto_sign_keypair();
  orgKey = Buffer.from(orgKeys.publicKey).toString('base64');
  const share = join(folder, 'share');
  await mkdir(share, { mode: 0o755 });
  const policy = new PolicyGate({
    state: 'ok',
    source: 'test',
    effective: { ...POLICY_DEFAULTS, directoryFolder: share, orgPublicKey: orgKey },
    managed: ['directoryFolder', 'orgPublicKey'],
  });
  alice = await person(folder, 'Alice', 'alice@general.example', policy);
  bob = await person(folder, 'Bob', 'bob@general.example', policy);
  shownToAlice = appendEntries(
    [],
    [
      { op: 'add', card: alice.requireUnlocked().identity.card },
      { op: 'add', card: bob.requireUnlocked().identity.card },
    ],
    new Date(),
  );
  await writeFile(join(share, ORG_LOG_FILE), encodeDirectory(signed(shownToAlice)));
  expect(await directoryNames(alice)).toEqual(['Bob']);
  expect(await directoryNames(bob)).toEqual(['Alice']);
});

describe("a colleague's head about the organisation's own directory", () => {
  it('Bob seals and answers with the head his workstation accepted', async () => {
    const head = bob.ownDirectoryHead();
    expect(head).toMatchObject({ seq: 2 });
    const receipt = new Receipts(bob).make(alice.requireUnlocked().identity.card, 'ab'.repeat(32), 'opened', null);
    expect(decryptReceipt(alice.requireUnlocked().identity, receipt).body.directoryHead).toEqual({
      org: partnerIdOf(orgKey),
      ...head,
    });
  });

  it('on another history: the directory vouches for nobody, Bob is judged again, both heads audited', async () => {
    const receive = services(alice).receive;
    const mallory = await fastIdentity('Mallory');
    const shownToBob = appendEntries(shownToAlice.slice(0, 1), [{ op: 'add', card: mallory.card }], new Date());
    expect((await receive.preview(await fromBob(gossipOf(signed(shownToAlice)), 'same'))).trust.kind).toBe(
      'org-verified',
    );
    const preview = await receive.preview(await fromBob(gossipOf(signed(shownToBob)), 'forked'));
    expect(preview.trust.kind).toBe('unknown');
    expect(await directoryNames(alice)).toEqual([]);
    const refused = alice
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === 'directory.refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.detail).toMatch(/^DIRECTORY_FORKED:2-[0-9a-f]{16}:2-[0-9a-f]{16}$/);
    expect(refused[0]!.counterparts ?? []).toEqual([]);
    expect(ownDirectoryAlarmChecks(alice.ownDirectoryGossip()!.alarm())).toEqual([
      expect.objectContaining({ ok: false, detail: expect.stringContaining('FORK ALARM') }),
    ]);
    // The alarm is kept: unlocking again does not bring the directory back.
    alice.lock();
    await alice.unlock(PERSON_PASSPHRASE);
    expect(await directoryNames(alice)).toEqual([]);
    expect(await directoryNames(bob)).toEqual(['Alice']); // Bob's workstation saw one history only
  });

  it('a head the key did not sign, or from someone the directory does not vouch for, raises nothing', async () => {
    const receive = services(alice).receive;
    const forged = { ...gossipOf(signed(shownToAlice)), hash: 'cd'.repeat(32) };
    expect((await receive.preview(await fromBob(forged, 'forged'))).trust.kind).toBe('org-verified');
    // Mallory holds a head of another history signed by the key, but the directory does not list her.
    const mallory = await fastIdentity('Mallory');
    const other = signed(appendEntries(shownToAlice.slice(0, 1), [{ op: 'add', card: mallory.card }], new Date()));
    expect((await receive.preview(await fromBob(gossipOf(other), 'stranger', mallory))).trust.kind).toBe('unknown');
    expect(await directoryNames(alice)).toEqual(['Bob']);
  });

  it('a head planted in the profile’s settings without the key’s signature raises nothing', async () => {
    alice.lock();
    const store = await alice.openStore();
    const unsigned = { ...signed(shownToAlice).head, hash: 'ee'.repeat(32), signature: '00'.repeat(64) };
    store.settings.set('directoryGossip', { org: partnerIdOf(orgKey), pending: [unsigned], alarm: null });
    await alice.unlock(PERSON_PASSPHRASE);
    expect(await directoryNames(alice)).toEqual(['Bob']);
    expect(alice.ownDirectoryGossip()!.alarm()).toBeNull();
  });
});
