/**
 * Withdrawing from a real shared folder (exchange/folder-withdraw.ts): our
 * copy goes, and nothing else does — not another account's file under the
 * same name, not a link's target, not a file swapped in between the check
 * and the removal, not a copy the recipient already archived.
 */
import { chmod, chown, copyFile, lstat, mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExchangeFolder } from '../../main/exchange/exchange-folder.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { packageHeaderHash } from '../../main/package/inspect.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let carol: UnlockedIdentity;
const fp = (who: UnlockedIdentity) => fingerprintHex(who.card.fingerprint);
/** Another account's user id (root may give a file to any id; elsewhere such tests are skipped). */
const OTHER_UID = (process.getuid?.() ?? 0) + 4242;
const asRoot = process.getuid?.() === 0;

beforeAll(async () => {
  [alice, bob, carol] = [await fastIdentity('Alice'), await fastIdentity('Bob'), await fastIdentity('Carol')];
});

/** A share where Bob and Carol have inboxes, and Alice's package for both, delivered under its id. */
async function delivered(options: { deliver?: boolean } = {}) {
  const work = await tempFolder();
  await mkdir(join(work, 'share'));
  const hooks: { beforeWithdraw?: (path: string) => Promise<void> } = {};
  const shared = new ExchangeFolder(join(work, 'share'), {
    beforeWithdraw: (path) => hooks.beforeWithdraw?.(path) ?? Promise.resolve(),
  });
  for (const owner of [bob, carol]) await shared.claimInbox(fp(owner));
  const sample = await sealSample({ folder: work, sender: alice, recipients: [bob.card, carol.card], sizes: [3000] });
  const hash = await packageHeaderHash(sample.path);
  const id = hash.slice(0, 32);
  if (options.deliver !== false) await shared.deliver(sample.path, 'package', id, [fp(bob), fp(carol)]);
  return { work, shared, sample, hash, id, hooks, bobInbox: shared.inboxOf(fp(bob)) };
}

