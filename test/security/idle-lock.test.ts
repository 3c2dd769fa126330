/**
 * Security review, medium 7: background traffic kept the app unlocked.
 * Every call but session.status reset the idle timer, and the Receive
 * screen answers each inbox change with a call, so whoever can write to the
 * inbox kept an unattended workstation unlocked; each poll also minted new
 * file tokens without bound. Now only real input (session.activity, sent
 * by the preload for trusted input events) counts, and a file keeps its token.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clinician } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the idle lock', () => {
  it("is not held off by the window's own calls (inbox refreshes, lists), only by real input", async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    vi.useFakeTimers();
    await alice.call('settings.setAutoLock', { minutes: 2 });
    for (let minute = 0; minute < 3; minute++) {
      vi.advanceTimersByTime(50_000);
      if (alice.app.session.isUnlocked) {
        await alice.call('exchange.inbox');
        await alice.call('contacts.list');
        await alice.call('history.recent', { limit: 10 });
      }
    }
    expect(alice.host.events.at(-1)).toEqual({ name: 'session.locked', payload: { reason: 'idle' } });

    vi.useRealTimers();
    await alice.call('session.unlock', { passphrase: 'correct horse battery staple', remember: false });
    vi.useFakeTimers();
    for (let step = 0; step < 6; step++) {
      vi.advanceTimersByTime(50_000);
      await alice.call('session.activity');
    }
    expect(alice.app.session.isUnlocked).toBe(true); // 5 minutes of real input: still unlocked
  });

  it('a file listed again keeps its token: refreshing the inbox never mints tokens without bound', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    await mkdir(join(work, 'in'));
    await writeFile(join(work, 'in', 'p.medseal'), 'x');
    const first = await alice.call('files.registerDropped', { path: join(work, 'in', 'p.medseal') });
    const again = await alice.call('files.registerDropped', { path: join(work, 'in', 'p.medseal') });
    expect(again.token).toBe(first.token);
  });
});
