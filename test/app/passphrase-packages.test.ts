/**
 * Passphrase packages in the app core (main/app/passphrase-handlers.ts,
 * passphrase-open-work.ts), through the dispatcher as the window calls it:
 * Alice seals one package for her contact Bob and for Sam, who has no
 * MedSeal; the six words come back once, in the answer to 'seal.start', and
 * nowhere else (not in any other answer or event, a notification, the
 * trace-level log, the audit log or any other profile file). Bob opens it as
 * a contact; Sam opens it in a fresh app without any identity, with the words,
 * and nothing is recorded there. Sam's details are checked as sealing checks
 * them, each refusal placed at its field; the policy can forbid it.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MedSealApp } from '../../main/app/medseal-app.js';
import { closeLogger, createLogger } from '../../main/logging/logger.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { clientFor } from '../helpers/app-client.js';
import { clinician, newApp, PASS, verifyEachOther } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const SAM = { name: 'Dr Sam Smith', email: 'Sam@Partner.example', phone: '+41 44 123 45 67' };
const LETTER = 'Referral letter (synthetic test data, no real patient)';

/** Every IPC answer an app gave, by channel, to search for what must be in one only. */
function recording(app: MedSealApp) {
  const answers: { channel: string; answer: unknown }[] = [];
  const recorded: MedSealApp = {
    ...app,
    dispatch: async (channel, sender, payload) => {
      const answer = await app.dispatch(channel, sender, payload);
      answers.push({ channel, answer });
      return answer;
    },
  };
  return { answers, ...clientFor(recorded) };
}

async function everyFile(folder: string): Promise<{ path: string; bytes: Buffer }[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => ({
        path: join(entry.parentPath, entry.name),
        bytes: await readFile(join(entry.parentPath, entry.name)),
      })),
  );
}

async function setting(options: { policy?: Parameters<typeof clinician>[4] } = {}) {
  const work = await tempFolder();
  const logger = createLogger(join(work, 'alice'), 'trace');
  const alice = await clinician(work, 'alice', 'alice@general.example', 'General Hospital', options.policy, {
    workers: true,
    logger,
  });
  const bob = await clinician(work, 'bob', 'bob@clinic.example');
  await verifyEachOther(alice, bob);
  await writeFile(join(work, 'letter.txt'), LETTER);
  const [bobContact] = await alice.call('contacts.list');
  const letter = await alice.call('files.registerDropped', { path: join(work, 'letter.txt') });
  return { work, logger, alice: { ...alice, ...recording(alice.app) }, bob, bobContact, letter };
}

