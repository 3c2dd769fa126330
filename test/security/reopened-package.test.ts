/**
 * Outside review 2, item 7: a package opened before and put back into an
 * inbox was listed and opened as new, and a second receipt went to its
 * sender. Now the header hash is looked up in the history: the preview says
 * when it was opened, saving again needs the reader's confirmation (CLI
 * --again, the app's "Save its files again"), and no second receipt goes.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { scaled } from '../helpers/time.js';

describe('a package opened before', () => {
  let work: string;
  let alice: ProfileSession, bob: ProfileSession;
  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-reopen-'));
    [alice, bob] = [await person(work, 'Alice', 'alice@a.example'), await person(work, 'Bob', 'bob@b.example')];
    await alice.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
    await bob.requireUnlocked().contacts.importCard(alice.requireUnlocked().identity.card);
    await writeFile(join(work, 'letter.txt'), 'synthetic referral');
  }, scaled(60_000));
  afterAll(async () => {
    alice?.close();
    bob?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const receiptsSent = (session: ProfileSession) =>
    session
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === 'receipt.sent').length;

  it('put back into the inbox: shown as opened before, not saved again without confirmation, and no second receipt', async () => {
    const share = join(work, 'share');
    await mkdir(share);
    const a = services(alice);
    const b = services(bob);
    await b.exchanges.addFolder(share);
    await a.exchanges.addFolder(share);
    const prepared = await a.send.prepare({
      files: [{ path: join(work, 'letter.txt') }],
      recipients: ['bob@b.example'],
      note: '',
      confirmUnverified: true,
    });
    const sealed = await a.send.start(prepared, join(work, 'referral.medseal')).done;
    await a.delivery.deliverPackage(join(work, 'referral.medseal'), sealed.packageHash, [
      fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
    ]);

    const first = (await b.inbox.list()).packages[0]!;
    expect(first.preview?.openedBefore).toBeNull();
    await mkdir(join(work, 'out-1'), { mode: 0o700 });
    const opened = await (await b.inbox.open(first.id, join(work, 'out-1'), { confirmUntrusted: true })).job.done;
    expect(opened.receipt).toBe('sent');
    expect(receiptsSent(bob)).toBe(1);

    // Someone puts the archived copy back into Bob's inbox.
    const inbox = join(share, 'inboxes', fingerprintHex(bob.requireUnlocked().identity.card.fingerprint));
    const [archived] = (await readdir(join(inbox, 'archive'))).filter((name) => name.endsWith('.medseal'));
    await copyFile(join(inbox, 'archive', archived!), join(inbox, archived!));
    const again = (await b.inbox.list()).packages[0]!;
    expect(again.preview?.openedBefore).toMatch(/^\d{4}-\d\d-\d\dT/);
    await mkdir(join(work, 'out-2'), { mode: 0o700 });
    await expect(b.inbox.open(again.id, join(work, 'out-2'), { confirmUntrusted: true })).rejects.toMatchObject({
      code: 'ALREADY_OPENED',
      category: 'conflict',
    });
    expect(await readdir(join(work, 'out-2'))).toEqual([]);
    expect(receiptsSent(bob)).toBe(1); // no refusal went to Alice either
    expect(
      bob
        .requireUnlocked()
        .audit.entries()
        .filter((entry) => entry.action === 'package.open-refused'),
    ).toEqual([]);

    const confirmed = await (
      await b.inbox.open(again.id, join(work, 'out-2'), { confirmUntrusted: true, openAgain: true })
    ).job.done;
    expect(confirmed.receipt).toBe('none');
    expect(await readdir(join(work, 'out-2'))).toEqual(['letter.txt']);
    expect(receiptsSent(bob)).toBe(1);
    expect(await readdir(join(bob.folder.path, 'outbox')).catch(() => [])).toEqual([]); // none queued either
  });

  it('a package file opened twice by hand likewise needs the confirmation', async () => {
    const a = services(alice);
    const b = services(bob);
    const prepared = await a.send.prepare({
      files: [{ path: join(work, 'letter.txt') }],
      recipients: ['bob@b.example'],
      note: 'second',
      confirmUnverified: true,
    });
    await a.send.start(prepared, join(work, 'by-hand.medseal')).done;
    await mkdir(join(work, 'out-3'), { mode: 0o700 });
    await (
      await b.receive.start(await b.receive.preview(join(work, 'by-hand.medseal')), join(work, 'out-3'), {
        confirmUntrusted: true,
      })
    ).done;
    const preview = await b.receive.preview(join(work, 'by-hand.medseal'));
    expect(preview.openedBefore).not.toBeNull();
    await mkdir(join(work, 'out-4'), { mode: 0o700 });
    await expect(b.receive.start(preview, join(work, 'out-4'), { confirmUntrusted: true })).rejects.toMatchObject({
      code: 'ALREADY_OPENED',
    });
    await (
      await b.receive.start(preview, join(work, 'out-4'), { confirmUntrusted: true, openAgain: true })
    ).done;
    expect(await readdir(join(work, 'out-4'))).toEqual(['letter.txt']);
  });
});
