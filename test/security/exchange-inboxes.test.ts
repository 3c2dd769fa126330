/**
 * Outside review 2, items 2, 3 and 10: inboxes on shared folders.
 * - 2: another account made `inboxes/<your fingerprint>/` first (mode 1777):
 *   MedSeal announced into it without a word, and the squatter took the
 *   deliveries. Now an inbox must belong to the account that announces it,
 *   and senders compare the folder's owner with the signed announcement.
 * - 3: an announcement copied to another exchange (or left for ever) made
 *   senders report "Delivered" where the recipient never looks. Now it names
 *   its exchange and expires, and a delivery to someone who never answered
 *   through that exchange says so.
 * - 10: MedSeal's own inbox is made with the documented mode (1733) through
 *   its descriptor, whatever the umask.
 */
import { chmod, chown, copyFile, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { ExchangeFolder } from '../../main/exchange/exchange-folder.js';
import { checkAnnouncement, createAnnouncement } from '../../main/exchange/inbox-announcement.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { announceSelf } from '../../main/services/delivery/announce.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { createOtherUser, otherUserUnavailable, type OtherUser } from '../helpers/other-user.js';
import { person, services } from '../helpers/delivery-people.js';
import { scaled } from '../helpers/time.js';

const DAY = 24 * 60 * 60 * 1000;

describe('inboxes on shared folders', () => {
  let work: string;
  let alice: ProfileSession, bob: ProfileSession;
  let bobFp: string;
  let sealed: { file: string; hash: string };
  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-inboxes-')); // lives for the whole block
    [alice, bob] = [await person(work, 'Alice', 'alice@a.example'), await person(work, 'Bob', 'bob@b.example')];
    await alice.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
    await bob.requireUnlocked().contacts.importCard(alice.requireUnlocked().identity.card);
    bobFp = fingerprintHex(bob.requireUnlocked().identity.card.fingerprint);
    await writeFile(join(work, 'letter.txt'), 'synthetic referral');
    const a = services(alice);
    const prepared = await a.send.prepare({
      files: [{ path: join(work, 'letter.txt') }],
      recipients: ['bob@b.example'],
      note: '',
      confirmUnverified: true,
    });
    const result = await a.send.start(prepared, join(work, 'referral.medseal')).done;
    sealed = { file: join(work, 'referral.medseal'), hash: result.packageHash };
  }, scaled(60_000));
  afterAll(async () => {
    alice?.close();
    bob?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function share(name: string): Promise<string> {
    const path = join(work, name);
    await mkdir(path);
    return path;
  }

  it('10: MedSeal makes its own inbox mode 1733 through its descriptor, whatever the umask', async () => {
    const root = await share('share-mode');
    const before = process.umask(0o077);
    try {
      await services(bob).exchanges.addFolder(root);
    } finally {
      process.umask(before);
    }
    expect((await lstat(join(root, 'inboxes', bobFp))).mode & 0o7777).toBe(0o1733);
    expect((await lstat(join(root, 'inboxes'))).mode & 0o1000).toBe(0o1000); // sticky: nobody renames another's inbox
  });

  it('3: an announcement copied from another exchange reaches nobody, and the sender is told why', async () => {
    const [shareA, shareB] = [await share('share-a'), await share('share-b')];
    await services(bob).exchanges.addFolder(shareA); // Bob uses A only
    const a = services(alice);
    await a.exchanges.addFolder(shareB); // Alice also uses B, where someone copies Bob's announcement
    await mkdir(join(shareB, 'inboxes', bobFp), { recursive: true });
    await copyFile(join(shareA, 'inboxes', bobFp, '.medseal-inbox'), join(shareB, 'inboxes', bobFp, '.medseal-inbox'));
    const outcome = await a.delivery.deliverPackage(sealed.file, sealed.hash, [bobFp]);
    expect(outcome.delivered.filter((entry) => entry.exchange === shareB)).toEqual([]);
    expect(outcome.notUsed).toEqual([{ recipient: bobFp, exchange: shareB, problem: 'other-exchange' }]);
    expect(await readdir(join(shareB, 'inboxes', bobFp))).toEqual(['.medseal-inbox']); // nothing was left there
    await a.exchanges.remove(shareB);
  });

  it('3: an expired announcement reaches nobody; its owner makes a new one well before it expires', async () => {
    const root = await share('share-expiry');
    const folder = new ExchangeFolder(root);
    const identity = bob.requireUnlocked().identity;
    const long = new Date(Date.now() - 31 * DAY);
    await folder.claimInbox(bobFp);
    await folder.announce(
      bobFp,
      createAnnouncement(identity, (await folder.binding(true))!, process.getuid?.() ?? null, long),
    );
    const check = async () =>
      checkAnnouncement(identity.card, await folder.announcement(bobFp), await folder.binding(false));
    expect(await check()).toEqual({ ok: false, problem: 'expired' });
    await announceSelf(folder, identity);
    expect(await check()).toMatchObject({ ok: true });
    // Twelve days old (18 left): made anew; one day old: left as it is.
    await folder.announce(
      bobFp,
      createAnnouncement(
        identity,
        (await folder.binding(false))!,
        process.getuid?.() ?? null,
        new Date(Date.now() - 12 * DAY),
      ),
    );
    await announceSelf(folder, identity);
    const renewed = await check();
    expect(renewed.ok && renewed.expires.getTime() > Date.now() + 29 * DAY).toBe(true);
  });

  it('3: a delivery to someone who never answered through that exchange says so, until a receipt comes back there', async () => {
    const root = await share('share-answer');
    const a = services(alice);
    const b = services(bob);
    await b.exchanges.addFolder(root);
    await a.exchanges.addFolder(root);
    const first = await a.delivery.deliverPackage(sealed.file, sealed.hash, [bobFp]);
    expect(first.delivered.filter((entry) => entry.exchange === root)).toEqual([
      expect.objectContaining({ answeredThere: false }),
    ]);
    const listed = await b.inbox.list();
    const waiting = listed.packages.find((entry) => entry.preview?.packageHash === sealed.hash);
    expect(waiting).toBeDefined();
    const out = join(work, 'bob-out');
    await mkdir(out, { mode: 0o700 });
    await (
      await b.inbox.open(waiting!.id, out, { confirmUntrusted: true })
    ).job.done;
    await a.inbox.list(); // Alice takes in Bob's receipt, which came through this exchange
    const again = await a.delivery.deliverPackage(sealed.file, sealed.hash, [bobFp]);
    expect(again.delivered.filter((entry) => entry.exchange === root)).toEqual([
      expect.objectContaining({ answeredThere: true }),
    ]);
    await a.exchanges.remove(root);
    await b.exchanges.remove(root);
  });

  describe.skipIf(otherUserUnavailable() !== null)('with a second Linux account', () => {
    let other: OtherUser;
    beforeAll(() => {
      other = createOtherUser();
    });
    afterAll(() => other?.remove());

    it("review R3: an inboxes folder another account made first is refused (its owner could move anyone's inbox away)", async () => {
      const root = await share('share-inboxes-squat');
      await chmod(root, 0o1777);
      await mkdir(join(root, 'inboxes'), { mode: 0o1777 });
      await chmod(join(root, 'inboxes'), 0o1777);
      await chown(join(root, 'inboxes'), other.uid, other.gid);
      await expect(services(bob).exchanges.addFolder(root)).rejects.toMatchObject({ code: 'EXCHANGE_NOT_PREPARED' });
      expect(await readdir(join(root, 'inboxes'))).toEqual([]);
    });

    it("review R4: an exchange id file another account made (copied from another exchange) is not the exchange's", async () => {
      const [shareA, shareB] = [await share('share-id-a'), await share('share-id-b')];
      const idA = await new ExchangeFolder(shareA).binding(true);
      await copyFile(join(shareA, '.medseal-exchange'), join(shareB, '.medseal-exchange'));
      await chown(join(shareB, '.medseal-exchange'), other.uid, other.gid);
      expect(idA).toMatch(/^folder:[0-9a-f]{32}$/);
      expect(await new ExchangeFolder(shareB).binding(false)).toBeNull();
    });
  });

  describe('things planted where MedSeal reads', () => {
    it('review R2: a FIFO in place of the id file or an announcement never hangs MedSeal', async () => {
      const root = await share('share-fifo');
      await services(bob).exchanges.addFolder(root);
      await rm(join(root, '.medseal-exchange'));
      spawnSync('mkfifo', [join(root, '.medseal-exchange')]);
      expect(await new ExchangeFolder(root).binding(false)).toBeNull(); // returns at once: not a plain file
      const inbox = join(root, 'inboxes', bobFp);
      await rm(join(inbox, '.medseal-inbox'));
      spawnSync('mkfifo', [join(inbox, '.medseal-inbox')]);
      expect(await new ExchangeFolder(root).announcement(bobFp)).toBeNull();
    });
  });

  describe.skipIf(otherUserUnavailable() !== null)('with a second Linux account (2)', () => {
    let other: OtherUser;
    beforeAll(() => {
      other = createOtherUser();
    });
    afterAll(() => other?.remove());

    it("2: an inbox another account made in Bob's name is never announced into, and senders do not deliver there", async () => {
      const root = await share('share-squat');
      await mkdir(join(root, 'inboxes', bobFp), { recursive: true, mode: 0o1777 });
      await chown(join(root, 'inboxes', bobFp), other.uid, other.gid); // the squatter's, made before Bob's MedSeal came
      await expect(services(bob).exchanges.addFolder(root)).rejects.toMatchObject({ code: 'INBOX_TAKEN' });
      expect(await readdir(join(root, 'inboxes', bobFp))).toEqual([]); // nothing announced into it
      // Even with a genuine announcement of Bob's copied in, the folder's owner gives the squatter away.
      const elsewhere = await share('share-squat-source');
      await services(bob).exchanges.addFolder(elsewhere);
      const genuine = new ExchangeFolder(elsewhere);
      const identity = bob.requireUnlocked().identity;
      await new ExchangeFolder(root).binding(true);
      const forged = createAnnouncement(
        identity,
        (await new ExchangeFolder(root).binding(false))!,
        process.getuid?.() ?? null,
      ); // Bob's, as if for this exchange
      await writeFile(join(root, 'inboxes', bobFp, '.medseal-inbox'), forged);
      const a = services(alice);
      await a.exchanges.addFolder(root);
      const outcome = await a.delivery.deliverPackage(sealed.file, sealed.hash, [bobFp]);
      expect(outcome.delivered.filter((entry) => entry.exchange === root)).toEqual([]);
      expect(outcome.notUsed).toContainEqual({ recipient: bobFp, exchange: root, problem: 'owner' });
      expect(await genuine.announcement(bobFp)).not.toBeNull();
      await a.exchanges.remove(root);
      await rm(join(root, 'inboxes', bobFp), { recursive: true });
    });
  });
});
