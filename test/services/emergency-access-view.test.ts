/**
 * Who else can open a package (services/emergency-access-view.ts), as the
 * preview, the send confirmation and the CLI show it: the recovery key's
 * organisation and address, and "ours" only for the very key the reader's
 * policy names, never for another key that merely bears the same name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { emergencyAccessView } from '../../main/services/emergency-access-view.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import type { ContactCard } from '../../main/identity/contact-card.js';
import { splitForTest } from '../helpers/custodians.js';
import { tempFolder } from '../helpers/temp-folder.js';

let ourKey: ContactCard;
let sameNameKey: ContactCard;
let partnerKey: ContactCard;

beforeAll(async () => {
  ourKey = (await splitForTest(await tempFolder('medseal-shares-'), 2, 2, 'General Hospital')).card;
  sameNameKey = (await splitForTest(await tempFolder('medseal-shares-'), 2, 2, 'General Hospital')).card;
  partnerKey = (await splitForTest(await tempFolder('medseal-shares-'), 2, 2, 'Partner Clinic')).card;
});

function policyNaming(card: ContactCard): PolicyGate {
  return new PolicyGate({
    state: 'ok',
    source: 'test',
    effective: { ...POLICY_DEFAULTS, orgRecoveryKey: Buffer.from(card.bytes).toString('base64') },
    managed: ['orgRecoveryKey'],
  });
}

describe('the emergency access view', () => {
  it('is nothing for a package without a recovery key', () => {
    expect(emergencyAccessView(null, policyNaming(ourKey))).toBeNull();
  });

  it("names the key's organisation, address and fingerprint; ours when the policy names this very key", () => {
    expect(emergencyAccessView(ourKey, policyNaming(ourKey))).toEqual({
      organisation: 'General Hospital',
      email: 'privacy-office@hospital.example',
      fingerprint: fingerprintHex(ourKey.fingerprint),
      ours: true,
    });
  });

  it("another organisation's key is not ours, nor is any key without a recovery key in the policy", () => {
    expect(emergencyAccessView(partnerKey, policyNaming(ourKey))).toMatchObject({
      organisation: 'Partner Clinic',
      ours: false,
    });
    expect(emergencyAccessView(ourKey, PolicyGate.none())).toMatchObject({ ours: false });
  });

  it('a key that only bears our organisation name is not ours', () => {
    const view = emergencyAccessView(sameNameKey, policyNaming(ourKey));
    expect(view).toMatchObject({ organisation: 'General Hospital', ours: false });
    expect(view!.fingerprint).toBe(fingerprintHex(sameNameKey.fingerprint));
  });
});
