/**
 * Security review, high 4 and 5, medium 6: folders other people can write
 * to. Each attack is played by a second, real Linux account that shares a
 * group-writable folder with MedSeal's user (as on a department share or an
 * exchange inbox), at the moment the old code acted on a path again:
 *  4. delivery: the temp file in the inbox is swapped for a symlink to one
 *     of the sender's private files (the old code chmod'ed it 0644 by path
 *     and linked it into the inbox);
 *  5. archiving: the opened inbox entry is swapped for a symlink to one of
 *     the recipient's private files (the old code archived it by path);
 *  6. opening: the verified temp file is swapped for the attacker's own
 *     file (the old code linked it into place as the verified file).
 * Each now fails without harm. Folders every user may write to without the
 * sticky bit are refused outright.
 */
import { chmod, chown, mkdir, readdir, readFile, lstat, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeFolder } from '../../main/exchange/exchange-folder.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { fastIdentity } from '../helpers/identities.js';
import { createOtherUser, otherUserUnavailable, type OtherUser } from '../helpers/other-user.js';
import { sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

const unavailable = otherUserUnavailable();
if (unavailable) console.log(`shared-folder attacks by a second account skipped: ${unavailable}`);

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let other: OtherUser;

beforeAll(async () => {
  [alice, bob] = [await fastIdentity('Alice'), await fastIdentity('Bob')];
  if (!unavailable) other = createOtherUser();
});

afterAll(() => {
  if (!unavailable) other.remove();
});

/** A work folder the other account can reach, a private file of ours, and a folder shared with the other account's group. */
async function setting() {
  const work = await tempFolder('medseal-shared-');
  await chmod(work, 0o711);
  const privateFolder = join(work, 'private');
  await mkdir(privateFolder, { mode: 0o700 });
  const secret = join(privateFolder, 'secret.txt');
  await writeFile(secret, 'PRIVATE: not for the share', { mode: 0o600 });
  const shared = async (path: string) => {
    await mkdir(path, { recursive: true });
    await chown(path, 0, other.gid);
    await chmod(path, 0o770); // the team may write; no sticky bit
    return path;
  };
  return { work, secret, shared };
}

describe.skipIf(unavailable !== null)('another user of a shared folder', () => {
  it('4: a delivery temp file swapped for a symlink is not chmod-ed, linked or delivered', async () => {
    const { work, secret, shared } = await setting();
    const sample = await sealSample({ folder: work, sender: alice, recipients: [bob.card], sizes: [1000] });
    const root = join(work, 'share');
    const inbox = await shared(join(root, 'inboxes', fingerprintHex(bob.card.fingerprint)));
    await chmod(join(root, 'inboxes'), 0o755);
    const folder = new ExchangeFolder(root, {
      beforePublish: async (temp) => other.run(`rm -f '${temp}' && ln -s '${secret}' '${temp}'`),
    });
    await expect(
      folder.deliver(sample.path, 'package', 'ab'.repeat(16), [fingerprintHex(bob.card.fingerprint)]),
    ).rejects.toMatchObject({ code: 'FILE_REPLACED' });
    expect((await stat(secret)).mode & 0o777).toBe(0o600);
    for (const name of await readdir(inbox))
      expect((await lstat(join(inbox, name))).isSymbolicLink() && !name.startsWith('.'), name).toBe(false);
    expect((await readdir(inbox)).filter((name) => name.endsWith('.medseal'))).toEqual([]);
  });

  it('5: an opened inbox entry swapped for a symlink is not archived (no copy, no link into the archive)', async () => {
    const { work, secret, shared } = await setting();
    const sample = await sealSample({ folder: work, sender: alice, recipients: [bob.card], sizes: [1000] });
    const root = join(work, 'share');
    const me = fingerprintHex(bob.card.fingerprint);
    await shared(join(root, 'inboxes', me)); // the archive is Bob's own (made by MedSeal, closed to others)
    await chmod(join(root, 'inboxes'), 0o755);
    await new ExchangeFolder(root).deliver(sample.path, 'package', 'ab'.repeat(16), [me]);
    const delivered = join(root, 'inboxes', me, `${'ab'.repeat(16)}.medseal`);
    const opened = await openPackage(delivered, bob);
    await mkdir(join(work, 'out'));
    await opened.extractTo(join(work, 'out'));
    await opened.close();
    const folder = new ExchangeFolder(root, {
      beforeArchive: async (path) => other.run(`rm -f '${path}' && ln -s '${secret}' '${path}'`),
    });
    expect(await folder.archivePath(me, delivered, opened.file)).toBeNull();
    expect(await readdir(join(root, 'inboxes', me, 'archive'))).toEqual([]);
    expect((await stat(secret)).mode & 0o777).toBe(0o600);
  });

  it("6: a verified temp file swapped for the attacker's own file is never published as the opened file", async () => {
    const { work, shared } = await setting();
    const sample = await sealSample({
      folder: work,
      sender: alice,
      recipients: [bob.card],
      sizes: [5000],
      name: 'referral',
    });
    const out = await shared(join(work, 'team-folder'));
    await chmod(out, 0o1770); // the team's, sticky: a team folder MedSeal accepts
    const opened = await openPackage(sample.path, bob);
    // Sticky: the other account can neither move our temp file away nor put its own under our names.
    const swap = async (temps: readonly string[]) => {
      expect(() => other.run(temps.map((temp) => `mv '${temp}' '${temp}.moved'`).join(' && '))).toThrow();
    };
    const { paths } = await opened.extractTo(out, { beforePublish: swap });
    await opened.close();
    expect((await readFile(paths[0]!)).equals(sample.contents[0]!)).toBe(true);
  });

  it('outside review 2, item 5: a team folder without the sticky bit gets no opened files (a member could rename a forged result over them)', async () => {
    const { work, shared } = await setting();
    const sample = await sealSample({
      folder: work,
      sender: alice,
      recipients: [bob.card],
      sizes: [500],
      name: 'result',
    });
    const out = await shared(join(work, 'team-results')); // 0770, the team's group: no sticky bit
    const opened = await openPackage(sample.path, bob);
    await expect(opened.extractTo(out)).rejects.toMatchObject({ code: 'UNSAFE_FOLDER' });
    await opened.close();
    expect(await readdir(out)).toEqual([]); // nothing written there at all
    // The same folder with the sticky bit: saved, and the member's forged file cannot take the name.
    await chmod(out, 0o1770);
    const again = await openPackage(sample.path, bob);
    const { paths } = await again.extractTo(out);
    await again.close();
    other.run(`printf 'FORGED RESULT: potassium 2.1' > '${out}/.forged'`);
    expect(() => other.run(`mv -f '${out}/.forged' '${paths[0]!}'`)).toThrow();
    expect((await readFile(paths[0]!)).equals(sample.contents[0]!)).toBe(true);
  });

  it('outside review 2, review of the fixes (R1): a sticky folder that the other account owns gets no opened files (its owner can rename anything in it)', async () => {
    const { work } = await setting();
    const sample = await sealSample({
      folder: work,
      sender: alice,
      recipients: [bob.card],
      sizes: [500],
      name: 'result',
    });
    const out = join(work, 'their-results');
    await mkdir(out);
    await chown(out, other.uid, other.gid);
    await chmod(out, 0o1777);
    const opened = await openPackage(sample.path, bob);
    await expect(opened.extractTo(out)).rejects.toMatchObject({ code: 'UNSAFE_FOLDER' });
    await opened.close();
    expect(await readdir(out)).toEqual([]);
  });

  it('a folder opened to others between the check and the publishing gets no plaintext', async () => {
    const { work } = await setting();
    const sample = await sealSample({
      folder: work,
      sender: alice,
      recipients: [bob.card],
      sizes: [500],
      name: 'late',
    });
    const out = join(work, 'mine');
    await mkdir(out, { mode: 0o700 });
    const opened = await openPackage(sample.path, bob);
    await expect(opened.extractTo(out, { beforePublish: async () => chmod(out, 0o777) })).rejects.toMatchObject({
      code: 'FOLDER_CHANGED',
    });
    await opened.close();
    expect((await readdir(out)).filter((name) => !name.startsWith('.medseal-partial-'))).toEqual([]);
  });
});

describe('folders every user may write to, without the sticky bit', () => {
  it('are refused for opened files, sealed packages and exports, before anything is written', async () => {
    const work = await tempFolder();
    const open = join(work, 'open-to-all');
    await mkdir(open);
    await chmod(open, 0o777);
    const sample = await sealSample({ folder: work, sender: alice, recipients: [bob.card], sizes: [100] });
    const opened = await openPackage(sample.path, bob);
    await expect(opened.extractTo(open)).rejects.toMatchObject({ code: 'UNSAFE_FOLDER' });
    await opened.close();
    await expect(
      sealPackage({
        sender: alice,
        recipients: [bob.card],
        files: [{ path: sample.path }],
        output: join(open, 'p.medseal'),
      }),
    ).rejects.toMatchObject({ code: 'UNSAFE_FOLDER' });
    const { writeNewFile } = await import('../../main/fs/write-new-file.js');
    await expect(writeNewFile(join(open, 'audit.csv'), 'x', 'the audit export')).rejects.toMatchObject({
      code: 'UNSAFE_FOLDER',
    });
    expect(await readdir(open)).toEqual([]);

    await chmod(open, 0o1777); // with the sticky bit (like /tmp), others cannot rename or delete our files
    await writeNewFile(join(open, 'audit.csv'), 'x', 'the audit export');
    expect((await stat(join(open, 'audit.csv'))).mode & 0o777).toBe(0o600);
  });
});
