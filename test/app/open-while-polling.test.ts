/**
 * Opening a package from an SFTP inbox while the inbox is polled again and
 * again (issue 28, item 7: a 293 KB package once sat at "0 bytes" for over
 * 30 s while polls ran). With the app's own workers (package jobs and
 * exchanges in threads) and a real sshd: the open reports progress, finishes
 * with the exact bytes, and the polls running beside it all answer. The time
 * it took is printed; `npm run bench:loop` measures the whole loop.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { clinician, verifyEachOther } from '../helpers/clinicians.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`open-while-polling skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('opening from an SFTP inbox while it is polled', () => {
  let server: SshdServer;
  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => server?.dispose());

  it(
    'progresses and finishes with the exact bytes while three polls run beside it',
    async () => {
      const work = await tempFolder();
      const alice = await clinician(work, 'Alice Adams', 'alice@general.example', undefined, undefined, {
        workers: true,
      });
      const bob = await clinician(work, 'Bob Brown', 'bob@lab.example', undefined, undefined, { workers: true });
      await verifyEachOther(alice, bob);
      for (const party of [alice, bob]) {
        party.host.answers.sftpKey.push(server.clientKeyFile);
        await party.call('exchange.addSftp', { url: server.url, hostKey: server.hostKeyFingerprint });
        await party.call('exchange.inbox'); // announced
      }
      const content = randomBytes(293 * 1024);
      await writeFile(join(work, 'scan.bin'), content);
      const file = await alice.call('files.registerDropped', { path: join(work, 'scan.bin') });
      const [bobContact] = await alice.call('contacts.list');
      const sealed = await alice.call('seal.start', {
        files: [file.token],
        recipients: [bobContact.fingerprint],
        note: '',
        confirmUnverified: false,
      });
      await alice.host.next('job.finished', (event) => event.jobId === sealed.jobId);
      expect((await alice.call('seal.deliver', { jobId: sealed.jobId })).unreached).toEqual([]);

      const [waiting] = await bob.call('exchange.inbox');
      await bob.call('open.preview', { token: waiting.token });
      const out = await tempFolder();
      bob.host.answers.folder.push(out);
      let polling = true;
      let polls = 0;
      const poller = async () => {
        while (polling) {
          await bob.call('exchange.inbox');
          polls++;
        }
      };
      const pollers = [poller(), poller(), poller()];
      const started = Date.now();
      const { jobId } = await bob.call('open.start', { token: waiting.token, confirmUntrusted: false });
      const finished = await bob.host.next('job.finished', (event) => event.jobId === jobId, scaled(30_000));
      const took = Date.now() - started;
      polling = false;
      await Promise.all(pollers);
      expect(finished).toMatchObject({ ok: true, fileCount: 1 });
      const progress = bob.host.events.filter(
        (event) => event.name === 'job.progress' && (event.payload as { jobId: string }).jobId === jobId,
      );
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)!.payload).toMatchObject({ bytesDone: content.length, bytesTotal: content.length });
      expect((await readFile(join(out, 'scan.bin'))).equals(content)).toBe(true);
      expect(polls).toBeGreaterThan(0);
      console.log(`open while polling: 293 KB opened in ${took} ms beside ${polls} polls`);
    },
    scaled(90_000),
  );
});
