/**
 * A full disk and a read-only profile folder give a clear, typed error and
 * corrupt nothing. Uses small tmpfs mounts, so it needs root (CI runs as
 * root; elsewhere the tests are skipped unless CI is set).
 */
import { spawnSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IoError } from '../../main/errors/io-error.js';
import { openPackage } from '../../main/package/open.js';
import { sealPackage } from '../../main/package/seal.js';
import { ProfileStore } from '../../main/store/profile-store.js';
import { StoreUnavailable } from '../../main/store/errors.js';
import { fastIdentity } from '../helpers/identities.js';
import { openTestProfile } from '../helpers/profiles.js';
import { tempFolder, writeSample } from '../helpers/temp-folder.js';

const mounts: string[] = [];
const isRoot = process.getuid?.() === 0;

async function tmpfs(sizeKiB: number): Promise<string> {
  const point = await tempFolder('medseal-tmpfs-');
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', point]);
  if (result.status !== 0) throw new Error(`mount failed: ${result.stderr.toString()}`);
  mounts.push(point);
  return point;
}

afterEach(() => {
  for (const point of mounts.splice(0)) spawnSync('umount', [point]);
});

describe.runIf(isRoot || process.env.CI)('disk full and read-only folders', () => {
  it.each([0, 2])(
    'sealing onto a full disk fails with "the disk is full" and leaves nothing behind (%i worker threads)',
    async (threads) => {
      const disk = await tmpfs(512);
      const { profile, identity } = await openTestProfile();
      const bob = await fastIdentity('Bob');
      const input = join(await tempFolder(), 'scan.bin');
      await writeSample(input, 2 * 1024 * 1024);
      const error = await sealPackage({
        sender: identity,
        recipients: [bob.card],
        files: [{ path: input }],
        output: join(disk, 'out.medseal'),
        tempFiles: profile.tempFiles,
        threads,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(IoError);
      expect((error as IoError).userMessage).toMatch(/the disk is full/);
      expect(await readdir(disk)).toEqual([]);
    },
  );

  it.each([0, 2])(
    'opening onto a full disk fails with "the disk is full" and leaves no file behind (%i worker threads)',
    async (threads) => {
      const { profile, identity } = await openTestProfile();
      const bob = await fastIdentity('Bob');
      const folder = await tempFolder();
      await writeSample(join(folder, 'scan.bin'), 2 * 1024 * 1024);
      await writeSample(join(folder, 'notes.txt'), 1000, 5);
      const pkg = join(folder, 'pkg.medseal');
      await sealPackage({
        sender: identity,
        recipients: [bob.card],
        files: [{ path: join(folder, 'notes.txt') }, { path: join(folder, 'scan.bin') }],
        output: pkg,
      });
      const disk = await tmpfs(512);
      const opened = await openPackage(pkg, bob);
      const error = await opened
        .extractTo(disk, { threads, tempFiles: profile.tempFiles })
        .catch((caught: unknown) => caught);
      await opened.close();
      expect(error).toBeInstanceOf(IoError);
      expect((error as IoError).userMessage).toMatch(/the disk is full/);
      expect(await readdir(disk)).toEqual([]); // not even the small file that did fit
    },
  );

  it('a full disk under the profile: the change is refused whole, and the data is intact once space returns', async () => {
    const { profile, store, identity, folder } = await openTestProfile({ folder: join(await tmpfs(4096), 'profile') });
    const bob = await fastIdentity('Bob');
    await profile.contacts.importCard(bob.card);
    const filler = join(folder.path, '..', 'filler');
    await writeFile(filler, Buffer.alloc(8 * 1024 * 1024)).catch(() => undefined); // fills the tmpfs
    const carols = await Promise.all(Array.from({ length: 40 }, (_, i) => fastIdentity(`Carol ${i}`)));
    let failure: unknown;
    for (const carol of carols) {
      failure = await profile.contacts.importCard(carol.card).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      if (failure) break;
    }
    expect(failure).toBeInstanceOf(StoreUnavailable);
    expect((failure as StoreUnavailable).userMessage).toMatch(/disk is full/);
    store.close();
    await rm(filler, { force: true });

    const reopened = await ProfileStore.open(folder);
    expect(reopened.integrityCheck()).toBe('ok');
    const again = await reopened.unlock(identity);
    const contacts = await again.contacts.list();
    expect(contacts[0]!.card.profile.email).toBe(bob.card.profile.email);
    expect(again.audit.verify().ok).toBe(true);
    reopened.close();
  });

  it('a read-only profile folder gives a clear error and changes nothing', async () => {
    const disk = await tmpfs(4096);
    const { store, identity, folder } = await openTestProfile({ folder: join(disk, 'profile') });
    store.close();
    const before = await readdir(folder.path);
    expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
    const error = await ProfileStore.open(folder)
      .then((opened) => opened.unlock(identity))
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as StoreUnavailable).userMessage).toMatch(/read-only|cannot be opened/);
    expect(await readdir(folder.path)).toEqual(before);
  });
});
