/**
 * Security review, low 16 (in part): job threads got more keys than they
 * need. A seal job now receives only the signing key, an open job only the
 * encryption key (the identity's card aside), through the shared services.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import type { PackageJob, PackageJobs } from '../../main/services/package-runner.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { ReceiveService } from '../../main/services/receive.js';
import { SendService } from '../../main/services/send.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('the keys a job thread receives', () => {
  it('sealing: the signing key only; opening: the encryption keys only', async () => {
    await loadSodium();
    const work = await tempFolder();
    const seen: PackageJob[] = [];
    const inner = new InProcessPackageJobs();
    const recording: PackageJobs = { run: (job, hooks) => (seen.push(job), inner.run(job, hooks)) };
    const person = async (name: string, email: string) => {
      const session = new ProfileSession(new ProfileFolder(join(work, name)), PolicyGate.none(), KDF_FLOOR);
      await session.create({ name, organisation: 'Test Hospital', email }, 'correct horse battery staple');
      return session;
    };
    const [alice, bob] = [await person('Alice', 'alice@general.example'), await person('Bob', 'bob@clinic.example')];
    await alice.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
    await writeFile(join(work, 'a.txt'), 'referral');
    const send = new SendService(alice, recording);
    const prepared = await send.prepare({
      files: [{ path: join(work, 'a.txt') }],
      recipients: ['bob@clinic.example'],
      note: '',
      confirmUnverified: true,
    });
    await send.start(prepared, join(work, 'p.medseal')).done;
    const receive = new ReceiveService(bob, recording);
    await mkdir(join(work, 'out'));
    await (
      await receive.start(await receive.preview(join(work, 'p.medseal')), join(work, 'out'), { confirmUntrusted: true })
    ).done;

    expect(seen.map((job) => [job.kind, Object.keys(job).filter((key) => key.endsWith('SecretKey'))])).toEqual([
      ['seal', ['signingSecretKey']],
      ['open', ['encryptionSecretKey', 'pqSecretKey']],
    ]);
    alice.close();
    bob.close();
  });
});
