/**
 * The running app through its IPC dispatcher, exactly as the window (and the
 * renderer e2e tests) reach it: two clinicians exchange cards, verify, seal
 * and open; sender checks, malformed calls, locking, remembering.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { CHANNELS } from '../../main/ipc/contract.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
import { TEST_ORIGIN } from '../helpers/app-client.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { clinician, newApp, PASS } from '../helpers/clinicians.js';
import { notAnsweredThereText } from '../../main/texts/delivery-texts.js';
import { scaled } from '../helpers/time.js';

const ORIGIN = TEST_ORIGIN;

afterEach(() => {
  vi.useRealTimers();
});

beforeAll(async () => {
  await loadSodium();
});

/** Alice and Bob, Bob's card imported (unverified) by Alice, and a small file Alice has chosen. */
async function aliceWithFileForBob(work: string) {
  const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
  const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
  const { contact } = await alice.call('contacts.importText', { text: (await bob.call('identity.myCard')).armored });
  await writeFile(join(work, 'a.txt'), 'x');
  const file = await alice.call('files.registerDropped', { path: join(work, 'a.txt') });
  return { alice, bob, contact, file };
}

describe('the IPC boundary', () => {
  it('refuses unknown channels, other origins, sub-frames and malformed requests, on every channel, without crashing', async () => {
    const { attempt } = await newApp(await tempFolder(), 'p');
    expect(await attempt('fs.readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL' },
    });
    expect(await attempt('__proto__', {})).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    for (const channel of CHANNELS) {
      expect(await attempt(channel, {}, { url: 'https://evil.example/', isMainFrame: true })).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
      expect(await attempt(channel, {}, { url: `${ORIGIN}/index.html`, isMainFrame: false })).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
      expect(await attempt(channel, {}, { url: undefined, isMainFrame: true })).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
      for (const malformed of ['text', 42, [], { unexpected: true }, { passphrase: { $gt: '' } }]) {
        const result = await attempt(channel, malformed);
        expect(result.ok && channel !== 'session.status', `${channel} accepted ${JSON.stringify(malformed)}`).toBe(
          false,
        );
        if (!result.ok) expect(JSON.stringify(result.error)).not.toMatch(/at .*\.ts|Error:/);
      }
    }
  });

  it('calls that need the keys answer LOCKED before unlock', async () => {
    const { attempt } = await newApp(await tempFolder(), 'p');
    expect(await attempt('contacts.list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await attempt('history.recent', { limit: 5 })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });
});

describe('every channel with a valid request', () => {
  it('answers a value or a typed error, never an internal or validation error', async () => {
    const work = await tempFolder();
    const { alice, bob, contact, file } = await aliceWithFileForBob(work);
    const fp = contact.fingerprint;
    const valid: Record<string, unknown> = {
      'session.status': {},
      'session.unlock': { passphrase: PASS, remember: false },
      'session.unlockRemembered': {},
      'session.lock': {},
      'session.forgetDevice': {},
      'session.activity': {},
      'identity.create': { name: 'X', organisation: 'Y', role: '', email: 'x@y.example', passphrase: PASS },
      'identity.changePassphrase': { oldPassphrase: PASS, newPassphrase: PASS },
      'identity.myCard': {},
      'identity.saveMyCard': {},
      'identity.copyMyCard': {},
      'contacts.list': {},
      'contacts.importText': { text: (await bob.call('identity.myCard')).armored },
      'contacts.importFile': { token: file.token },
      'contacts.safetyNumber': { fingerprint: fp },
      'contacts.verify': { fingerprint: fp, safetyNumber: '0'.repeat(60) },
      'contacts.remove': { fingerprint: 'f'.repeat(64) },
      'contacts.rejectReplacement': { fingerprint: fp },
      'contacts.invite': { email: 'carol@heart.example' },
      'contacts.offers': {},
      'contacts.acceptOffer': { id: '0123456789abcdef' },
      'files.pickToSeal': {},
      'files.pickPackage': {},
      'files.pickCard': {},
      'files.registerDropped': { path: join(work, 'a.txt') },
      'seal.start': { files: [file.token], recipients: [fp], note: '', confirmUnverified: true },
      'open.preview': { token: file.token },
      'open.start': { token: file.token, confirmUntrusted: true },
      'seal.reveal': { jobId: 'none' },
      'open.reveal': { jobId: 'none' },
      'seal.startDrag': { jobId: 'none' },
      'seal.reachability': { recipients: [fp] },
      'seal.cautions': { recipients: [fp] },
      'open.saveReceipt': { token: file.token },
      'open.addSender': { token: file.token },
      'open.replyDraft': { token: file.token },
      'jobs.cancel': { jobId: 'none' },
      'history.recent': { limit: 10 },
      'history.search': { query: 'a', limit: 10 },
      'history.withdraw': { id: 1 },
      'history.thread': { id: 1 },
      'audit.verify': {},
      'audit.export': { format: 'csv' },
      'app.about': {},
      'exchange.addFolder': {},
      'exchange.inbox': {},
      'exchange.list': {},
      'exchange.inboxStatus': {},
      'exchange.checkSftp': { url: 'sftp://nobody@127.0.0.1:1/x' },
      'exchange.addSftp': { url: 'sftp://nobody@127.0.0.1:1/x', hostKey: `SHA256:${'A'.repeat(43)}` },
      'exchange.remove': { name: 'none' },
      'exchange.mailSetup': {},
      'exchange.addMail': {
        smtp: 'smtps://127.0.0.1:1',
        imap: 'imaps://127.0.0.1:1',
        password: 'not a real password',
        chooseCaFile: false,
      },
      'exchange.test': { name: 'no such exchange' },
      'seal.deliver': { jobId: 'none' },
      'seal.saveCopy': { jobId: 'none' },
      'exchange.sendsThrough': {},
      'settings.sentCopies': {},
      'settings.chooseSentCopyFolder': {},
      'settings.stopSentCopies': {},
      'settings.notifications': {},
      'settings.setNotifications': { enabled: false },
      'partners.list': {},
      'partners.refresh': {},
      'settings.setAutoLock': { minutes: 10 },
      'identity.recoveryKitStatus': {},
      'identity.makeRecoveryKit': {},
      'identity.recover': { code: 'abandon '.repeat(24), newPassphrase: PASS },
      'backup.save': {},
      'backup.pick': {},
      'backup.restore': { token: file.token, passphrase: PASS },
      'seal.checkPassphraseRecipient': { name: 'Sam Smith', email: 'sam@partner.example', recipients: [] },
      'passphrase.pickPackage': {},
      'passphrase.preview': { token: file.token, words: 'one two three four five six' },
      'passphrase.open': { token: file.token },
      'passphrase.discard': { token: file.token },
      'passphrase.reveal': { jobId: 'none' },
      'reader.save': {},
    };
    expect(Object.keys(valid).sort()).toEqual([...CHANNELS].sort()); // a new channel must be added here
    const order = [...CHANNELS].filter((channel) => !channel.startsWith('session.lock')).concat(['session.lock']);
    for (const channel of order) {
      const result = await alice.attempt(channel, valid[channel]);
      if (!result.ok)
        expect(
          ['INTERNAL', 'IPC_INVALID_REQUEST', 'IPC_FORBIDDEN_SENDER', 'IPC_UNKNOWN_CHANNEL'],
          `${channel}: ${result.error.code}`,
        ).not.toContain(result.error.code);
    }
  });
});

describe('two clinicians through the app', () => {
  it('create, exchange cards, verify, seal in a job, preview the sender first, open in a job, find it in the history', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
    expect(await alice.call('session.status')).toMatchObject({ state: 'unlocked', profile: { name: 'Alice Adams' } });

    const aliceCard = (await alice.call('identity.myCard')).armored;
    const bobCard = (await bob.call('identity.myCard')).armored;
    const { contact: bobContact } = await alice.call('contacts.importText', { text: bobCard });
    const { contact: aliceContact } = await bob.call('contacts.importText', { text: aliceCard });
    const { safetyNumber } = await alice.call('contacts.safetyNumber', { fingerprint: bobContact.fingerprint });
    expect((await bob.call('contacts.safetyNumber', { fingerprint: aliceContact.fingerprint })).safetyNumber).toBe(
      safetyNumber,
    );

    const input = join(work, 'Quibble_Z_MRN4417.txt');
    await writeFile(input, 'synthetic record');
    const file = await alice.call('files.registerDropped', { path: input });
    await expect(
      alice.call('seal.start', {
        files: [file.token],
        recipients: [bobContact.fingerprint],
        note: 'see note',
        confirmUnverified: false,
      }),
    ).rejects.toMatchObject({
      code: 'RECIPIENT_UNVERIFIED',
    });
    await alice.call('contacts.verify', { fingerprint: bobContact.fingerprint, safetyNumber });
    await bob.call('contacts.verify', { fingerprint: aliceContact.fingerprint, safetyNumber });

    alice.host.answers.save.push(join(work, 'referral.medseal'));
    const { jobId } = await alice.call('seal.start', {
      files: [file.token],
      recipients: [bobContact.fingerprint],
      note: 'see note',
      confirmUnverified: false,
    });
    expect(await alice.host.next('job.finished', (event) => event.jobId === jobId)).toMatchObject({
      ok: true,
      kind: 'seal',
      fileCount: 1,
    });
    expect(alice.host.saveRequests[0]!.defaultName).toMatch(/^medseal-package-\d{12}\.medseal$/);
    await alice.call('seal.reveal', { jobId });
    expect(alice.host.revealed).toEqual([join(work, 'referral.medseal')]);
    await alice.call('seal.startDrag', { jobId }); // into an e-mail: the file itself, by path from the job, never from the window
    expect(alice.host.dragged).toEqual([join(work, 'referral.medseal')]);
    await alice.call('identity.copyMyCard');
    expect(alice.host.clipboard[0]).toBe(aliceCard);

    const pkg = await bob.call('files.registerDropped', { path: join(work, 'referral.medseal') });
    const preview = await bob.call('open.preview', { token: pkg.token });
    expect(preview).toMatchObject({
      sender: { name: 'Alice Adams', trust: 'verified' },
      note: 'see note',
      files: [{ name: 'Quibble_Z_MRN4417.txt' }],
    });
    await mkdir(join(work, 'received'));
    bob.host.answers.folder.push(join(work, 'received'));
    const opening = await bob.call('open.start', { token: pkg.token, confirmUntrusted: false });
    expect(await bob.host.next('job.finished', (event) => event.jobId === opening.jobId)).toMatchObject({
      ok: true,
      kind: 'open',
      fileCount: 1,
    });
    expect(bob.host.events.some((event) => event.name === 'job.progress')).toBe(true);
    expect(await readFile(join(work, 'received', 'Quibble_Z_MRN4417.txt'), 'utf8')).toBe('synthetic record');
    // "Saved in received" with "Show in folder": the first file saved is shown in the file manager.
    expect(
      bob.host.events.find(
        (event) => event.name === 'job.finished' && (event.payload as { jobId: string }).jobId === opening.jobId,
      )?.payload,
    ).toMatchObject({ savedIn: 'received' });
    await bob.call('open.reveal', { jobId: opening.jobId });
    expect(bob.host.revealed).toEqual([join(work, 'received', 'Quibble_Z_MRN4417.txt')]);

    // opened from a file: a signed receipt can be saved for Alice; it verifies on her side
    expect(preview.receipt).toBe('on-request');
    bob.host.answers.save.push(join(work, 'receipt.medseal-receipt'));
    expect(await bob.call('open.saveReceipt', { token: pkg.token })).toEqual({ saved: true });
    expect(bob.host.saveRequests.at(-1)).toMatchObject({
      kind: 'receipt',
      defaultName: expect.stringMatching(/^receipt-\d{4}-\d{2}-\d{2}\.medseal-receipt$/),
    });
    const taken = await new Receipts(alice.app.session.profiles).takeIn(
      await readFile(join(work, 'receipt.medseal-receipt')),
    );
    expect(taken).toMatchObject({
      kind: 'receipt',
      alreadyTakenIn: false,
      body: { outcome: 'opened', recipient: bobContact.fingerprint },
    });
    expect((await alice.call('history.recent', { limit: 1 }))[0].deliveries).toMatchObject([
      { name: 'Bob Brown', status: 'opened' },
    ]);

    const history = await bob.call('history.search', { query: 'quibble', limit: 10 });
    expect(history).toMatchObject([{ direction: 'received', fileCount: 1 }]);
    expect((await alice.call('history.recent', { limit: 10 }))[0]).toMatchObject({ direction: 'sent' });
    expect(await bob.call('audit.verify')).toMatchObject({ ok: true });
  });

  it('an unknown sender needs an explicit confirmation before anything is saved', async () => {
    const work = await tempFolder();
    const { alice, bob, contact, file } = await aliceWithFileForBob(work);
    alice.host.answers.save.push(join(work, 'p.medseal'));
    const { jobId } = await alice.call('seal.start', {
      files: [file.token],
      recipients: [contact.fingerprint],
      note: '',
      confirmUnverified: true,
    });
    await alice.host.next('job.finished', (event) => event.jobId === jobId);
    const pkg = await bob.call('files.registerDropped', { path: join(work, 'p.medseal') });
    expect((await bob.call('open.preview', { token: pkg.token })).sender.trust).toBe('unknown');
    await expect(bob.call('open.start', { token: pkg.token, confirmUntrusted: false })).rejects.toMatchObject({
      code: 'UNTRUSTED_SENDER',
    });
    expect((await bob.call('open.preview', { token: pkg.token })).receipt).toBe('none'); // a stranger learns nothing
  });

  it('the profile folder itself can never be handed to the app as a file', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    for (const name of ['identity.keystore.json', 'medseal.db']) {
      await expect(
        alice.call('files.registerDropped', { path: join(work, 'Alice Adams', name) }),
      ).rejects.toMatchObject({ code: 'FILE_REFUSED' });
    }
    await expect(alice.call('files.registerDropped', { path: 'relative/path.pdf' })).rejects.toMatchObject({
      code: 'FILE_REFUSED',
    });
    await expect(alice.call('files.registerDropped', { path: work })).rejects.toMatchObject({ code: 'FILE_REFUSED' });
  });
});

describe('exchange folders', () => {
  it(
    "Alice delivers into Bob's inbox in a shared folder; Bob is told, opens it, and it moves to the archive; a damaged one stays",
    async () => {
      const work = await tempFolder();
      const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
      const bob = await clinician(work, 'Bob Brown', 'bob@clinic.example');
      const shared = join(work, 'share');
      await mkdir(shared);
      for (const party of [alice, bob]) {
        party.host.answers.exchange.push(shared);
        expect(await party.call('exchange.addFolder')).toEqual([shared]);
      }
      const { contact } = await alice.call('contacts.importText', {
        text: (await bob.call('identity.myCard')).armored,
      });
      await writeFile(join(work, 'letter.txt'), 'synthetic letter');
      const file = await alice.call('files.registerDropped', { path: join(work, 'letter.txt') });
      // Alice keeps a copy of what she sends, in a folder chosen once (issue 28, item 3).
      await mkdir(join(work, 'sent'));
      alice.host.answers.sentCopyFolder.push(join(work, 'sent'));
      expect(await alice.call('settings.chooseSentCopyFolder')).toEqual({ folder: join(work, 'sent'), managed: false });
      expect(await alice.call('exchange.sendsThrough')).toEqual({ sends: true });
      const { jobId } = await alice.call('seal.start', {
        files: [file.token],
        recipients: [contact.fingerprint],
        note: '',
        confirmUnverified: true,
      });
      await alice.host.next('job.finished', (event) => event.jobId === jobId);
      expect(alice.host.saveRequests).toEqual([]); // an exchange reaches Bob: no Save dialog
      const sent = await alice.call('seal.deliver', { jobId });
      expect(sent).toEqual({
        delivered: [{ name: 'Bob Brown', exchange: shared, kind: 'folder', location: expect.stringContaining(shared) }],
        unreached: [],
        problems: [],
        notices: [notAnsweredThereText('Bob Brown', shared)], // no receipt of Bob's came through this exchange yet
        keptIn: expect.stringMatching(/sent\/medseal-package-\d{12}\.medseal$/),
        canSave: false,
        queued: [],
      });
      const { dataFolder } = await alice.call('app.about');
      expect(await readdir(join(dataFolder, 'outgoing'))).toEqual([]); // delivered: the private copy is gone
      expect(await alice.call('seal.reachability', { recipients: [contact.fingerprint] })).toEqual({ unreached: [] });

      expect(await bob.host.next('exchange.inboxChanged', (event) => event.count === 1, 15_000)).toEqual({ count: 1 });
      const [arrived] = await bob.call('exchange.inbox');
      expect(arrived.name).toMatch(/^[0-9a-f]{32}\.medseal$/);
      // Each entry says who sent it, as Bob's contact book knows them, and how far they are trusted.
      expect(arrived).toMatchObject({
        sender: { name: 'Alice Adams', organisation: expect.any(String), trust: 'unknown' },
        problem: null,
      });
      await mkdir(join(work, 'bob-files'));
      bob.host.answers.folder.push(join(work, 'bob-files'));
      await bob.call('open.preview', { token: arrived.token });
      const opening = await bob.call('open.start', { token: arrived.token, confirmUntrusted: true });
      expect(await bob.host.next('job.finished', (event) => event.jobId === opening.jobId)).toMatchObject({ ok: true });
      await vi.waitFor(async () => expect(await bob.call('exchange.inbox')).toEqual([]));

      // a damaged package in the inbox is never moved or deleted
      const damaged = await readFile(sent.keptIn);
      damaged[damaged.length - 3]! ^= 1;
      const inbox = join(shared, 'inboxes', (await bob.call('identity.myCard')).profile.fingerprint);
      await writeFile(join(inbox, '20261129T000000-000000000000.medseal'), damaged);
      const [bad] = await bob.call('exchange.inbox');
      await mkdir(join(work, 'bob-files-2'));
      bob.host.answers.folder.push(join(work, 'bob-files-2'));
      await bob.call('open.preview', { token: bad.token });
      const failing = await bob.call('open.start', { token: bad.token, confirmUntrusted: true, openAgain: true }); // the same header as the package opened above
      expect(await bob.host.next('job.finished', (event) => event.jobId === failing.jobId)).toMatchObject({
        ok: false,
        error: { code: 'PACKAGE_TAMPERED' },
      });
      expect((await bob.call('exchange.inbox')).map((entry: { name: string }) => entry.name)).toEqual([
        '20261129T000000-000000000000.medseal',
      ]);
    },
    scaled(60_000),
  );
});

describe('files the OS asks the app to open', () => {
  it('are held while locked and delivered to the window after unlock; other files are ignored', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    await alice.call('session.lock');
    await writeFile(join(work, 'from-bob.medseal-contact'), 'card text');
    await writeFile(join(work, 'notes.txt'), 'x');
    await alice.app.openExternalFile(join(work, 'from-bob.medseal-contact'));
    await alice.app.openExternalFile(join(work, 'notes.txt'));
    expect(alice.host.events.some((event) => event.name === 'app.fileOpened')).toBe(false);
    await alice.call('session.unlock', { passphrase: PASS, remember: false });
    const opened = await alice.host.next('app.fileOpened');
    expect(opened).toMatchObject({ kind: 'card', file: { name: 'from-bob.medseal-contact' } });
    expect(alice.host.events.filter((event) => event.name === 'app.fileOpened')).toHaveLength(1);
  });
});

