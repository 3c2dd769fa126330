/**
 * Gossip of directory heads (FORMAT.md §11): a package from a partner's
 * clinician carries the head of the partner's directory as the sender's
 * workstation accepted it, signed by the directory key. City Clinic's key
 * signs two histories: Alice's workstation fetched one, Carol's (City's own)
 * accepted the other. Carol's package shows Alice the fork without any
 * server: City vouches for nobody from then on, Carol is judged again
 * without it, and the audit log has both heads. A head that agrees, one
 * beyond Alice's chain, and one the key never signed raise nothing at once;
 * a head beyond the chain is kept and checked at the next refresh, and a
 * receipt's head counts as a package's does.
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
import { createReceipt } from '../../main/package/receipt.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
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

describe('a head beyond the chain held, kept for the next refresh', () => {
  /** Carol's workstation accepted `common` then a revocation of Carol: a history Alice was never shown. */
  const shownToCarol = () =>
    published(
      appendEntries(
        appendEntries(
          common,
          [{ op: 'revoke', fingerprint: fingerprintOf(carol.requireUnlocked().identity.card) }],
          new Date(),
        ),
        [{ op: 'add', card: alice.requireUnlocked().identity.card }],
        new Date(),
      ),
    );
  /** City publishes Alice's history one change further (3 entries, as Carol's head). */
  async function cityPublishesNext(): Promise<void> {
    const next = appendEntries(
      shownToAlice,
      [{ op: 'revoke', fingerprint: fingerprintOf(dan.requireUnlocked().identity.card) }],
      new Date(),
    );
    await writeFile(join(folder, 'city.medseal-directory'), encodeDirectory(published(next)));
  }

  it('on another history: the next refresh finds the fork, refuses the directory and audits both heads', async () => {
    const receive = services(alice).receive;
    const carried = shownToCarol();
    expect(carried.head.seq).toBe(3); // beyond Alice's 2 entries: nothing to compare yet
    expect((await receive.preview(await fromCarol(gossipOf(carried), 'ahead'))).trust.kind).toBe('partner-vouched');
    expect(new PartnerDirectories(alice).list()[0]).toMatchObject({ status: 'fresh' });

    await cityPublishesNext();
    const [refreshed] = await new PartnerDirectories(alice).refresh();
    expect(refreshed).toMatchObject({ outcome: 'refused', problem: { code: 'DIRECTORY_FORKED' } });
    const [city] = new PartnerDirectories(alice).list();
    expect(city).toMatchObject({ status: 'fork', cards: 0, head: { seq: 2 } }); // the forked file was not taken
    expect(city!.alarm).toContain(`3:${carried.head.hash}`);
    const refused = alice
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === 'directory.refused');
    expect(refused.at(-1)).toMatchObject({
      counterparts: [partnerIdOf(cityKey)],
      detail: expect.stringMatching(/^DIRECTORY_FORKED:3-[0-9a-f]{16}:3-[0-9a-f]{16}$/),
    });
  });

  it('on the same history: the next refresh accepts it, and the kept head is settled', async () => {
    const receive = services(alice).receive;
    const next = published(
      appendEntries(
        shownToAlice,
        [{ op: 'revoke', fingerprint: fingerprintOf(dan.requireUnlocked().identity.card) }],
        new Date(),
      ),
    );
    // Carol's workstation has City's newer head already; Alice holds 2 entries.
    expect((await receive.preview(await fromCarol(gossipOf(next), 'ahead'))).trust.kind).toBe('partner-vouched');
    expect(alice.requireUnlocked().partners.list()[0]!.state.pending).toMatchObject([{ seq: 3, hash: next.head.hash }]);
    await writeFile(join(folder, 'city.medseal-directory'), encodeDirectory(next));
    expect((await new PartnerDirectories(alice).refresh())[0]).toMatchObject({ outcome: 'accepted' });
    expect(alice.requireUnlocked().partners.list()[0]!.state.pending).toEqual([]);
    expect(new PartnerDirectories(alice).list()[0]).toMatchObject({ status: 'fresh', head: { seq: 3 } });
  });

  it('two heads at the same place beyond the chain, with different hashes: a fork at once, no refresh needed', async () => {
    const receive = services(alice).receive;
    await receive.preview(await fromCarol(gossipOf(shownToCarol()), 'first'));
    const other = published(
      appendEntries(
        shownToAlice,
        [{ op: 'revoke', fingerprint: fingerprintOf(dan.requireUnlocked().identity.card) }],
        new Date(),
      ),
    );
    expect((await receive.preview(await fromCarol(gossipOf(other), 'second'))).trust.kind).toBe('unknown');
    expect(new PartnerDirectories(alice).list()[0]).toMatchObject({ status: 'fork', cards: 0 });
  });
});

describe('a head carried in a receipt', () => {
  it('Carol’s receipt for Alice’s referral carries another history: the same fork alarm', async () => {
    await writeFile(join(folder, 'referral.txt'), 'Referral (synthetic test data, no real patient)\n');
    const send = services(alice).send;
    const prepared = await send.prepare({
      files: [{ path: join(folder, 'referral.txt') }],
      recipients: ['carol@city.example'], // vouched for by City: nothing imported by hand
      note: '',
      confirmUnverified: false,
    });
    const { packageHash } = await send.start(prepared, join(folder, 'to-carol.medseal')).done;
    const shownToCarol = appendEntries(
      common,
      [{ op: 'revoke', fingerprint: fingerprintOf(carol.requireUnlocked().identity.card) }],
      new Date(),
    );
    const receipt = (head: GossipHead) =>
      createReceipt(carol.requireUnlocked().identity, alice.requireUnlocked().identity.card, {
        package: packageHash,
        outcome: 'opened',
        reason: null,
        at: new Date().toISOString(),
        directoryHead: head,
      });
    // A head that agrees changes nothing; the receipt is taken in either way.
    expect(await new Receipts(alice).takeIn(receipt(gossipOf(published(common))))).toMatchObject({ kind: 'receipt' });
    expect(new PartnerDirectories(alice).list()[0]).toMatchObject({ status: 'fresh' });
    expect(await new Receipts(alice).takeIn(receipt(gossipOf(published(shownToCarol))))).toMatchObject({
      kind: 'receipt',
      alreadyTakenIn: true,
    });
    expect(new PartnerDirectories(alice).list()[0]).toMatchObject({ status: 'fork', cards: 0 });
  });
});
