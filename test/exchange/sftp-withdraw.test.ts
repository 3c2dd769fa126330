/**
 * Withdrawing through a real OpenSSH server (exchange/sftp/sftp-withdraw.ts):
 * our copy goes; another account's file under the same name, a link and its
 * target, a file in an inbox others may change, and a copy the recipient
 * already archived stay. The server runs as this test's account; "another
 * account" is a file given to another user id.
 */
import { chmod, chown, copyFile, lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSftpAddress } from '../../main/exchange/sftp/sftp-address.js';
import { SftpTransport } from '../../main/exchange/sftp/sftp-transport.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder, writeSample } from '../helpers/temp-folder.js';

const BOB = 'b'.repeat(64);
const CAROL = 'c'.repeat(64);
const HASH = 'e7'.repeat(32);
const ANNOUNCED = Buffer.from('an announcement (checked by the delivery service, not here)');
const OTHER_UID = (process.getuid?.() ?? 0) + 4242;
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`SFTP withdraw tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('withdrawing through an SFTP server (real sshd)', () => {
  let server: SshdServer;
  let sftp: SftpTransport;
  let next = 0;

  beforeAll(async () => {
    server = await startSshd();
  });
  beforeEach(async () => {
    await server.ensureRunning();
  });
  afterAll(async () => {
    await sftp?.close();
    await server?.dispose();
  });

  /** A fresh delivery id and package file; Bob's and Carol's inboxes claimed (mode 1733). */
  async function prepared() {
    sftp ??= new SftpTransport('partner', {
      address: parseSftpAddress(server.url),
      hostKey: server.hostKeyFingerprint,
      privateKey: await readFile(server.clientKeyFile),
    });
    await sftp.announce(BOB, ANNOUNCED);
    await sftp.announce(CAROL, ANNOUNCED);
    const folder = await tempFolder();
    const file = join(folder, 'p.medseal');
    const content = await writeSample(file, 200_000, ++next);
    const id = `${next.toString(16).padStart(2, '0')}`.repeat(16);
    return { file, content, id, bobInbox: join(server.root, 'inboxes', BOB) };
  }

  it('removes our copy from each inbox; the recipient no longer lists it; again, nothing is found', async () => {
    const { file, id } = await prepared();
    await sftp.deliver(file, 'package', id, [BOB, CAROL]);
    expect(await sftp.withdraw(id, HASH, [BOB, CAROL, 'd'.repeat(64)])).toEqual([
      { recipient: BOB, outcome: 'withdrawn' },
      { recipient: CAROL, outcome: 'withdrawn' },
      { recipient: 'd'.repeat(64), outcome: 'not-found' }, // no inbox here
    ]);
    expect((await sftp.waiting(BOB)).filter((item) => item.id.startsWith(id))).toEqual([]);
    expect(await sftp.withdraw(id, HASH, [BOB])).toEqual([{ recipient: BOB, outcome: 'not-found' }]);
  });

  it("another account's file under the same name is never deleted, even holding the same bytes; ours under the next name is", async () => {
    const { file, content, id, bobInbox } = await prepared();
    const planted = join(bobInbox, `${id}.medseal`);
    await writeFile(planted, 'planted before the delivery');
    await chown(planted, OTHER_UID, OTHER_UID);
    await sftp.deliver(file, 'package', id, [BOB]); // the name is taken: ours goes to -2
    const copied = join(bobInbox, `${id}-3.medseal`);
    await copyFile(file, copied);
    await chown(copied, OTHER_UID, OTHER_UID);
    expect(await sftp.withdraw(id, HASH, [BOB])).toEqual([{ recipient: BOB, outcome: 'withdrawn' }]);
    expect((await readdir(bobInbox)).filter((name) => name.startsWith(id)).sort()).toEqual([
      `${id}-3.medseal`,
      `${id}.medseal`,
    ]);
    expect(await readFile(planted, 'utf8')).toBe('planted before the delivery');
    expect((await readFile(copied)).equals(content)).toBe(true);
    expect(await sftp.withdraw(id, HASH, [BOB])).toEqual([{ recipient: BOB, outcome: 'left' }]); // said, not removed
  });

  it('a file of ours that others may write is left', async () => {
    const { file, id, bobInbox } = await prepared();
    await sftp.deliver(file, 'package', id, [BOB]);
    await chmod(join(bobInbox, `${id}.medseal`), 0o666);
    expect(await sftp.withdraw(id, HASH, [BOB])).toEqual([{ recipient: BOB, outcome: 'left' }]);
    expect(await readdir(bobInbox)).toContain(`${id}.medseal`);
  });

  it('a symbolic link in place of the package is not followed: neither the link nor its target is removed', async () => {
    const { file, content, id, bobInbox } = await prepared();
    const target = join(server.root, `target-${id}.medseal`);
    await copyFile(file, target); // ours, mode 0644: it would pass every check if the link were followed
    await chmod(target, 0o644);
    await symlink(target, join(bobInbox, `${id}.medseal`));
    expect(await sftp.withdraw(id, HASH, [BOB])).toEqual([{ recipient: BOB, outcome: 'left' }]);
    expect((await lstat(join(bobInbox, `${id}.medseal`))).isSymbolicLink()).toBe(true);
    expect((await readFile(target)).equals(content)).toBe(true);
  });

  it('in an inbox others may change (not sticky) nothing is provably ours: our copy is left', async () => {
    const { file, id, bobInbox } = await prepared();
    await sftp.deliver(file, 'package', id, [BOB]);
    await chmod(bobInbox, 0o777);
    try {
      expect(await sftp.withdraw(id, HASH, [BOB])).toEqual([{ recipient: BOB, outcome: 'left' }]);
      expect(await readdir(bobInbox)).toContain(`${id}.medseal`);
    } finally {
      await chmod(bobInbox, 0o1733);
    }
  });

  it('a package the recipient already archived is reported picked up, and nothing is touched', async () => {
    const { file, id, bobInbox } = await prepared();
    await sftp.deliver(file, 'package', id, [BOB, CAROL]);
    const item = (await sftp.waiting(BOB)).find((entry) => entry.id === `${id}.medseal`)!;
    expect(await sftp.archive(BOB, item)).toBe(true);
    expect(await sftp.withdraw(id, HASH, [BOB, CAROL])).toEqual([
      { recipient: BOB, outcome: 'picked-up' },
      { recipient: CAROL, outcome: 'withdrawn' },
    ]);
    expect(await readdir(join(bobInbox, 'archive'))).toContain(`${id}.medseal`);
  });
  it("an archive another account made first in an inbox is not used, and what it holds is not 'picked up' (security review of issue 28)", async () => {
    const { file, id, bobInbox } = await prepared();
    await sftp.deliver(file, 'package', id, [BOB]);
    await rm(join(bobInbox, 'archive'), { recursive: true, force: true }); // as before Bob's first archive
    await mkdir(join(bobInbox, 'archive'), { mode: 0o755 });
    await chown(join(bobInbox, 'archive'), OTHER_UID, OTHER_UID); // made by another account first
    await copyFile(join(bobInbox, `${id}.medseal`), join(bobInbox, 'archive', `${id}.medseal`));
    const item = (await sftp.waiting(BOB)).find((entry) => entry.id === `${id}.medseal`)!;
    await expect(sftp.archive(BOB, item)).rejects.toMatchObject({ code: 'EXCHANGE_FOLDER_UNSAFE' });
    expect(await sftp.withdraw(id, HASH, [BOB])).toEqual([{ recipient: BOB, outcome: 'withdrawn' }]);
  });
});