describe('keys in the running app', () => {
  it('locks after the idle time, wipes the session and tells the window', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    vi.useFakeTimers();
    await alice.call('settings.setAutoLock', { minutes: 2 });
    vi.advanceTimersByTime(119_000);
    expect((await alice.call('session.status')).state).toBe('unlocked');
    vi.advanceTimersByTime(2_000);
    expect(alice.host.events.at(-1)).toEqual({ name: 'session.locked', payload: { reason: 'idle' } });
    expect((await alice.call('session.status')).state).toBe('locked');
    await expect(alice.call('contacts.list')).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('a wrong passphrase is refused and audited; remember-on-device unlocks without it and can be forgotten', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    await alice.call('session.lock');
    await expect(
      alice.call('session.unlock', { passphrase: 'wrong passphrase!', remember: false }),
    ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await expect(alice.call('session.unlockRemembered')).rejects.toMatchObject({ code: 'NOTHING_REMEMBERED' });
    await alice.call('session.unlock', { passphrase: PASS, remember: true });
    expect((await alice.call('session.status')).remember).toEqual({ available: true, reason: null, enabled: true });
    await alice.call('session.lock');
    await alice.call('session.unlockRemembered');
    expect((await alice.call('session.status')).state).toBe('unlocked');
    await alice.call('session.forgetDevice');
    await alice.call('session.lock');
    await expect(alice.call('session.unlockRemembered')).rejects.toMatchObject({ code: 'NOTHING_REMEMBERED' });
    await alice.call('session.unlock', { passphrase: PASS, remember: false });
    const exported = await alice.call('audit.verify');
    expect(exported.ok).toBe(true);
  });

  it('remember-on-device is refused where the keychain is not secure (Linux basic_text), with the reason', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    alice.host.keychainAvailable = false;
    await alice.call('session.lock');
    const status = await alice.call('session.status');
    expect(status.remember).toMatchObject({ available: false, enabled: false });
    await expect(alice.call('session.unlock', { passphrase: PASS, remember: true })).rejects.toMatchObject({
      code: 'REMEMBER_UNAVAILABLE',
      message: expect.stringMatching(/basic_text/),
    });
    expect((await alice.call('session.status')).state).toBe('locked');
  });

  it('no answer ever carries secret key material', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example');
    const answers = [];
    for (const channel of ['session.status', 'identity.myCard', 'contacts.list', 'audit.verify'])
      answers.push(JSON.stringify(await alice.call(channel)));
    const keystore = JSON.parse(await readFile(join(work, 'Alice Adams', 'identity.keystore.json'), 'utf8'));
    const profile = alice.app.session.requireProfile();
    for (const secret of [profile.identity.signingSecretKey, profile.identity.encryptionSecretKey]) {
      for (const form of [Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')])
        expect(answers.join('')).not.toContain(form);
    }
    expect(answers.join('')).not.toContain(keystore.secrets.ciphertext);
  });
});