describe('withdrawing from a shared folder', () => {
  it('removes our copy from every inbox; the recipient no longer sees it; again, nothing is found', async () => {
    const { shared, hash, id, bobInbox } = await delivered();
    expect(await shared.waiting(fp(bob))).toHaveLength(1);
    expect(await shared.withdraw(id, hash, [fp(bob), fp(carol), fp(alice)])).toEqual([
      { recipient: fp(bob), outcome: 'withdrawn' },
      { recipient: fp(carol), outcome: 'withdrawn' },
      { recipient: fp(alice), outcome: 'not-found' }, // no inbox of hers here
    ]);
    expect(await shared.waiting(fp(bob))).toEqual([]);
    expect(await shared.waiting(fp(carol))).toEqual([]);
    expect(await readdir(bobInbox)).toEqual([]); // no aside name left behind
    expect(await shared.withdraw(id, hash, [fp(bob)])).toEqual([{ recipient: fp(bob), outcome: 'not-found' }]);
  });

  it.skipIf(!asRoot)(
    "another account's file under the same name is never deleted, even holding the same bytes; our copy under the next name is",
    async () => {
      const { shared, sample, hash, id, bobInbox } = await delivered({ deliver: false });
      const planted = join(bobInbox, `${id}.medseal`);
      await writeFile(planted, 'planted before the delivery');
      await chown(planted, OTHER_UID, OTHER_UID);
      await shared.deliver(sample.path, 'package', id, [fp(bob)]); // the name is taken: ours goes to -2
      const copied = join(bobInbox, `${id}-3.medseal`);
      await copyFile(sample.path, copied); // a byte-identical copy, but another account's file
      await chown(copied, OTHER_UID, OTHER_UID);
      expect(await shared.withdraw(id, hash, [fp(bob)])).toEqual([{ recipient: fp(bob), outcome: 'withdrawn' }]);
      expect((await readdir(bobInbox)).sort()).toEqual([`${id}-3.medseal`, `${id}.medseal`]);
      expect(await readFile(planted, 'utf8')).toBe('planted before the delivery');
      expect((await readFile(copied)).equals(await readFile(sample.path))).toBe(true);
      // Only strangers' files are left under its names now: said so, and still not removed.
      expect(await shared.withdraw(id, hash, [fp(bob)])).toEqual([{ recipient: fp(bob), outcome: 'left' }]);
      expect(await readdir(bobInbox)).toHaveLength(2);
    },
  );

  it('a file of ours under that name holding another package, or one others may write, is left', async () => {
    const { work, shared, sample, hash, id, bobInbox } = await delivered({ deliver: false });
    const other = await sealSample({ folder: work, sender: alice, recipients: [bob.card], sizes: [10], name: 'other' });
    await copyFile(other.path, join(bobInbox, `${id}.medseal`)); // ours, but not this package
    await copyFile(sample.path, join(bobInbox, `${id}-2.medseal`));
    await chmod(join(bobInbox, `${id}-2.medseal`), 0o666); // this package, but anyone could have changed it
    expect(await shared.withdraw(id, hash, [fp(bob)])).toEqual([{ recipient: fp(bob), outcome: 'left' }]);
    expect((await readdir(bobInbox)).sort()).toEqual([`${id}-2.medseal`, `${id}.medseal`]);
  });

  it('a symbolic link in place of the package is not followed: neither the link nor its target is removed', async () => {
    const { work, shared, sample, hash, id, bobInbox } = await delivered({ deliver: false });
    const target = join(work, 'elsewhere.medseal');
    await copyFile(sample.path, target); // this very package, ours: the link would pass every check if followed
    await symlink(target, join(bobInbox, `${id}.medseal`));
    expect(await shared.withdraw(id, hash, [fp(bob)])).toEqual([{ recipient: fp(bob), outcome: 'left' }]);
    expect((await lstat(join(bobInbox, `${id}.medseal`))).isSymbolicLink()).toBe(true);
    expect((await readFile(target)).equals(await readFile(sample.path))).toBe(true);
  });

  it('a package the recipient already archived is reported picked up, and nothing is touched', async () => {
    const { shared, hash, id, bobInbox } = await delivered();
    const [item] = await shared.waiting(fp(bob));
    const info = await lstat(shared.pathOf(fp(bob), item!));
    expect(await shared.archive(fp(bob), item!, { dev: info.dev, ino: info.ino })).toBe(true);
    expect(await shared.withdraw(id, hash, [fp(bob), fp(carol)])).toEqual([
      { recipient: fp(bob), outcome: 'picked-up' },
      { recipient: fp(carol), outcome: 'withdrawn' }, // Carol had not: hers goes
    ]);
    expect(await readdir(join(bobInbox, 'archive'))).toEqual([`${id}.medseal`]);
  });

  it.skipIf(!asRoot)(
    "an archive another account made first in an inbox is not used: the owner's MedSeal refuses it, and what it holds is not 'picked up' (security review of issue 28)",
    async () => {
      const { shared, hash, id, bobInbox } = await delivered();
      await mkdir(join(bobInbox, 'archive'), { mode: 0o755 });
      await chown(join(bobInbox, 'archive'), OTHER_UID, OTHER_UID); // made by another account, before Bob's first archive
      await copyFile(join(bobInbox, `${id}.medseal`), join(bobInbox, 'archive', `${id}.medseal`)); // "he took it in"
      const [item] = await shared.waiting(fp(bob));
      const info = await lstat(shared.pathOf(fp(bob), item!));
      await expect(shared.archive(fp(bob), item!, { dev: info.dev, ino: info.ino })).rejects.toMatchObject({
        code: 'UNSAFE_FOLDER',
      });
      expect(await shared.withdraw(id, hash, [fp(bob)])).toEqual([{ recipient: fp(bob), outcome: 'withdrawn' }]);
    },
  );

  it('a file swapped in between the check and the removal is put back under its name, never deleted', async () => {
    const { work, shared, hash, id, hooks, bobInbox } = await delivered();
    const path = join(bobInbox, `${id}.medseal`);
    const kept = join(work, 'ours-moved-away.medseal');
    hooks.beforeWithdraw = async (checked) => {
      hooks.beforeWithdraw = undefined; // Carol's copy is withdrawn undisturbed
      expect(checked).toBe(path);
      await rename(path, kept); // the inbox's owner moves ours away…
      await writeFile(path, 'a file of their own'); // …and puts their own under the name
    };
    expect(await shared.withdraw(id, hash, [fp(bob), fp(carol)])).toEqual([
      { recipient: fp(bob), outcome: 'left' },
      { recipient: fp(carol), outcome: 'withdrawn' },
    ]);
    expect(await readFile(path, 'utf8')).toBe('a file of their own');
    expect((await readdir(bobInbox)).filter((name) => name.startsWith('.medseal-withdrawing'))).toEqual([]);
  });

  it('refuses what is not a delivery id', async () => {
    const { shared, hash } = await delivered({ deliver: false });
    await expect(shared.withdraw('../../x', hash, [fp(bob)])).rejects.toThrow(/hex/);
  });
});
