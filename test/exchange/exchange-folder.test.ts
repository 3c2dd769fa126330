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

beforeAll(async () => {
  [alice, bob, carol] = [await fastIdentity('Alice'), await fastIdentity('Bob'), await fastIdentity('Carol')];
});

describe('exchange folders', () => {
  it('deliver into each recipient inbox; the recipient lists, opens and archives; nothing else is touched', async () => {
    const work = await tempFolder();
    const shared = new ExchangeFolder(join(work, 'share'));
    const sample = await sealSample({ folder: work, sender: alice, recipients: [bob.card, carol.card], sizes: [5000, 12] });
    const delivered = await shared.deliver(sample.path, [fp(bob), fp(carol)]);
    expect(delivered).toHaveLength(2);
    for (const path of delivered) expect(await readFile(path)).toEqual(await readFile(sample.path));
    expect(delivered[0]).not.toMatch(/file-1|Alice|Bob/);

    const inbox = await shared.inbox(fp(bob));
    expect(inbox.map((entry) => entry.path)).toEqual([delivered[0]]);
    const opened = await openPackage(inbox[0]!.path, bob);
    const out = join(work, 'out');
    await mkdir(out);
    await opened.extractTo(out);
    await opened.close();
    const archived = await shared.archive(fp(bob), inbox[0]!.path, opened.file);
    expect(await shared.inbox(fp(bob))).toEqual([]);
    expect(await readdir(join(shared.inboxOf(fp(bob)), 'archive'))).toEqual([archived!.split('/').pop()]);
    expect(await shared.inbox(fp(carol))).toHaveLength(1); // Carol's copy is hers to open
  });

  it('many senders delivering at once never clobber each other', async () => {
    const work = await tempFolder();
    const shared = new ExchangeFolder(join(work, 'share'));
    const packages = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sealSample({ folder: work, sender: i % 2 ? alice : carol, recipients: [bob.card], sizes: [1000 + i], name: `p${i}`, seed: i + 1 })),
    );
    const when = new Date('2026-11-29T12:00:00Z'); // same second for all: names must still differ
    await Promise.all(packages.map((sample) => shared.deliver(sample.path, [fp(bob)], when)));
    const inbox = await shared.inbox(fp(bob));
    expect(inbox).toHaveLength(12);
    const digests = new Set(await Promise.all(inbox.map(async (entry) => sha256(await readFile(entry.path)).toString('hex'))));
    const expected = new Set(await Promise.all(packages.map(async (sample) => sha256(await readFile(sample.path)).toString('hex'))));
    expect(digests).toEqual(expected);
  });

  it('deliveries in progress (temp names) and other files are not listed', async () => {
    const work = await tempFolder();
    const shared = new ExchangeFolder(join(work, 'share'));
    await mkdir(shared.inboxOf(fp(bob)), { recursive: true });
    await writeFile(join(shared.inboxOf(fp(bob)), '.medseal-partial-0011223344556677'), 'half');
    await writeFile(join(shared.inboxOf(fp(bob)), 'notes.txt'), 'x');
    expect(await shared.inbox(fp(bob))).toEqual([]);
    expect(() => shared.inboxOf('../../etc')).toThrow();
  });
});
