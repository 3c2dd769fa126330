/**
 * Outside review 2, item 1 (high): the hot folder's outbox swapped after the
 * start-up check. Another account that can write the outbox's parent (a
 * department share) renamed the outbox and made its own: `watch` then sealed
 * that account's file with the clinician's identity, "verified", to any
 * contact. The outbox is now pinned (fs/pinned-folder.ts) with its parents:
 * an outbox another account could swap is refused at the start, and one
 * that changes later stops the hot folder, with an audit entry, before
 * anything is sealed. The hot folder also seals only for verified contacts
 * unless the policy allows others, and records that consent.
 */
import { chmod, chown, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { FolderChanged, FolderNotSafe } from '../../main/fs/pinned-folder.js';
import { safetyNumber } from '../../main/identity/fingerprint.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { DeliveryService } from '../../main/services/delivery/delivery.js';
import { DeliveryQueue } from '../../main/services/delivery/delivery-queue.js';
import { Exchanges } from '../../main/services/delivery/exchanges.js';
import { HotFolder, type HotFolderOutcome } from '../../main/services/hot-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { SendService } from '../../main/services/send.js';
import { createOtherUser, otherUserUnavailable, type OtherUser } from '../helpers/other-user.js';
import { person } from '../helpers/delivery-people.js';
import { scaled } from '../helpers/time.js';

const unavailable = otherUserUnavailable();

function hotFolder(outbox: string, session: ProfileSession) {
  const outcomes: HotFolderOutcome[] = [];
  const stops: Error[] = [];
  const hot = new HotFolder(
    outbox,
    session,
    new SendService(session, new InProcessPackageJobs()),
    new DeliveryQueue(session, new DeliveryService(session, new Exchanges(session))),
    (outcome) => outcomes.push(outcome),
    undefined,
    (error) => stops.push(error),
  );
  return { hot, outcomes, stops };
}

function allowUnverified(): PolicyGate {
  return new PolicyGate({
    state: 'ok',
    source: 'test',
    effective: { ...POLICY_DEFAULTS, hotFolderAllowUnverified: true },
    managed: ['hotFolderAllowUnverified'],
  });
}

describe('the hot folder pins its outbox', () => {
  let work: string;
  let alice: ProfileSession;
  let bob: ProfileSession;
  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-hot-')); // lives for the whole block
    [alice, bob] = [await person(work, 'Alice', 'alice@a.example'), await person(work, 'Bob', 'bob@b.example')];
    const bobCard = bob.requireUnlocked().identity.card;
    await alice.requireUnlocked().contacts.importCard(bobCard);
    await alice
      .requireUnlocked()
      .contacts.verify('bob@b.example', safetyNumber(alice.requireUnlocked().identity.card, bobCard));
  }, scaled(60_000));
  afterAll(async () => {
    alice?.close();
    bob?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('an outbox replaced after the start stops the hot folder: nothing is sealed, the change is audited', async () => {
    const outbox = join(work, 'outbox-1');
    await mkdir(join(outbox, 'bob@b.example'), { recursive: true, mode: 0o700 });
    await chmod(outbox, 0o700);
    const { hot, outcomes, stops } = hotFolder(outbox, alice);
    await hot.recover();
    // Someone swaps the outbox for a folder of their own, with a file in Bob's folder.
    await rename(outbox, `${outbox}-moved`);
    await mkdir(join(outbox, 'bob@b.example'), { recursive: true, mode: 0o700 });
    await chmod(outbox, 0o700);
    await writeFile(join(outbox, 'bob@b.example', 'order.txt'), 'please stop warfarin (synthetic)');
    await hot.dropped(join(outbox, 'bob@b.example', 'order.txt'));
    await hot.idle();
    expect(stops).toHaveLength(1);
    expect(stops[0]).toBeInstanceOf(FolderChanged);
    expect(outcomes).toEqual([expect.objectContaining({ ok: false, code: 'FOLDER_CHANGED' })]);
    expect(await readdir(join(outbox, 'bob@b.example'))).toEqual(['order.txt']); // not claimed, not sealed
    expect(
      alice
        .requireUnlocked()
        .history.list()
        .filter((item) => item.direction === 'sent'),
    ).toHaveLength(0);
    const audited = alice
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === 'folder.changed');
    expect(audited.map((entry) => entry.detail)).toEqual(['outbox:replaced']);
    // Nothing more is done until a restart, even for a file that looks fine.
    await hot.dropped(join(outbox, 'bob@b.example', 'order.txt'));
    expect(outcomes).toHaveLength(1);
  });

  it('a contact folder swapped for a link after the start stops the hot folder', async () => {
    const outbox = join(work, 'outbox-2');
    await mkdir(join(outbox, 'bob@b.example'), { recursive: true, mode: 0o700 });
    await chmod(outbox, 0o700);
    const { hot, stops } = hotFolder(outbox, alice);
    await hot.recover();
    await mkdir(join(work, 'elsewhere'), { mode: 0o700 });
    await writeFile(join(work, 'elsewhere', 'scan.pdf'), 'synthetic');
    await rename(join(outbox, 'bob@b.example'), join(work, 'bob-old'));
    await symlink(join(work, 'elsewhere'), join(outbox, 'bob@b.example'));
    await hot.dropped(join(outbox, 'bob@b.example', 'scan.pdf'));
    await hot.idle();
    expect(stops[0]).toBeInstanceOf(FolderChanged);
    expect(await readdir(join(work, 'elsewhere'))).toEqual(['scan.pdf']);
  });

  it('an unverified contact is refused by the hot folder unless the policy allows it, and then the consent is audited', async () => {
    const carol = await person(work, 'Carol', 'carol@c.example');
    try {
      await alice.requireUnlocked().contacts.importCard(carol.requireUnlocked().identity.card); // not verified
      const outbox = join(work, 'outbox-3');
      await mkdir(join(outbox, 'carol@c.example'), { recursive: true, mode: 0o700 });
      await chmod(outbox, 0o700);
      const { hot, outcomes } = hotFolder(outbox, alice);
      await hot.recover();
      await writeFile(join(outbox, 'carol@c.example', 'letter.txt'), 'synthetic');
      await hot.dropped(join(outbox, 'carol@c.example', 'letter.txt'));
      await hot.idle();
      expect(outcomes).toEqual([expect.objectContaining({ ok: false, code: 'RECIPIENT_UNVERIFIED' })]);

      const allowed = await person(work, 'Alice2', 'alice2@a.example', allowUnverified());
      try {
        await allowed.requireUnlocked().contacts.importCard(carol.requireUnlocked().identity.card);
        const outbox2 = join(work, 'outbox-4');
        await mkdir(join(outbox2, 'carol@c.example'), { recursive: true, mode: 0o700 });
        await chmod(outbox2, 0o700);
        const second = hotFolder(outbox2, allowed);
        await second.hot.recover();
        await writeFile(join(outbox2, 'carol@c.example', 'letter.txt'), 'synthetic');
        await second.hot.dropped(join(outbox2, 'carol@c.example', 'letter.txt'));
        await second.hot.idle();
        // Sealed (no exchange reaches Carol, so it waits in failed/ with its package), and the consent is on record.
        expect(second.outcomes).toEqual([expect.objectContaining({ ok: false, code: 'NOT_DELIVERED' })]);
        const consent = allowed
          .requireUnlocked()
          .audit.entries()
          .filter((entry) => entry.action === 'package.unverified-allowed');
        expect(consent).toEqual([expect.objectContaining({ detail: 'hot-folder' })]);
      } finally {
        allowed.close();
      }
    } finally {
      carol.close();
    }
  });

  describe.skipIf(unavailable !== null)('with a second Linux account', () => {
    let other: OtherUser;
    beforeAll(() => {
      other = createOtherUser();
    });
    afterAll(() => other?.remove());

    it('an outbox in a share another account can write is refused before anything (they could swap it)', async () => {
      const share = join(work, 'department');
      await mkdir(join(share, 'outbox', 'bob@b.example'), { recursive: true, mode: 0o700 });
      await chmod(join(share, 'outbox'), 0o700);
      await chown(share, 0, other.gid);
      await chmod(share, 0o770); // the team may write the share; no sticky bit
      await chmod(work, 0o711);
      const { hot } = hotFolder(join(share, 'outbox'), alice);
      await expect(hot.recover()).rejects.toThrow(FolderNotSafe);
      await expect(hot.recover()).rejects.toMatchObject({ problem: 'parent' });
    });

    it("the other account's swap of the outbox, once the share became writable for it, stops the hot folder", async () => {
      const share = join(work, 'department-2');
      const outbox = join(share, 'outbox');
      await mkdir(join(outbox, 'bob@b.example'), { recursive: true, mode: 0o700 });
      await chmod(outbox, 0o700);
      await chown(share, 0, other.gid);
      await chmod(share, 0o750);
      await chmod(work, 0o711);
      const { hot, outcomes, stops } = hotFolder(outbox, alice);
      await hot.recover(); // safe when it started
      await chmod(share, 0o770); // later, the share is opened to the team
      other.run(
        `mv '${outbox}' '${share}/moved' && mkdir -p '${outbox}/bob@b.example' && chmod 700 '${outbox}' && echo 'please stop warfarin (synthetic)' > '${outbox}/bob@b.example/order.txt'`,
      );
      await hot.dropped(join(outbox, 'bob@b.example', 'order.txt'));
      await hot.idle();
      expect(stops[0]).toBeInstanceOf(FolderChanged);
      expect(outcomes.every((outcome) => !outcome.ok)).toBe(true);
      expect(
        alice
          .requireUnlocked()
          .history.list()
          .filter((item) => item.direction === 'sent'),
      ).toHaveLength(0);
    });
  });
});
