/**
 * The folder rule (fs/pinned-folder.ts): a folder is pinned by what it is,
 * its owner and mode, below parents no other account can change, and any
 * change between two actions is caught.
 */
import { chmod, chown, mkdir, rename, rmdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderChanged, FolderNotSafe, FolderPins, PinnedFolder } from '../../main/fs/pinned-folder.js';
import { tempFolder } from '../helpers/temp-folder.js';

const posix = process.platform !== 'win32';
const root = process.getuid?.() === 0;

async function privateFolder(name = 'box'): Promise<string> {
  const folder = join(await tempFolder('medseal-pin-'), name);
  await mkdir(folder, { mode: 0o700 });
  await chmod(folder, 0o700);
  return folder;
}

describe.skipIf(!posix)('pinned folders', () => {
  it('pins a private folder and finds it unchanged', async () => {
    const folder = await privateFolder();
    const pinned = await PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' });
    await expect(pinned.check()).resolves.toBeUndefined();
  });

  it('refuses a missing folder, a link to a folder, and a file', async () => {
    const folder = await privateFolder();
    await expect(PinnedFolder.pin(join(folder, 'nothing'), { what: 'x', sharing: 'private' })).rejects.toMatchObject({
      problem: 'missing',
    });
    await symlink(folder, `${folder}-link`);
    await expect(PinnedFolder.pin(`${folder}-link`, { what: 'x', sharing: 'private' })).rejects.toMatchObject({
      problem: 'link',
    });
  });

  it('refuses a private folder that group or others may write', async () => {
    const folder = await privateFolder();
    await chmod(folder, 0o770);
    await expect(PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' })).rejects.toMatchObject({
      code: 'UNSAFE_FOLDER',
      problem: 'writable',
    });
    // A shared folder may be, on purpose: its mode is pinned instead.
    await expect(PinnedFolder.pin(folder, { what: 'the share', sharing: 'shared' })).resolves.toBeInstanceOf(
      PinnedFolder,
    );
  });

  it('refuses a folder below a parent others can write without the sticky bit, accepts a sticky one', async () => {
    const folder = await privateFolder();
    const parent = join(folder, '..');
    await chmod(parent, 0o777);
    await expect(PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' })).rejects.toMatchObject({
      problem: 'parent',
    });
    await chmod(parent, 0o1777);
    await expect(PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' })).resolves.toBeInstanceOf(
      PinnedFolder,
    );
    await chmod(parent, 0o700);
  });

  it('refuses a folder reached through a link that lies in a folder others can change (it could be pointed elsewhere)', async () => {
    const base = await privateFolder('base');
    const safe = join(base, 'home');
    await mkdir(join(safe, 'outbox'), { recursive: true, mode: 0o700 });
    const open = join(base, 'dept');
    await mkdir(open);
    await chmod(open, 0o777); // no sticky bit
    await symlink(safe, join(open, 'link'));
    await expect(
      PinnedFolder.pin(join(open, 'link', 'outbox'), { what: 'the outbox folder', sharing: 'private' }),
    ).rejects.toMatchObject({ problem: 'parent' });
    await chmod(open, 0o1777); // sticky: only its owner may replace the link
    await expect(
      PinnedFolder.pin(join(open, 'link', 'outbox'), { what: 'the outbox folder', sharing: 'private' }),
    ).resolves.toBeInstanceOf(PinnedFolder);
  });

  it.skipIf(!root)(
    'refuses a team folder another account owns, sticky or not (its owner can rename anything in it)',
    async () => {
      const folder = await privateFolder('results');
      await chmod(folder, 0o1777);
      await chown(folder, 12345, 12345);
      await expect(PinnedFolder.pin(folder, { what: 'the output folder', sharing: 'team' })).rejects.toMatchObject({
        problem: 'owner',
      });
      await chown(folder, 0, 0);
      await expect(PinnedFolder.pin(folder, { what: 'the output folder', sharing: 'team' })).resolves.toBeInstanceOf(
        PinnedFolder,
      );
    },
  );

  it('notices the folder replaced by another one under the same name, or by a link', async () => {
    const folder = await privateFolder();
    const pinned = await PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' });
    await rename(folder, `${folder}-old`);
    await mkdir(folder, { mode: 0o700 });
    await expect(pinned.check()).rejects.toMatchObject({ code: 'FOLDER_CHANGED', change: 'replaced' });
    await rmdir(folder);
    await symlink(`${folder}-old`, folder); // the very folder, through a link: still refused
    await expect(pinned.check()).rejects.toBeInstanceOf(FolderChanged);
  });

  it('notices a change of mode, and of a parent that becomes writable by others', async () => {
    const folder = await privateFolder();
    const pinned = await PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' });
    await chmod(folder, 0o755);
    await expect(pinned.check()).rejects.toMatchObject({ change: 'permissions' });
    await chmod(folder, 0o700);
    await expect(pinned.check()).resolves.toBeUndefined();
    await chmod(join(folder, '..'), 0o777);
    await expect(pinned.check()).rejects.toMatchObject({ change: 'parent' });
    await chmod(join(folder, '..'), 0o700);
  });

  it.skipIf(!root)('notices a change of owner, and refuses a folder of another account', async () => {
    const folder = await privateFolder();
    const pinned = await PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' });
    await chown(folder, 12345, 12345);
    await expect(pinned.check()).rejects.toMatchObject({ change: 'permissions' });
    await expect(PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' })).rejects.toMatchObject({
      problem: 'owner',
    });
    const parent = join(folder, '..');
    await chown(parent, 12345, 12345);
    await chown(folder, 0, 0);
    await expect(PinnedFolder.pin(folder, { what: 'the test folder', sharing: 'private' })).rejects.toMatchObject({
      problem: 'parent',
    });
    await chown(parent, 0, 0);
  });

  it('checks the chain only up to a folder another pin guards, and that one too', async () => {
    const share = await privateFolder('share');
    await chmod(share, 0o1777);
    const inboxes = join(share, 'inboxes');
    await mkdir(inboxes);
    await chmod(inboxes, 0o777); // shared, no sticky bit: allowed below a pinned share
    const pinnedShare = await PinnedFolder.pin(share, { what: 'the share', sharing: 'shared' });
    const pinnedInboxes = await PinnedFolder.pin(inboxes, {
      what: 'its inboxes',
      sharing: 'shared',
      within: pinnedShare,
    });
    const mine = join(inboxes, 'mine');
    await mkdir(mine, { mode: 0o700 });
    const pinnedMine = await PinnedFolder.pin(mine, { what: 'my inbox', sharing: 'private', within: pinnedInboxes });
    await expect(pinnedMine.check()).resolves.toBeUndefined();
    await rename(inboxes, `${inboxes}-old`);
    await mkdir(inboxes);
    await mkdir(mine);
    await expect(pinnedMine.check()).rejects.toBeInstanceOf(FolderChanged);
  });

  it('FolderPins pins on first use and checks afterwards; names never leave the folder', async () => {
    const folder = await privateFolder();
    const pins = new FolderPins();
    const pinned = await pins.checked(folder, { what: 'the test folder', sharing: 'private' });
    await chmod(folder, 0o750);
    await expect(pins.checked(folder, { what: 'the test folder', sharing: 'private' })).rejects.toBeInstanceOf(
      FolderChanged,
    );
    for (const name of ['..', '.', '', 'a/b', 'a\\b']) expect(() => pinned.child(name)).toThrow();
    expect(pinned.child('x.txt')).toBe(join(folder, 'x.txt'));
  });

  it('its errors name the folder in plain words, never a path', async () => {
    const folder = await privateFolder('patient-smith');
    await chmod(folder, 0o777);
    const error = await PinnedFolder.pin(folder, { what: 'the output folder', sharing: 'private' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(FolderNotSafe);
    expect((error as FolderNotSafe).userMessage).toMatch(/^The output folder can be changed by other accounts/);
    expect((error as FolderNotSafe).userMessage).not.toContain('smith');
  });
});