describe('passphrase packages in the app', () => {
  it(
    'seals for a contact and a partner without MedSeal at once; the words cross once; both open it, the partner with no profile',
    async () => {
      const { work, logger, alice, bob, bobContact, letter } = await setting();
      alice.host.answers.save.push(join(work, 'referral.medseal'));
      const sealed = await alice.call('seal.start', {
        files: [letter.token],
        recipients: [bobContact.fingerprint],
        note: 'Please see Friday',
        confirmUnverified: false,
        passphraseRecipient: SAM,
      });
      const words: string = sealed.passphrase;
      expect(words.split(' ')).toHaveLength(6);
      expect(await alice.host.next('job.finished', (event) => event.jobId === sealed.jobId)).toMatchObject({
        ok: true,
      });
      const delivery = await alice.call('seal.deliver', { jobId: sealed.jobId });
      expect(delivery.keptIn).toBe(join(work, 'referral.medseal')); // saved where she chose: "Show in folder" works

      // Activity: the passphrase package names Sam as Alice typed him (tidied), never the words.
      const [sent] = await alice.call('history.recent', { limit: 5 });
      expect(sent.passphraseRecipient).toEqual({
        name: 'Dr Sam Smith',
        email: 'sam@partner.example',
        phone: '+41 44 123 45 67',
      });

      // Bob opens it as a contact.
      bob.host.answers.package.push(join(work, 'referral.medseal'));
      const picked = await bob.call('files.pickPackage');
      await bob.call('open.preview', { token: picked.token });
      bob.host.answers.folder.push(await tempFolder());
      const bobsJob = await bob.call('open.start', { token: picked.token, confirmUntrusted: false });
      expect(await bob.host.next('job.finished', (event) => event.jobId === bobsJob.jobId)).toMatchObject({ ok: true });

      // Sam opens it in a fresh app: no identity, nothing unlocked.
      const sam = await newApp(work, 'sam', undefined, { workers: true });
      sam.host.answers.package.push(join(work, 'referral.medseal'));
      const samsFile = await sam.call('passphrase.pickPackage');
      const preview = await sam.call('passphrase.preview', { token: samsFile.token, words: words.toUpperCase() });
      expect(preview).toMatchObject({
        sender: { name: 'alice', organisation: 'General Hospital', email: 'alice@general.example' },
        passphraseRecipient: { name: 'Dr Sam Smith', email: 'sam@partner.example' },
        files: [{ name: 'letter.txt', size: LETTER.length }],
        note: 'Please see Friday',
      });
      const samsFolder = await tempFolder();
      sam.host.answers.folder.push(samsFolder);
      const samsJob = await sam.call('passphrase.open', { token: samsFile.token });
      expect(await sam.host.next('job.finished', (event) => event.jobId === samsJob.jobId)).toMatchObject({
        ok: true,
        fileCount: 1,
      });
      expect(await readFile(join(samsFolder, 'letter.txt'), 'utf8')).toBe(LETTER);
      await sam.call('passphrase.reveal', { jobId: samsJob.jobId });
      expect(sam.host.revealed).toEqual([join(samsFolder, 'letter.txt')]);
      // Nothing recorded: still no identity, and no file at all in Sam's profile folder.
      expect((await sam.call('session.status')).state).toBe('no-identity');
      expect(await everyFile(join(work, 'sam'))).toEqual([]);

      // The words: in the answer to 'seal.start' only.
      await closeLogger(logger);
      const files = await everyFile(join(work, 'alice'));
      expect(files.some((file) => file.path.endsWith(join('logs', 'medseal.log')) && file.bytes.length > 0)).toBe(true);
      for (const file of files) expect(file.bytes.includes(words), file.path).toBe(false);
      const carrying = alice.answers.filter((entry) => JSON.stringify(entry.answer).includes(words));
      expect(carrying.map((entry) => entry.channel)).toEqual(['seal.start']);
      expect(JSON.stringify(alice.host.events)).not.toContain(words);
      expect(JSON.stringify(alice.host.notifications)).not.toContain(words);
      const audit = alice.app.session.profiles.requireUnlocked().audit.verify();
      expect(audit.ok).toBe(true);
      expect(JSON.stringify(alice.app.session.profiles.requireUnlocked().history.list())).not.toContain(words);
    },
    scaled(120_000),
  );

  it(
    'says what is wrong with the words or the package, and opens from a locked app without touching its profile',
    async () => {
      const { work, alice, bobContact, letter } = await setting();
      alice.host.answers.save.push(join(work, 'p.medseal'));
      const sealed = await alice.call('seal.start', {
        files: [letter.token],
        recipients: [],
        note: '',
        confirmUnverified: false,
        passphraseRecipient: { name: 'Sam Smith', email: 'sam@partner.example' },
      });
      await alice.host.next('job.finished', (event) => event.jobId === sealed.jobId);
      alice.host.answers.save.push(join(work, 'contact-only.medseal'));
      const forBob = await alice.call('seal.start', {
        files: [letter.token],
        recipients: [bobContact.fingerprint],
        note: '',
        confirmUnverified: false,
      });
      expect(forBob.passphrase).toBeNull();
      await alice.host.next('job.finished', (event) => event.jobId === forBob.jobId);
      const before = alice.app.session.profiles.requireUnlocked().history.list().length;

      alice.app.session.lock('user');
      const words: string[] = sealed.passphrase.split(' ');
      alice.host.answers.package.push(join(work, 'p.medseal'), join(work, 'contact-only.medseal'));
      const { token } = await alice.call('passphrase.pickPackage');
      const preview = (typed: string) => alice.attempt('passphrase.preview', { token, words: typed });
      const wrongWord = [...words.slice(0, 3), 'zzzz', ...words.slice(4)].join(' ');
      expect(await preview(wrongWord)).toMatchObject({
        ok: false,
        error: { code: 'PACKAGE_PASSPHRASE_INVALID', message: expect.stringContaining('Word 4') },
      });
      const otherWords = [...words.slice(1), words[0]].join(' ');
      expect(await preview(otherWords)).toMatchObject({ ok: false, error: { code: 'PACKAGE_PASSPHRASE_WRONG' } });
      // No preview, no saving.
      expect(await alice.attempt('passphrase.open', { token })).toMatchObject({
        ok: false,
        error: { code: 'PREVIEW_REQUIRED' },
      });
      const contactOnly = await alice.call('passphrase.pickPackage');
      expect(
        await alice.attempt('passphrase.preview', { token: contactOnly.token, words: words.join(' ') }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_A_RECIPIENT' } });

      // A changed byte in the sealed part: damaged, nothing saved.
      const bytes = await readFile(join(work, 'p.medseal'));
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 40) ^ 1, bytes.length - 40);
      await writeFile(join(work, 'tampered.medseal'), bytes);
      alice.host.answers.package.push(join(work, 'tampered.medseal'));
      const tampered = await alice.call('passphrase.pickPackage');
      const folder = await tempFolder();
      const damaged = await alice.attempt('passphrase.preview', { token: tampered.token, words: words.join(' ') });
      if (damaged.ok) {
        alice.host.answers.folder.push(folder);
        const job = await alice.call('passphrase.open', { token: tampered.token });
        const finished = await alice.host.next('job.finished', (event) => event.jobId === job.jobId);
        expect(finished).toMatchObject({ ok: false, error: { category: 'damaged-package' } });
      } else expect(damaged.error.category).toBe('damaged-package');
      expect(await readdir(folder)).toEqual([]);

      // The right words open it while the app is locked; the locked profile records nothing.
      await alice.call('passphrase.preview', { token, words: words.join(' ') });
      alice.host.answers.folder.push(folder);
      const job = await alice.call('passphrase.open', { token });
      expect(await alice.host.next('job.finished', (event) => event.jobId === job.jobId)).toMatchObject({ ok: true });
      expect(await readFile(join(folder, 'letter.txt'), 'utf8')).toBe(LETTER);
      await alice.call('session.unlock', { passphrase: PASS, remember: false });
      expect(alice.app.session.profiles.requireUnlocked().history.list()).toHaveLength(before);
    },
    scaled(120_000),
  );

  it('"Save MedSeal Reader…" saves the installed page byte for byte, never over a file, and not when cancelled', async () => {
    const { work, alice } = await setting();
    const target = join(work, 'reader-copy.html');
    alice.host.answers.save.push(target);
    expect(await alice.call('reader.save', {})).toEqual({ saved: true });
    expect(alice.host.saveRequests.at(-1)).toEqual({ kind: 'reader', defaultName: 'medseal-reader.html' });
    expect(await readFile(target)).toEqual(await readFile(join(process.cwd(), 'app', 'dist', 'medseal-reader.html')));
    alice.host.answers.save.push(target); // the same name again: refused, the first copy stays
    await expect(alice.call('reader.save', {})).rejects.toMatchObject({ code: 'DESTINATION_EXISTS' });
    expect(await alice.call('reader.save', {})).toEqual({ saved: false }); // the dialog was closed
  });

  it('checks the partner as sealing will, each refusal at its field; the policy can forbid it', async () => {
    const { alice, bobContact } = await setting();
    const check = (typed: Partial<typeof SAM>, recipients: string[] = []) =>
      alice.call('seal.checkPassphraseRecipient', { ...SAM, ...typed, recipients });
    expect(await check({}, [bobContact.fingerprint])).toEqual({
      recipient: { name: 'Dr Sam Smith', email: 'sam@partner.example', phone: '+41 44 123 45 67' },
      problem: null,
    });
    for (const [typed, field] of [
      [{ name: '' }, 'name'],
      [{ email: 'sam at partner' }, 'email'],
      [{ phone: 'call me' }, 'phone'],
    ] as const) {
      const { problem } = await check(typed);
      expect(problem).toMatchObject({ field, code: 'INVALID_PACKAGE_REQUEST' });
      expect(problem.message).toMatch(/is not valid/);
    }

    const work = await tempFolder();
    const policy = (effective: Partial<typeof POLICY_DEFAULTS>) => ({
      state: 'ok' as const,
      source: 'test policy',
      effective: { ...POLICY_DEFAULTS, ...effective },
      managed: Object.keys(effective) as (keyof typeof POLICY_DEFAULTS)[],
    });
    const forbidden = await clinician(
      work,
      'carol',
      'carol@general.example',
      'General Hospital',
      policy({ passphrasePackages: 'forbidden' }),
    );
    expect((await forbidden.call('session.status')).policy.passphrasePackages).toBe('forbidden');
    const refused = await forbidden.call('seal.checkPassphraseRecipient', { ...SAM, recipients: [] });
    expect(refused.problem).toMatchObject({ field: 'recipients', code: 'PASSPHRASE_PACKAGES_FORBIDDEN' });
    const domains = await clinician(
      work,
      'dan',
      'dan@general.example',
      'General Hospital',
      policy({ allowedRecipientDomains: ['general.example'] }),
    );
    const outside = await domains.call('seal.checkPassphraseRecipient', { ...SAM, recipients: [] });
    expect(outside.problem).toMatchObject({ field: 'email', code: 'RECIPIENT_NOT_ALLOWED' });
  });
});
