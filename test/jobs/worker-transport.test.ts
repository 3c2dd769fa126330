/**
 * Exchanges in a worker thread (jobs/worker-transport.ts with the bundled
 * transport-worker.cjs), as the app runs them: every call and its progress
 * cross the thread boundary, and an error keeps its code, category and
 * words (a changed host key stays a changed host key).
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseSftpAddress } from '../../main/exchange/sftp/sftp-address.js';
import { KeptWorkerTransports, WorkerTransport } from '../../main/jobs/worker-transport.js';
import { spawnSync } from 'node:child_process';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder, writeSample } from '../helpers/temp-folder.js';

const WORKER = join(process.cwd(), 'dist', 'workers', 'transport-worker.cjs');
const BOB = 'b'.repeat(64);
const unavailable = sshdUnavailable();

describe.skipIf(unavailable !== null)('an SFTP exchange in a worker thread', () => {
  let server: SshdServer;
  beforeAll(async () => {
    if (!existsSync(WORKER))
      throw new Error('dist/workers/transport-worker.cjs is missing: run "npm run build" first (npm test does).');
    server = await startSshd();
  });
  afterAll(async () => server?.dispose());

  const config = async (hostKey = server.hostKeyFingerprint) => ({
    kind: 'sftp' as const,
    name: 'partner',
    address: parseSftpAddress(server.url),
    hostKey,
    privateKey: await readFile(server.clientKeyFile, 'utf8'),
  });

  it('announces, delivers with progress, lists, downloads and archives', async () => {
    const folder = await tempFolder();
    const content = await writeSample(join(folder, 'p.medseal'), 5 * 1024 * 1024 + 3, 21);
    const transport = new WorkerTransport(WORKER, await config());
    try {
      await transport.announce(BOB, Buffer.from('announced'));
      const found = (await transport.announcement(BOB))!;
      expect(Buffer.from(found.bytes).toString()).toBe('announced');
      expect(found.ownerUid).toBe(await transport.claimInbox(BOB)); // the inbox is this account's
      expect(await transport.binding(false)).toBe(`sftp:${server.hostKeyFingerprint}`);
      const progress: number[] = [];
      const [report] = await transport.deliver(join(folder, 'p.medseal'), 'package', 'c1'.repeat(16), [BOB], (sent) =>
        progress.push(sent),
      );
      expect(report).toMatchObject({ recipient: BOB, resumedFrom: 0 });
      expect(progress.at(-1)).toBe(content.length);
      const item = (await transport.waiting(BOB)).find((entry) => entry.id === `${'c1'.repeat(16)}.medseal`)!;
      const fetched = await transport.fetch(BOB, item, join(folder, 'downloads'));
      expect((await readFile(fetched.path)).equals(content)).toBe(true);
      await fetched.release();
      expect(await readdir(join(folder, 'downloads'))).toEqual([]);
      expect(await transport.archive(BOB, item, null)).toBe(true);
    } finally {
      await transport.close();
    }
  });

  it('withdraws across the thread boundary, through the pool the app uses: our copy goes, a second time nothing is found', async () => {
    const folder = await tempFolder();
    await writeSample(join(folder, 'w.medseal'), 70_000, 23);
    const pool = new KeptWorkerTransports(WORKER);
    const transport = pool.open(await config());
    try {
      await transport.announce(BOB, Buffer.from('announced'));
      await transport.deliver(join(folder, 'w.medseal'), 'package', 'c2'.repeat(16), [BOB]);
      expect(await transport.withdraw('c2'.repeat(16), 'c2'.repeat(32), [BOB])).toEqual([
        { recipient: BOB, outcome: 'withdrawn' },
      ]);
      expect((await transport.waiting(BOB)).filter((item) => item.id.startsWith('c2'))).toEqual([]);
      expect(await transport.withdraw('c2'.repeat(16), 'c2'.repeat(32), [BOB])).toEqual([
        { recipient: BOB, outcome: 'not-found' },
      ]);
    } finally {
      await pool.closeAll();
    }
  });

  it('the app keeps one worker and one SSH connection per exchange across polls, until closeAll (on lock)', async () => {
    const pool = new KeptWorkerTransports(WORKER);
    const connections = () =>
      spawnSync('ss', ['-tnH', 'state', 'established', `( dport = :${server.port} )`], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')
        .filter(Boolean).length;
    const before = connections();
    for (let poll = 0; poll < 3; poll++) {
      const transport = pool.open(await config());
      await transport.announce(BOB, Buffer.from('announced'));
      await transport.waiting(BOB);
      await transport.close(); // the services close after each use: kept
    }
    expect(connections() - before).toBe(1);
    const kept = pool.open(await config());
    await pool.closeAll();
    await expect(kept.waiting(BOB)).rejects.toMatchObject({ code: 'TRANSPORT_UNREACHABLE' });
    await vi.waitFor(() => expect(connections()).toBe(before));
    const fresh = pool.open(await config()); // after a lock, the next use starts afresh
    expect(await fresh.waiting(BOB)).toBeInstanceOf(Array);
    await pool.closeAll();
  });

  it('a changed host key comes back as HOST_KEY_CHANGED with both keys in its words', async () => {
    const transport = new WorkerTransport(WORKER, await config(`SHA256:${'D'.repeat(43)}`));
    try {
      const error = await transport.waiting(BOB).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'HOST_KEY_CHANGED', category: 'untrusted-party' });
      expect((error as Error).message).toContain(server.hostKeyFingerprint);
    } finally {
      await transport.close();
    }
    await expect(transport.waiting(BOB)).rejects.toMatchObject({ code: 'TRANSPORT_UNREACHABLE' }); // closed
  });
});
