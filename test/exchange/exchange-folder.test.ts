/** Exchange folders shared by real profiles: atomic delivery, no clobbering, listing, archiving. */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../main/crypto/primitives.js';
import { ExchangeFolder } from '../../main/exchange/exchange-folder.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { openPackage } from '../../main/package/open.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let carol: UnlockedIdentity;
const fp = (who: UnlockedIdentity) => fingerprintHex(who.card.fingerprint);
const ID = 'ab'.repeat(16);

beforeAll(async () => {
  [alice, bob, carol] = [await fastIdentity('Alice'), await fastIdentity('Bob'), await fastIdentity('Carol')];
});

/** A shared folder where these identities' MedSeal made their inboxes (deliveries go only into existing inboxes). */
async function exchangeWithInboxes(root: string, owners: readonly UnlockedIdentity[]): Promise<ExchangeFolder> {
  await mkdir(root);
  const shared = new ExchangeFolder(root);
  for (const owner of owners) await shared.claimInbox(fp(owner));
  return shared;
}

describe('exchange folders', () => {
  it('deliver into each recipient inbox; the recipient lists, opens and archives; nothing else is touched', async () => {
    const work = await tempFolder();
    const shared = await exchangeWithInboxes(join(work, 'share'), [bob, carol]);
    const sample = await sealSample({
      folder: work,
      sender: alice,
      recipients: [bob.card, carol.card],
      sizes: [5000, 12],
    });
    const reports = await shared.deliver(sample.path, 'package', ID, [fp(bob), fp(carol)]);
    expect(reports.map((report) => report.recipient)).toEqual([fp(bob), fp(carol)]);
    for (const who of [bob, carol])
      expect(await readFile(join(shared.inboxOf(fp(who)), `${ID}.medseal`))).toEqual(await readFile(sample.path));

    const inbox = await shared.waiting(fp(bob));
    expect(inbox.map((entry) => entry.id)).toEqual([`${ID}.medseal`]);
    const opened = await openPackage(shared.pathOf(fp(bob), inbox[0]!), bob);
    const out = join(work, 'out');
    await mkdir(out);
    await opened.extractTo(out);
    await opened.close();
    expect(await shared.archive(fp(bob), inbox[0]!, opened.file)).toBe(true);
    expect(await shared.waiting(fp(bob))).toEqual([]);
    expect(await readdir(join(shared.inboxOf(fp(bob)), 'archive'))).toEqual([`${ID}.medseal`]);
    expect(await shared.waiting(fp(carol))).toHaveLength(1); // Carol's copy is hers to open
    await shared.deliver(sample.path, 'package', ID, [fp(carol)]);
    expect(await shared.waiting(fp(carol))).toHaveLength(1); // delivering again finds it there: one copy
  });

  it('many senders delivering at once never clobber each other', async () => {
    const work = await tempFolder();
    const shared = await exchangeWithInboxes(join(work, 'share'), [bob]);
    const packages = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sealSample({
          folder: work,
          sender: i % 2 ? alice : carol,
          recipients: [bob.card],
          sizes: [1000 + i],
          name: `p${i}`,
          seed: i + 1,
        }),
      ),
    );
    // five under one delivery id, as if the senders picked the same name: each lands under its own name
    await Promise.all(packages.slice(0, 5).map((sample) => shared.deliver(sample.path, 'package', ID, [fp(bob)])));
    const clashing = await shared.waiting(fp(bob));
    expect(clashing).toHaveLength(5);
    const digest = async (path: string) => sha256(await readFile(path)).toString('hex');
    const expected = await Promise.all(packages.map((sample) => digest(sample.path)));
    expect(new Set(await Promise.all(clashing.map((entry) => digest(shared.pathOf(fp(bob), entry)))))).toEqual(
      new Set(expected.slice(0, 5)),
    );
    // a sixth finds every name taken: refused, nothing replaced
    await expect(shared.deliver(packages[5]!.path, 'package', ID, [fp(bob)])).rejects.toMatchObject({
      code: 'IO_ERROR',
    });
    expect(await shared.waiting(fp(bob))).toHaveLength(5);
    // the rest at once under their own ids
    await Promise.all(
      packages
        .slice(5)
        .map((sample, i) =>
          shared.deliver(sample.path, 'package', i.toString(16).padStart(2, '0').repeat(16), [fp(bob)]),
        ),
    );
    const inbox = await shared.waiting(fp(bob));
    expect(new Set(await Promise.all(inbox.map((entry) => digest(shared.pathOf(fp(bob), entry)))))).toEqual(
      new Set(expected),
    );
  });

  it('deliveries in progress (temp names) and other files are not listed', async () => {
    const work = await tempFolder();
    const shared = new ExchangeFolder(join(work, 'share'));
    await mkdir(shared.inboxOf(fp(bob)), { recursive: true });
    await writeFile(join(shared.inboxOf(fp(bob)), '.medseal-partial-0011223344556677'), 'half');
    await writeFile(join(shared.inboxOf(fp(bob)), 'notes.txt'), 'x');
    expect(await shared.waiting(fp(bob))).toEqual([]);
    expect(() => shared.inboxOf('../../etc')).toThrow();
    await expect(shared.deliver(join(work, 'x'), 'package', '../../x', [fp(bob)])).rejects.toThrow(/hex/);
  });
});
