/**
 * Clinicians running the app core (as the window reaches it, through the
 * dispatcher), each with a real profile at the keystore's KDF floor; every
 * app made here is closed after each test.
 */
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createMedSealApp, type MedSealApp } from '../../main/app/medseal-app.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { WorkerPackageJobs } from '../../main/jobs/worker-package-jobs.js';
import { KeptWorkerTransports } from '../../main/jobs/worker-transport.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { clientFor, TEST_ORIGIN } from './app-client.js';
import { FakeHost } from './fake-host.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import type { Logger } from '../../main/logging/logger.js';

export const PASS = 'correct horse battery staple';
const apps: MedSealApp[] = [];

afterEach(() => {
  for (const app of apps.splice(0)) app.close();
});

/**
 * `workers`: package jobs and exchanges in worker threads, as the desktop app runs them (needs the built
 * dist/workers); `logger`: the app's log (none by default).
 */
export async function newApp(
  work: string,
  name: string,
  policy?: PolicyState,
  options: { workers?: boolean; logger?: Logger } = {},
) {
  await loadSodium();
  const host = new FakeHost();
  const workers = join(process.cwd(), 'dist', 'workers');
  const app = createMedSealApp({
    kdf: KDF_FLOOR,
    folder: new ProfileFolder(join(work, name)),
    host,
    jobs: options.workers ? new WorkerPackageJobs(join(workers, 'package-worker.cjs')) : new InProcessPackageJobs(),
    transports: options.workers ? new KeptWorkerTransports(join(workers, 'transport-worker.cjs')) : undefined,
    origin: TEST_ORIGIN,
    policy,
    logger: options.logger,
    readerPage: join(process.cwd(), 'app', 'dist', 'medseal-reader.html'),
  });
  apps.push(app);
  return { app, host, ...clientFor(app) };
}

export async function clinician(
  work: string,
  name: string,
  email: string,
  organisation = 'Test Hospital',
  policy?: PolicyState,
  options: { workers?: boolean; logger?: Logger } = {},
) {
  const party = await newApp(work, name, policy, options);
  await party.call('identity.create', { name, organisation, role: 'Doctor', email, passphrase: PASS });
  return party;
}

export type Clinician = Awaited<ReturnType<typeof clinician>>;

/** `a` imports `b`'s card and marks it verified with the real safety number. */
export async function verifyEachOther(a: Clinician, b: Clinician) {
  for (const [me, them] of [
    [a, b],
    [b, a],
  ] as const) {
    const { contact } = await me.call('contacts.importText', { text: (await them.call('identity.myCard')).armored });
    const { safetyNumber } = await me.call('contacts.safetyNumber', { fingerprint: contact.fingerprint });
    await me.call('contacts.verify', { fingerprint: contact.fingerprint, safetyNumber });
  }
}
