/**
 * The hot folder (services/hot-folder.ts) in-process, as `medseal watch`
 * drives it: a file dropped into OUTBOX/<contact>/ is sealed for that
 * contact, delivered to their inbox and moved to sent/<day>/ beside its
 * package; what cannot be sent goes to failed/<day>/ with the reason and
 * never over another file; after a crash every claim is finished exactly
 * once. (Swapped folders and the unverified-recipient policy are tested in
 * test/security/hot-folder-swap.test.ts.)
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex, safetyNumber } from '../../main/identity/fingerprint.js';
import { openPackage } from '../../main/package/open.js';
import {
  dropOf,
  FAILED_FOLDER,
  rootDropOf,
  HotFolder,
  SENT_FOLDER,
  WORK_FOLDER,
  type HotFolderOutcome,
} from '../../main/services/hot-folder.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { scaled } from '../helpers/time.js';

const NOW = new Date('2026-03-04T05:06:07.000Z');
const DAY = '2026-03-04';
let work: string;
let share: string;
let alice: ProfileSession, bob: ProfileSession, carol: ProfileSession;
let outboxes = 0;

beforeAll(async () => {
  await loadSodium();
  work = await mkdtemp(join(tmpdir(), 'medseal-hot-folder-')); // lives for the whole file
  [alice, bob, carol] = [
    await person(work, 'Alice', 'alice@a.example'),
    await person(work, 'Bob', 'bob@b.example'),
    await person(work, 'Carol', 'carol@c.example'),
  ];
  const me = alice.requireUnlocked();
  for (const other of [bob, carol]) {
    const card = other.requireUnlocked().identity.card;
    await me.contacts.importCard(card);
    await me.contacts.verify(card.profile.email, safetyNumber(me.identity.card, card));
  }
  share = join(work, 'share');
  await mkdir(share);
  await services(bob).exchanges.addFolder(share); // Bob reads an inbox there; Carol has none anywhere
  await services(alice).exchanges.addFolder(share);
}, scaled(60_000));

afterAll(async () => {
  for (const session of [alice, bob, carol]) session?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A new outbox with one folder per recipient given, and Alice's hot folder on it, recovered. */
async function hotFolder(...recipients: string[]) {
  const outbox = join(work, `outbox-${++outboxes}`);
  await mkdir(outbox, { mode: 0o700 });
  for (const to of recipients) await mkdir(join(outbox, to), { mode: 0o700 });
  const outcomes: HotFolderOutcome[] = [];
  const { send, queue } = services(alice, () => NOW);
  const hot = new HotFolder(
    outbox,
    alice,
    send,
    queue,
    (outcome) => outcomes.push(outcome),
    () => NOW,
  );
  const drop = async (to: string, name: string, content = `synthetic ${name}`) => {
    await writeFile(join(outbox, to, name), content);
    await hot.dropped(join(outbox, to, name));
  };
  return {
    outbox,
    hot,
    outcomes,
    drop,
    sent: join(outbox, SENT_FOLDER, DAY),
    failed: join(outbox, FAILED_FOLDER, DAY),
  };
}

const sentCount = () =>
  alice
    .requireUnlocked()
    .history.list()
    .filter((item) => item.direction === 'sent').length;

