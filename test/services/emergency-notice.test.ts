/**
 * The notice after an emergency open (services/emergency-notice.ts), as
 * `medseal org recovery open --notify` sends it: the operator's audit log
 * records the use, and the package's sender and recipients get a small
 * package sealed by the recovery key, holding the signed record and naming
 * the package by its id, never its files; whoever no exchange reaches is
 * reported, not skipped in silence.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { openPackage } from '../../main/package/open.js';
import { readRecord } from '../../main/org-recovery/emergency-record.js';
import { startEmergencyLog } from '../../main/org-recovery/emergency-log.js';
import { emergencyOpenPackage } from '../../main/services/emergency-access.js';
import { sendEmergencyNotice } from '../../main/services/emergency-notice.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { custodiansAnswer, splitForTest, type SplitKey } from '../helpers/custodians.js';
import { person, services } from '../helpers/delivery-people.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

let work: string;
let share: string;
let key: SplitKey;
let operator: ProfileSession, sender: ProfileSession, bob: ProfileSession;

const fp = (session: ProfileSession) => fingerprintHex(session.requireUnlocked().identity.card.fingerprint);

beforeAll(async () => {
  await loadSodium();
  work = await mkdtemp(join(tmpdir(), 'medseal-notice-')); // lives for the whole file
  [operator, sender, bob] = [
    await person(work, 'Olivia IT', 'olivia@general.example'),
    await person(work, 'Carol', 'carol@general.example'),
    await person(work, 'Bob', 'bob@lab.example'),
  ];
  await mkdir(join(work, 'shares'));
  key = await splitForTest(join(work, 'shares'), 3, 2, 'General Hospital');
  share = join(work, 'share');
  await mkdir(share);
  for (const session of [bob, sender, operator]) await services(session).exchanges.addFolder(share);
  await operator.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card); // the sender is not her contact
  await sender.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
}, scaled(60_000));

afterAll(async () => {
  for (const session of [operator, sender, bob]) session?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A referral from Carol to Bob and to Dave (whom nobody here knows), opened by two custodians with --notify. */
async function openedWithNotice(by: ProfileSession = operator) {
  const folder = await tempFolder('medseal-notice-case-');
  const dave = await fastIdentity('Dave');
  const sample = await sealSample({
    folder,
    sender: sender.requireUnlocked().identity,
    recipients: [bob.requireUnlocked().identity.card, dave.card],
    sizes: [300],
    recoveryKey: key.card,
    name: 'referral',
  });
  await mkdir(join(folder, 'log'), { mode: 0o750 });
  await startEmergencyLog(join(folder, 'log'), key.card, key.firstRecord);
  await mkdir(join(folder, 'out'));
  const delivery = services(by).delivery;
  const opened = await emergencyOpenPackage(
    {
      shares: [key.files[0]!, key.files[1]!],
      passphraseFor: custodiansAnswer,
      reason: 'INC-4711 clinician on long-term leave',
      operator: 'it-admin@ws-17',
      logFolder: join(folder, 'log'),
      notify: (recoveryKey, record, metadata) => sendEmergencyNotice(by, delivery, recoveryKey, record, metadata),
    },
    sample.path,
    join(folder, 'out'),
  );
  return { opened, sample, dave: fingerprintHex(dave.card.fingerprint), folder };
}

/** The notices in `session`'s inbox on the share. */
async function noticesFor(session: ProfileSession): Promise<string[]> {
  const inbox = join(share, 'inboxes', fp(session));
  return (await readdir(inbox)).filter((name) => name.endsWith('.medseal')).map((name) => join(inbox, name));
}

describe('the emergency access notice', () => {
  it("records the use in the operator's audit log, naming the sender and every recipient", async () => {
    const { opened, dave } = await openedWithNotice();
    const used = operator
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === 'emergency-access.used');
    expect(used.at(-1)).toMatchObject({
      counterparts: [fp(sender), fp(bob), dave],
      detail: `package-opened:${opened.record.seq}`,
    });
    expect(operator.requireUnlocked().audit.verify().ok).toBe(true);
  });

  it("reaches the sender and recipients whose inbox the operator's exchanges hold, contacts or not, and reports the rest", async () => {
    const before = new Set(await noticesFor(sender));
    const { opened, dave } = await openedWithNotice();
    // Carol, the sender, is not the operator's contact: the card in her package finds her inbox.
    expect(opened.notice).toEqual({ notified: [fp(sender), fp(bob)], unreached: [dave] });
    expect((await noticesFor(sender)).filter((path) => !before.has(path))).toHaveLength(1);
  });

  it('sends the operator no notice of their own access (their audit log has it)', async () => {
    const before = new Set(await noticesFor(sender));
    const { opened, dave } = await openedWithNotice(sender); // Carol opens her own package as IT
    expect(opened.notice).toEqual({ notified: [fp(bob)], unreached: [dave] });
    expect((await noticesFor(sender)).filter((path) => !before.has(path))).toEqual([]);
    const used = sender
      .requireUnlocked()
      .audit.entries()
      .filter((entry) => entry.action === 'emergency-access.used');
    expect(used.at(-1)).toMatchObject({ counterparts: [fp(sender), fp(bob), dave] });
  });

  it('is sealed by the recovery key, holds the signed record and names the package by its id, never its files', async () => {
    const before = new Set(await noticesFor(bob));
    const { opened, sample } = await openedWithNotice();
    const arrived = (await noticesFor(bob)).filter((path) => !before.has(path));
    expect(arrived).toHaveLength(1);
    const notice = await openPackage(arrived[0]!, bob.requireUnlocked().identity);
    try {
      expect(fingerprintHex(notice.metadata.sender.fingerprint)).toBe(fingerprintHex(key.card.fingerprint));
      expect(notice.metadata.note).toMatch(/^Emergency access notice from General Hospital\./);
      expect(notice.metadata.note).toContain(`package id ${opened.record.subject.slice(0, 16)}`);
      expect(notice.metadata.note).toContain('Reason given: INC-4711 clinician on long-term leave');
      for (const name of sample.names) expect(notice.metadata.note).not.toContain(name);
      expect(notice.metadata.files.map((file) => file.name)).toEqual(['emergency-access-record.json']);
      const out = await tempFolder('medseal-notice-out-');
      const { paths } = await notice.extractTo(out);
      const line = (await readFile(paths[0]!, 'utf8')).trim();
      const checked = readRecord(line, key.card);
      expect(checked).toMatchObject({ ok: true, body: { seq: opened.record.seq, action: 'package-opened' } });
    } finally {
      await notice.close();
    }
  });

  it('leaves no work files in the operator profile', async () => {
    await openedWithNotice();
    expect((await readdir(operator.folder.path)).filter((name) => name.startsWith('.medseal-notice-'))).toEqual([]);
  });
});
