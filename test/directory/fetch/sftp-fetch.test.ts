/**
 * A partner's directory file on an SFTP server: Debian's sshd on 127.0.0.1 (test/helpers/sshd.ts),
 * its host key pinned. The file is read whole and nothing on the server changes; a missing file,
 * a file over the limit and a link under the name are refused with their reasons; another host
 * key than the pinned one is HostKeyChanged before any login, and a key the server does not
 * accept is a refused login.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchDirectoryFile, type SftpLogin } from '../../../main/directory/fetch/directory-fetch.js';
import { DirectorySourceUnreachable } from '../../../main/directory/fetch/errors.js';
import { parseDirectorySourceAddress } from '../../../main/directory/fetch/source-address.js';
import { HostKeyChanged } from '../../../main/exchange/errors.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../../helpers/sshd.js';
import { tempFolder, writeSample } from '../../helpers/temp-folder.js';
import { scaled } from '../../helpers/time.js';

const LIMIT = 1024 * 1024;
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`SFTP directory fetch tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('fetching a directory file over SFTP (real sshd)', () => {
  let server: SshdServer;
  let login: SftpLogin;
  let published: string;

  beforeAll(async () => {
    server = await startSshd();
    login = { hostKey: server.hostKeyFingerprint, privateKey: await readFile(server.clientKeyFile) };
    published = join(server.root, 'directory');
    await mkdir(published, { recursive: true });
  });
  beforeEach(async () => server?.ensureRunning());
  afterAll(async () => server?.dispose());

  const fetchAt = (path: string, options: { login?: SftpLogin } = {}) =>
    fetchDirectoryFile(parseDirectorySourceAddress(`sftp://${server.user}@127.0.0.1:${server.port}${path}`), {
      maxBytes: LIMIT,
      sftpLogin: options.login ?? login,
      timeoutMs: scaled(30_000),
    });

  async function reasonOf(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => new Error('the fetch succeeded'),
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DirectorySourceUnreachable);
    expect((error as DirectorySourceUnreachable).userMessage).toContain(`127.0.0.1:${server.port}`);
    expect((error as DirectorySourceUnreachable).userMessage).not.toContain(published);
    return (error as DirectorySourceUnreachable).reason;
  }

  it('reads the file whole (up to the limit exactly) and changes nothing on the server', async () => {
    const content = await writeSample(join(published, 'city.medseal-directory'), LIMIT, 3);
    const before = await readdir(server.root, { recursive: true });
    expect((await fetchAt(join(published, 'city.medseal-directory'))).equals(content)).toBe(true);
    expect(await readdir(server.root, { recursive: true })).toEqual(before);
  });

  it('says when there is no file at the path', async () => {
    expect(await reasonOf(fetchAt(join(published, 'missing.medseal-directory')))).toBe('not-found');
  });

  it('refuses a file over the limit', async () => {
    await writeSample(join(published, 'large.medseal-directory'), LIMIT + 1, 4);
    expect(await reasonOf(fetchAt(join(published, 'large.medseal-directory')))).toBe('too-large');
  });

  it('does not follow a link under the name', async () => {
    await writeSample(join(published, 'elsewhere'), 100, 5);
    await symlink(join(published, 'elsewhere'), join(published, 'linked.medseal-directory'));
    expect(await reasonOf(fetchAt(join(published, 'linked.medseal-directory')))).toBe('not-a-file');
    expect(await reasonOf(fetchAt(published))).toBe('not-a-file'); // a folder
  });

  it('refuses a server whose host key is not the pinned one, before logging in', async () => {
    await writeSample(join(published, 'pinned.medseal-directory'), 100, 6);
    const other = { ...login, hostKey: `SHA256:${'A'.repeat(43)}` };
    await expect(fetchAt(join(published, 'pinned.medseal-directory'), { login: other })).rejects.toBeInstanceOf(
      HostKeyChanged,
    );
  });

  it('says when the server refuses the login key', async () => {
    const folder = await tempFolder();
    const key = join(folder, 'stranger');
    expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', key]).status).toBe(0);
    await writeSample(join(published, 'login.medseal-directory'), 100, 7);
    const stranger = { ...login, privateKey: await readFile(key) };
    expect(await reasonOf(fetchAt(join(published, 'login.medseal-directory'), { login: stranger }))).toBe(
      'login-refused',
    );
  });
});
