/**
 * The app under a policy with `orgRecoveryKey`: the sender is told before
 * sealing that the organisation can open the package in an emergency
 * (session.status), every package carries the key, and the recipient's
 * preview names it: as "your organisation" when the recipient's policy
 * names the same key, as the sender's organisation otherwise.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { emergencyOpenPackage } from '../../main/services/emergency-access.js';
import { startEmergencyLog } from '../../main/org-recovery/emergency-log.js';
import { emergencyAccessText } from '../../main/texts/protection-texts.js';
import { clinician, verifyEachOther } from '../helpers/clinicians.js';
import { custodiansAnswer, splitForTest } from '../helpers/custodians.js';
import { tempFolder } from '../helpers/temp-folder.js';

const withKey = (card: Uint8Array): PolicyState => ({
  state: 'ok',
  source: 'test policy',
  effective: { ...POLICY_DEFAULTS, orgRecoveryKey: Buffer.from(card).toString('base64') },
  managed: ['orgRecoveryKey'],
});

describe('emergency access in the app', () => {
  it('the sender is told, the package carries the key, each recipient sees whose it is; the custodians open it', async () => {
    const work = await tempFolder();
    const key = await splitForTest(work, 3, 2, 'General Hospital');
    const policy = withKey(key.card.bytes);
    const alice = await clinician(work, 'Alice Adams', 'alice@general.example', 'General Hospital', policy);
    const colleague = await clinician(work, 'Cara Cole', 'cara@general.example', 'General Hospital', policy);
    const partner = await clinician(work, 'Bob Brown', 'bob@clinic.example', 'Clinic');
    await verifyEachOther(alice, colleague);
    await verifyEachOther(alice, partner);

    const status = await alice.call('session.status');
    expect(status.policy.emergencyAccess).toEqual({
      organisation: 'General Hospital',
      email: 'privacy-office@hospital.example',
      fingerprint: fingerprintHex(key.card.fingerprint),
      ours: true,
    });
    expect(emergencyAccessText(status.policy.emergencyAccess)).toMatch(
      /^Your organisation can open this package in an emergency/,
    );
    expect((await partner.call('session.status')).policy.emergencyAccess).toBeNull();

    await writeFile(join(work, 'letter.txt'), 'synthetic referral');
    const file = await alice.call('files.registerDropped', { path: join(work, 'letter.txt') });
    const recipients = (await alice.call('contacts.list')).map(
      (contact: { fingerprint: string }) => contact.fingerprint,
    );
    alice.host.answers.save.push(join(work, 'p.medseal'));
    const { jobId } = await alice.call('seal.start', {
      files: [file.token],
      recipients,
      note: '',
      confirmUnverified: false,
    });
    expect(await alice.host.next('job.finished', (event) => event.jobId === jobId)).toMatchObject({ ok: true });

    const ours = await colleague.call('open.preview', {
      token: (await colleague.call('files.registerDropped', { path: join(work, 'p.medseal') })).token,
    });
    expect(ours.emergencyAccess).toMatchObject({ organisation: 'General Hospital', ours: true });
    const theirs = await partner.call('open.preview', {
      token: (await partner.call('files.registerDropped', { path: join(work, 'p.medseal') })).token,
    });
    expect(theirs.emergencyAccess).toMatchObject({ organisation: 'General Hospital', ours: false });
    expect(emergencyAccessText(theirs.emergencyAccess)).toMatch(
      /^The sender's MedSeal added an emergency recovery key of General Hospital/,
    );
    expect(theirs.recipientCount).toBe(2); // the recipients; the key is named apart from them

    const out = await tempFolder('medseal-it-out-');
    await startEmergencyLog(work, key.card, key.firstRecord);
    const opened = await emergencyOpenPackage(
      {
        shares: [key.files[1]!, key.files[2]!],
        passphraseFor: custodiansAnswer,
        reason: 'drill 2026-11',
        operator: 'it',
        logFolder: work,
      },
      join(work, 'p.medseal'),
      out,
    );
    expect(opened.paths).toHaveLength(1);
  });
});
