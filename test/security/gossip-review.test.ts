/**
 * Attacks on directory gossip from an outside review (FORMAT.md §11), each
 * reproduced before its fix. City Clinic's key holder shows Alice one
 * history and Carol's workstation another:
 * 1. a refresh under way (its fetch stalled by the publishing server) must
 *    not erase a fork alarm that gossip raised meanwhile;
 * 2. a higher head on Alice's history must not evict the other history's
 *    head kept for the next refresh;
 * 3. Alice's history re-signed later, never reaching a kept head's place,
 *    is a fork (an append-only log never signs a shorter history later);
 * 4. Carol verified by safety number still speaks for City (she is listed);
 * 5. a stored file that is not the one accepted vouches for nobody;
 * 6. a receipt is taken in first, then its head is looked at.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintOf } from '../../main/directory/directory-log.js';
import { partnerIdOf } from '../../main/directory/partner.js';
import type { GossipHead } from '../../main/package/gossip-head.js';
import { createReceipt } from '../../main/package/receipt.js';
import { sealPackage } from '../../main/package/seal.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
import { PartnerDirectories } from '../../main/services/partner-organisations.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { TestPartnerOrg } from '../helpers/partner-directory.js';
import { tempFolder } from '../helpers/temp-folder.js';

const gate = vi.hoisted(() => ({ hold: null as Promise<void> | null, entered: (): void => undefined }));
vi.mock('../../main/directory/fetch/directory-fetch.js', async (original) => {
  const real = await original<typeof import('../../main/directory/fetch/directory-fetch.js')>();
  return {
    ...real,
    fetchDirectoryFile: async (...args: Parameters<typeof real.fetchDirectoryFile>) => {
      gate.entered();
      if (gate.hold) await gate.hold;
      return real.fetchDirectoryFile(...args);
    },
  };
});

let folder: string;
let alice: ProfileSession;
let carol: ProfileSession;
let dan: ProfileSession;
let city: TestPartnerOrg;

const card = (who: ProfileSession) => who.requireUnlocked().identity.card;
const head = (file: { head: GossipHead | Omit<GossipHead, 'org'> }): GossipHead => ({
  org: partnerIdOf(city.key),
  ...file.head,
});
const cityStatus = () => new PartnerDirectories(alice).list()[0]!;

/** `sender`'s package to Alice carrying `gossip`. */
async function packageFrom(sender: ProfileSession, gossip: GossipHead, name: string): Promise<string> {
  const input = join(folder, `${name}.txt`);
  await writeFile(input, 'Referral (synthetic test data, no real patient)\n');
  const output = join(folder, `${name}.medseal`);
  await sealPackage({
    sender: sender.requireUnlocked().identity,
    recipients: [card(alice)],
    files: [{ path: input }],
    output,
    directoryHead: gossip,
  });
  return output;
}

beforeEach(async () => {
  await loadSodium();
  folder = await tempFolder('medseal-gossip-review-');
  alice = await person(folder, 'Alice', 'alice@general.example');
  carol = await person(folder, 'Carol', 'carol@city.example');
  dan = await person(folder, 'Dan', 'dan@city.example');
  city = await TestPartnerOrg.create(join(folder, 'city'), 'City Clinic');
  await city.publish([{ op: 'add', card: card(carol) }]);
  await city.publish([{ op: 'add', card: card(dan) }]); // Alice's history: Carol, Dan
  const partners = new PartnerDirectories(alice);
  partners.add({ name: 'City Clinic', key: city.key, source: city.source }, city.code);
  expect((await partners.refresh())[0]).toMatchObject({ outcome: 'accepted' });
});
afterEach(() => {
  gate.hold = null;
  gate.entered = () => undefined;
});

