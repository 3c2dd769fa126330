/**
 * The SFTP channel closing while the SSH connection stays up (OpenSSH's
 * sftp-server process died, or was killed by the server's admin): every
 * operation under way and every later one on that session must fail with
 * TransportUnreachable at once, and the next attempt must connect afresh.
 * ssh2 keeps requests sent on a closed channel forever, unanswered: this is
 * how a killed upload hung its delivery (and every later poll) for good.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TransportUnreachable } from '../../main/exchange/errors.js';
import { parseSftpAddress } from '../../main/exchange/sftp/sftp-address.js';
import { SftpTransport } from '../../main/exchange/sftp/sftp-transport.js';
import { SFTP_SERVER, sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder, writeSample } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const BOB = 'b'.repeat(64);
const ANNOUNCED = Buffer.from('an announcement');
const unavailable = sshdUnavailable() ?? (existsSync(SFTP_SERVER) ? null : `${SFTP_SERVER} is not installed`);
if (unavailable) console.warn(`SFTP channel tests skipped: ${unavailable}`);

/** The outcome of `work`, or 'hung' when it has not settled in `ms` (the bug this file is about). */
async function settledWithin<T>(work: Promise<T>, ms: number): Promise<T | unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([work.catch((error: unknown) => error), hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(unavailable !== null)('SFTP channel lost, connection up (real sshd, sftp-server as a process)', () => {
  let server: SshdServer;
  const transport = async () =>
    new SftpTransport('partner', {
      address: parseSftpAddress(`sftp://${server.user}@127.0.0.1:${server.port}${server.root}`),
      hostKey: server.hostKeyFingerprint,
      privateKey: await readFile(server.clientKeyFile),
    });

  beforeAll(async () => {
    server = await startSshd({ sftp: 'process' });
  });
  afterAll(async () => server?.dispose());

  it('a call on the dead channel fails at once, and the next one connects afresh', async () => {
    const sftp = await transport();
    try {
      await sftp.announce(BOB, ANNOUNCED);
      expect(await server.killSftpProcesses()).toBe(1);
      // Asked before ssh2 has seen the channel's end, the call fails (TransportUnreachable); asked
      // after it, the session is known lost and a new one answers. Never a hang.
      const first = await settledWithin(sftp.waiting(BOB), scaled(10_000));
      if (Array.isArray(first)) expect(first).toEqual([]);
      else expect(first).toBeInstanceOf(TransportUnreachable);
      expect(await sftp.waiting(BOB)).toEqual([]);
    } finally {
      await sftp.close();
    }
  });

  it(
    'killed mid-upload: the delivery fails instead of hanging, and the next attempt resumes',
    async () => {
      const folder = await tempFolder();
      const file = join(folder, 'big.medseal');
      const content = await writeSample(file, 64 * 1024 * 1024, 7);
      const id = 'a7'.repeat(16);
      const sftp = await transport();
      try {
        await sftp.announce(BOB, ANNOUNCED);
        let killing: Promise<number> | undefined;
        const first = await settledWithin(
          sftp.deliver(file, 'package', id, [BOB], (sent) => {
            if (killing === undefined && sent > 24 * 1024 * 1024) killing = server.killSftpProcesses();
          }),
          scaled(30_000),
        );
        expect(await killing).toBe(1);
        expect(first).toBeInstanceOf(TransportUnreachable);
        const inbox = join(server.root, 'inboxes', BOB);
        expect((await readdir(inbox)).filter((name) => name.includes(id))).toEqual([`.${id}.medseal.0.partial`]);
        const [report] = await sftp.deliver(file, 'package', id, [BOB]);
        expect(report!.resumedFrom).toBeGreaterThan(16 * 1024 * 1024);
        expect((await readdir(inbox)).filter((name) => name.includes(id))).toEqual([`${id}.medseal`]);
        expect((await readFile(join(inbox, `${id}.medseal`))).equals(content)).toBe(true);
      } finally {
        await sftp.close();
      }
    },
    scaled(90_000),
  );
});
