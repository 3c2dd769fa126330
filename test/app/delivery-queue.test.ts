/**
 * The delivery queue in the app core: a package whose exchange is away is
 * queued, told once ("will be tried again", never "send it another way"),
 * shown in Activity as "queued" with its next try, and delivered by the
 * app's own poll as soon as the exchange works again, after which Activity
 * is told and shows "delivered".
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { clinician } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

describe('the delivery queue in the app', () => {
  it(
    'queues while the shared folder is away, shows "queued" in Activity, and delivers once the poll finds it back',
    async () => {
      const work = await tempFolder();
      const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
      const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
      const shared = join(work, 'share');
      await mkdir(shared);
      for (const party of [alice, bob]) {
        party.host.answers.exchange.push(shared);
        await party.call('exchange.addFolder');
      }
      const { contact } = await alice.call('contacts.importText', {
        text: (await bob.call('identity.myCard')).armored,
      });
      await vi.waitFor(async () => expect((await alice.call('exchange.list'))[0]!.status.state).toBe('connected'), {
        timeout: scaled(15_000),
      }); // the first poll is done

      await writeFile(join(work, 'letter.txt'), 'synthetic letter');
      const file = await alice.call('files.registerDropped', { path: join(work, 'letter.txt') });
      alice.host.answers.save.push(join(work, 'out.medseal'));
      const { jobId } = await alice.call('seal.start', {
        files: [file.token],
        recipients: [contact.fingerprint],
        note: '',
        confirmUnverified: true,
      });
      await alice.host.next('job.finished', (event) => event.jobId === jobId);

      await rename(shared, `${shared}.away`); // the share is not mounted
      const answer = await alice.call('seal.deliver', { jobId });
      expect(answer).toMatchObject({
        delivered: [],
        unreached: [], // not "send it another way"
        problems: [], // the exchange's own failure is told by the queued notice alone
        queued: [{ name: 'Bob Brown', exchange: shared, nextTryAt: expect.stringMatching(/^\d{4}-/) }],
      });
      expect(answer.notices).toEqual([
        expect.stringMatching(/^Not delivered to Bob Brown yet: .* will be tried again automatically \(next try /),
      ]);
      const [queued] = await alice.call('history.recent', { limit: 1 });
      expect(queued!.deliveries).toMatchObject([
        { name: 'Bob Brown', status: 'queued', nextTryAt: answer.queued[0]!.nextTryAt, at: null },
      ]);

      await vi.waitFor(async () => expect((await alice.call('exchange.list'))[0]!.status.state).toBe('unreachable'), {
        timeout: scaled(20_000),
      }); // a poll while it is away
      await rename(`${shared}.away`, shared);
      // The next poll sees the exchange working again and delivers at once (not after the backoff).
      expect(await alice.host.next('delivery.queueChanged', (event) => event.delivered === 1, scaled(40_000))).toEqual({
        delivered: 1,
        queued: 0,
      });
      const [delivered] = await alice.call('history.recent', { limit: 1 });
      expect(delivered!.deliveries).toMatchObject([{ status: 'delivered', detail: shared, nextTryAt: null }]);
      expect(await bob.call('exchange.inbox')).toHaveLength(1); // delivered once
    },
    scaled(90_000),
  );
});