describe('the hot folder', () => {
  it('seals a dropped file for the contact its folder names, delivers it and moves it to sent/ beside its package', async () => {
    const { outbox, hot, outcomes, drop, sent } = await hotFolder('bob@b.example');
    await hot.recover();
    const before = sentCount();
    await drop('bob@b.example', 'scan.pdf', 'synthetic scan, no patient');

    expect(outcomes).toEqual([
      {
        ok: true,
        file: 'scan.pdf',
        to: 'bob@b.example',
        packageId: expect.stringMatching(/^[0-9a-f]{16}$/),
        delivered: 1,
      },
    ]);
    const id = (outcomes[0] as { packageId: string }).packageId;
    expect((await readdir(sent)).sort()).toEqual([`${id}-scan.pdf`, `${id}.medseal`]);
    expect(await readFile(join(sent, `${id}-scan.pdf`), 'utf8')).toBe('synthetic scan, no patient');
    expect(await readdir(join(outbox, 'bob@b.example'))).toEqual([]);
    expect(await readdir(join(outbox, WORK_FOLDER))).toEqual([]);
    expect(sentCount()).toBe(before + 1);

    const bobInbox = join(share, 'inboxes', fingerprintHex(bob.requireUnlocked().identity.card.fingerprint));
    const delivered = (await readdir(bobInbox)).filter((name) => name.endsWith('.medseal'));
    expect(delivered).toHaveLength(1);
    const opened = await openPackage(join(bobInbox, delivered[0]!), bob.requireUnlocked().identity);
    try {
      expect(opened.packageHash.startsWith(id)).toBe(true);
      expect(opened.metadata.files.map((file) => file.name)).toEqual(['scan.pdf']);
      expect(fingerprintHex(opened.metadata.sender.fingerprint)).toBe(
        fingerprintHex(alice.requireUnlocked().identity.card.fingerprint),
      );
    } finally {
      await opened.close();
    }
  });

  it('also takes a folder named by the first digits of the fingerprint', async () => {
    const prefix = fingerprintHex(bob.requireUnlocked().identity.card.fingerprint).slice(0, 16);
    const { hot, outcomes, drop } = await hotFolder(prefix);
    await hot.recover();
    await drop(prefix, 'letter.txt');
    expect(outcomes).toEqual([expect.objectContaining({ ok: true, to: prefix, delivered: 1 })]);
  });

  it('puts a file for nobody known in failed/ with the reason in plain words, never over an earlier one', async () => {
    const { hot, outcomes, drop, failed } = await hotFolder('nobody@x.example');
    await hot.recover();
    const before = sentCount();
    await drop('nobody@x.example', 'letter.txt', 'first');
    await drop('nobody@x.example', 'letter.txt', 'second');

    expect(outcomes.map((outcome) => [outcome.ok, outcome.file, outcome.ok ? '' : outcome.code])).toEqual([
      [false, 'letter.txt', 'CONTACT_NOT_FOUND'],
      [false, 'letter.txt', 'CONTACT_NOT_FOUND'],
    ]);
    expect((await readdir(failed)).sort()).toEqual([
      'letter.txt',
      'letter.txt (2)',
      'letter.txt (2).reason.txt',
      'letter.txt.reason.txt',
    ]);
    expect(await readFile(join(failed, 'letter.txt'), 'utf8')).toBe('first');
    expect(await readFile(join(failed, 'letter.txt (2)'), 'utf8')).toBe('second');
    expect(await readFile(join(failed, 'letter.txt.reason.txt'), 'utf8')).toMatch(/^CONTACT_NOT_FOUND: \S/);
    expect(sentCount()).toBe(before);
  });

  it('keeps the sealed package beside the file in failed/ when no exchange reaches the contact', async () => {
    const { hot, outcomes, drop, failed } = await hotFolder('carol@c.example');
    await hot.recover();
    await drop('carol@c.example', 'results.csv');
    expect(outcomes).toEqual([expect.objectContaining({ ok: false, code: 'NOT_DELIVERED' })]);
    expect((await readdir(failed)).sort()).toEqual(['results.csv', 'results.csv.medseal', 'results.csv.reason.txt']);
  });

  it('refuses a link dropped in without following it: the link goes to failed/, its target stays as it was', async () => {
    const { outbox, hot, outcomes, failed } = await hotFolder('bob@b.example');
    await hot.recover();
    const target = join(work, `private-${outboxes}.txt`);
    await writeFile(target, 'another record');
    await symlink(target, join(outbox, 'bob@b.example', 'record.txt'));
    const before = sentCount();
    await hot.dropped(join(outbox, 'bob@b.example', 'record.txt'));
    expect(outcomes).toEqual([expect.objectContaining({ ok: false, code: 'NOT_A_REGULAR_FILE' })]);
    expect((await readdir(failed)).sort()).toEqual(['record.txt', 'record.txt.reason.txt']);
    expect(await readFile(target, 'utf8')).toBe('another record');
    expect(sentCount()).toBe(before);
  });

  it('takes only files directly in a contact folder: not in its own folders, hidden files or deeper', async () => {
    const outbox = '/outbox';
    expect(dropOf(outbox, '/outbox/bob@b.example/scan.pdf')).toEqual({ to: 'bob@b.example', name: 'scan.pdf' });
    for (const path of [
      '/outbox/scan.pdf',
      '/outbox/sent/2026-03-04/x.pdf',
      `/outbox/${WORK_FOLDER}/1/x.pdf`,
      '/outbox/failed/x.pdf',
      '/outbox/.hidden/x.pdf',
      '/outbox/bob@b.example/.scan.pdf.part',
      '/outbox/bob@b.example/sub/x.pdf',
      '/elsewhere/bob@b.example/x.pdf',
    ])
      expect(dropOf(outbox, path), path).toBeNull();

    const { outbox: real, hot, outcomes } = await hotFolder('bob@b.example');
    await hot.recover();
    await writeFile(join(real, SENT_FOLDER, 'x.pdf'), 'not a drop');
    await hot.dropped(join(real, SENT_FOLDER, 'x.pdf'));
    expect(outcomes).toEqual([]);
    expect(await readdir(join(real, SENT_FOLDER))).toEqual(['x.pdf']);
  });

  it("puts a file dropped into the outbox itself (no contact's folder) in failed/ with the reason, never sealed", async () => {
    expect(rootDropOf('/outbox', '/outbox/scan.pdf')).toBe('scan.pdf');
    for (const path of ['/outbox/.scan.pdf.part', '/outbox/sent', '/outbox/bob@b.example/scan.pdf', '/elsewhere/x.pdf'])
      expect(rootDropOf('/outbox', path), path).toBeNull();
    const { outbox, hot, outcomes, failed } = await hotFolder('bob@b.example');
    await hot.recover();
    const before = sentCount();
    await writeFile(join(outbox, 'scan.pdf'), 'synthetic scan');
    await hot.dropped(join(outbox, 'scan.pdf'));
    expect(outcomes).toEqual([
      {
        ok: false,
        file: 'scan.pdf',
        to: '',
        code: 'NOT_IN_CONTACT_FOLDER',
        message: expect.stringMatching(/Put it in a contact's folder/),
      },
    ]);
    expect((await readdir(failed)).sort()).toEqual(['scan.pdf', 'scan.pdf.reason.txt']);
    expect(await readFile(join(failed, 'scan.pdf'), 'utf8')).toBe('synthetic scan');
    expect(await readFile(join(failed, 'scan.pdf.reason.txt'), 'utf8')).toMatch(
      /^NOT_IN_CONTACT_FOLDER: .*not in a contact's folder, so it was not sealed\. Put it in a contact's folder/,
    );
    expect((await readdir(outbox)).sort()).toEqual([WORK_FOLDER, 'bob@b.example', FAILED_FOLDER, SENT_FOLDER].sort());
    expect(sentCount()).toBe(before);
  });

  it('queues a package while the exchange is away, moves the file to sent/, and delivers it from the queue once it is back', async () => {
    const { hot, outcomes, drop, sent } = await hotFolder('bob@b.example');
    await hot.recover();
    await rename(share, `${share}.away`); // the share is not mounted
    try {
      await drop('bob@b.example', 'scan.pdf');
    } finally {
      await rename(`${share}.away`, share);
    }
    expect(outcomes).toEqual([
      {
        ok: true,
        file: 'scan.pdf',
        to: 'bob@b.example',
        packageId: expect.stringMatching(/^[0-9a-f]{16}$/),
        delivered: 0,
        queued: { nextTryAt: '2026-03-04T05:07:07.000Z', message: expect.stringMatching(/will be tried again/) },
      },
    ]);
    expect((outcomes[0] as { queued: { message: string } }).queued.message).not.toMatch(
      /Send the saved package another way/,
    );
    const id = (outcomes[0] as { packageId: string }).packageId;
    expect((await readdir(sent)).sort()).toEqual([`${id}-scan.pdf`, `${id}.medseal`]);

    await hot.retryQueued(true); // as `medseal watch` does at its start
    expect(outcomes[1]).toEqual({
      ok: true,
      retried: true,
      file: '',
      to: 'bob@b.example',
      packageId: id,
      delivered: 1,
    });
    const bobInbox = join(share, 'inboxes', fingerprintHex(bob.requireUnlocked().identity.card.fingerprint));
    expect((await readdir(bobInbox)).filter((name) => name.startsWith(id))).toHaveLength(1);
    await hot.retryQueued(true);
    expect(outcomes).toHaveLength(2); // nothing left to deliver, nothing told twice
  });

  it('after a crash, finishes every claim exactly once: delivers what was sealed, seals what was not', async () => {
    const { outbox, hot, outcomes, sent } = await hotFolder('bob@b.example');
    const claims = join(outbox, WORK_FOLDER);
    const claim = async (id: string, file?: string) => {
      await mkdir(join(claims, id), { recursive: true, mode: 0o700 });
      await writeFile(join(claims, id, 'recipient'), 'bob@b.example');
      if (file) await writeFile(join(claims, id, file), `synthetic ${file}`);
    };
    await mkdir(claims, { mode: 0o700 });
    await claim('1-sealed', 'a.txt'); // crashed after sealing, before delivering
    const { send } = services(alice);
    const prepared = await send.prepare({
      files: [{ path: join(claims, '1-sealed', 'a.txt'), name: 'a.txt' }],
      recipients: ['bob@b.example'],
      note: '',
      confirmUnverified: false,
    });
    const sealed = await send.start(prepared, join(claims, '1-sealed', 'package.medseal')).done;
    await claim('2-claimed', 'b.txt'); // crashed after the claim, before sealing
    await claim('3-empty'); // crashed before the file was moved in
    const before = sentCount();

    await hot.recover();
    expect(outcomes.map((outcome) => [outcome.ok, outcome.file])).toEqual([
      [true, 'a.txt'],
      [true, 'b.txt'],
    ]);
    expect(outcomes[0]).toMatchObject({ packageId: sealed.packageHash.slice(0, 16), delivered: 1 });
    expect(sentCount()).toBe(before + 1); // only b.txt was sealed now
    expect(await readdir(claims)).toEqual([]);
    const ids = outcomes.map((outcome) => (outcome as { packageId: string }).packageId);
    expect((await readdir(sent)).sort()).toEqual(
      [`${ids[0]}-a.txt`, `${ids[0]}.medseal`, `${ids[1]}-b.txt`, `${ids[1]}.medseal`].sort(),
    );
  });
});