describe('gossip, attacked', () => {
  it('1. a refresh under way does not erase a fork alarm raised meanwhile', async () => {
    const shownToCarol = city.signed(1, [{ op: 'revoke', fingerprint: fingerprintOf(card(carol)) }]);
    let entered!: () => void;
    const inFetch = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    gate.hold = new Promise<void>((resolve) => (release = resolve));
    gate.entered = entered;
    const refreshing = new PartnerDirectories(alice).refresh();
    await inFetch;
    const preview = await services(alice).receive.preview(await packageFrom(carol, head(shownToCarol), 'forked'));
    expect(preview.trust.kind).toBe('unknown');
    release();
    await refreshing;
    expect(cityStatus()).toMatchObject({ status: 'fork', cards: 0 });
  });

  it('2. a higher head on Alice’s history does not evict the other history’s kept head', async () => {
    const b3 = city.signed(1, [
      { op: 'revoke', fingerprint: fingerprintOf(card(carol)) },
      { op: 'add', card: card(alice) },
    ]);
    await services(alice).receive.preview(await packageFrom(carol, head(b3), 'b3'));
    await city.publish([{ op: 'add', card: card(alice) }]);
    await city.publish([{ op: 'revoke', fingerprint: fingerprintOf(card(alice)) }]); // A4, published
    const a4 = city.signed(4, []);
    await services(alice).receive.preview(await packageFrom(dan, head(a4), 'a4'));
    const [result] = await new PartnerDirectories(alice).refresh();
    expect(result).toMatchObject({ outcome: 'refused', problem: { code: 'DIRECTORY_FORKED' } });
    expect(cityStatus()).toMatchObject({ status: 'fork' });
  });

  it('3. Alice’s history re-signed after a longer one was seen is a fork', async () => {
    const b3 = city.signed(1, [
      { op: 'revoke', fingerprint: fingerprintOf(card(carol)) },
      { op: 'add', card: card(alice) },
    ]);
    await services(alice).receive.preview(await packageFrom(carol, head(b3), 'b3'));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later issue time
    await city.publish([]); // the same 2 entries, signed again
    const [result] = await new PartnerDirectories(alice).refresh();
    expect(result).toMatchObject({ outcome: 'refused', problem: { code: 'DIRECTORY_FORKED' } });
  });

  it('4. Carol, verified by safety number too, still speaks for City', async () => {
    const book = alice.requireUnlocked().contacts;
    await book.importCard(card(carol));
    const contact = (await book.list()).find((entry) => entry.card.profile.email === 'carol@city.example')!;
    await book.verify(contact.fingerprint, book.safetyNumberWith(contact));
    const shownToCarol = city.signed(1, [{ op: 'revoke', fingerprint: fingerprintOf(card(carol)) }]);
    await services(alice).receive.preview(await packageFrom(carol, head(shownToCarol), 'verified'));
    expect(cityStatus()).toMatchObject({ status: 'fork', cards: 0 });
  });

  it('5. a stored file that is not the one accepted vouches for nobody', async () => {
    const profile = alice.requireUnlocked();
    const row = profile.partners.list()[0]!;
    profile.partners.update(row.id, row.state, city.file(1)); // genuine, but not the head accepted
    // As a new run of MedSeal reads it (nothing checked in memory yet):
    vi.resetModules();
    await (await import('../../main/crypto/sodium.js')).loadSodium();
    const fresh = await import('../../main/services/partner-organisations.js');
    expect(new fresh.PartnerDirectories(alice).vouched()).toEqual([]);
  });

  it('6. a receipt carrying another history is taken in first, then raises the alarm', async () => {
    await writeFile(join(folder, 'referral.txt'), 'Referral (synthetic test data, no real patient)\n');
    const send = services(alice).send;
    const prepared = await send.prepare({
      files: [{ path: join(folder, 'referral.txt') }],
      recipients: ['carol@city.example'],
      note: '',
      confirmUnverified: false,
    });
    const { packageHash } = await send.start(prepared, join(folder, 'to-carol.medseal')).done;
    const shownToCarol = city.signed(1, [{ op: 'revoke', fingerprint: fingerprintOf(card(carol)) }]);
    const receipt = createReceipt(carol.requireUnlocked().identity, card(alice), {
      package: packageHash,
      outcome: 'opened',
      reason: null,
      at: new Date().toISOString(),
      directoryHead: head(shownToCarol),
    });
    expect(await new Receipts(alice).takeIn(receipt)).toMatchObject({ kind: 'receipt', alreadyTakenIn: false });
    expect(alice.requireUnlocked().deliveries.has(packageHash, fingerprintOf(card(carol)), 'opened')).toBe(true);
    expect(cityStatus()).toMatchObject({ status: 'fork' });
  });
});
