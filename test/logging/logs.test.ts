/** The app's log files: written, private, structured — and free of patient information and secrets. */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMedSealApp, type MedSealApp } from '../../main/app/medseal-app.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { closeLogger, createLogger } from '../../main/logging/logger.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { FakeHost } from '../helpers/fake-host.js';
import { clientFor, TEST_ORIGIN } from '../helpers/app-client.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
const SECRETS = ['Zebulon', 'Quibblesworth', 'MRN-48151623', 'urgent cardiology', PASS];
const apps: MedSealApp[] = [];
afterEach(() => apps.splice(0).forEach((app) => app.close()));
beforeAll(async () => {
  await loadSodium();
});

async function party(work: string, name: string, email: string) {
  const folder = join(work, name);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const host = new FakeHost();
  const app = createMedSealApp({
    kdf: KDF_FLOOR,
    folder: new ProfileFolder(folder),
    host,
    jobs: new InProcessPackageJobs(),
    origin: TEST_ORIGIN,
    logger: createLogger(folder),
  });
  apps.push(app);
  const { call } = clientFor(app);
  await call('identity.create', { name, organisation: 'Test', role: '', email, passphrase: PASS });
  return { host, call, logs: join(folder, 'logs') };
}

describe('logs', () => {
  it(
    'record the work in private JSON lines without patient names, notes, paths or the passphrase',
    async () => {
      const work = await tempFolder();
      const alice = await party(work, 'alice', 'alice@general.example');
      const bob = await party(work, 'bob', 'bob@clinic.example');
      const { contact } = await alice.call('contacts.importText', {
        text: (await bob.call('identity.myCard')).armored,
      });
      await bob.call('contacts.importText', { text: (await alice.call('identity.myCard')).armored });
      const input = join(work, 'Zebulon Quibblesworth MRN-48151623.pdf');
      await writeFile(input, 'synthetic');
      const file = await alice.call('files.registerDropped', { path: input });
      alice.host.answers.save.push(join(work, 'Zebulon-package.medseal'));
      const { jobId } = await alice.call('seal.start', {
        files: [file.token],
        recipients: [contact.fingerprint],
        note: 'urgent cardiology for Zebulon',
        confirmUnverified: true,
      });
      await alice.host.next('job.finished', (event) => event.jobId === jobId);
      const pkg = await bob.call('files.registerDropped', { path: join(work, 'Zebulon-package.medseal') });
      await bob.call('open.preview', { token: pkg.token });
      await mkdir(join(work, 'Quibblesworth-out'));
      bob.host.answers.folder.push(join(work, 'Quibblesworth-out'));
      const opening = await bob.call('open.start', { token: pkg.token, confirmUntrusted: true });
      await bob.host.next('job.finished', (event) => event.jobId === opening.jobId);
      await alice.call('session.lock');
      await expect(
        alice.call('session.unlock', { passphrase: 'a wrong passphrase', remember: false }),
      ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });

      for (const logs of [alice.logs, bob.logs]) {
        const text = await vi.waitFor(async () => {
          const content = (
            await Promise.all((await readdir(logs)).map((name) => readFile(join(logs, name), 'utf8')))
          ).join('');
          expect(content).toContain('"msg":"job finished"');
          return content;
        });
        for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
        for (const secret of SECRETS) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
        expect(text).not.toContain(work);
        if (process.platform !== 'win32') {
          expect((await stat(logs)).mode & 0o777).toBe(0o700);
          expect((await stat(join(logs, 'medseal.log'))).mode & 0o777).toBe(0o600);
        }
      }
    },
    scaled(60_000),
  );
});

describe('closing the log', () => {
  it('writes out every line written before, and closes the file (the app does it when it quits)', async () => {
    const folder = await tempFolder();
    const logger = createLogger(folder);
    for (let line = 0; line < 200; line++) logger.info({ line }, 'a line before quitting');
    await closeLogger(logger);
    const text = await readFile(join(folder, 'logs', 'medseal.log'), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(200);
    await closeLogger(logger); // a second close is harmless
  });
});
