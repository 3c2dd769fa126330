/**
 * The send service's rules for a partner without MedSeal (services/send.ts,
 * docs/FORMAT.md §2.13), before anything is drawn or sealed: the policy
 * `passphrasePackages: forbidden`, the allowed e-mail domains (the typed
 * address counts as a contact's would), what the sender typed (one line, an
 * address, a phone number), and every contact beside it needing an X-Wing
 * key. And what a prepared seal holds: the details tidied, six new words.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { SendService } from '../../main/services/send.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { fastIdentity } from '../helpers/identities.js';
import { person } from '../helpers/delivery-people.js';
import { scaled } from '../helpers/time.js';

let folder: string;
let alice: ProfileSession;
let letter: string;

const policy = (effective: Partial<typeof POLICY_DEFAULTS>) =>
  new PolicyGate({
    state: 'ok',
    source: 'test policy',
    effective: { ...POLICY_DEFAULTS, ...effective },
    managed: Object.keys(effective) as (keyof typeof POLICY_DEFAULTS)[],
  });

const others: ProfileSession[] = [];
/** Alice's send service, or (under `gate`) that of another sender whose machine has that policy. */
async function sendAs(gate?: PolicyGate): Promise<SendService> {
  let session = alice;
  if (gate)
    others.push(
      (session = await person(folder, `Sender ${others.length + 1}`, `sender${others.length + 1}@a.example`, gate)),
    );
  return new SendService(session, new InProcessPackageJobs());
}

const request = (
  passphraseRecipient: { name: string; email: string; phone?: string | null },
  recipients: string[] = [],
) => ({
  files: [{ path: letter }],
  recipients,
  note: '',
  confirmUnverified: true,
  passphraseRecipient,
});

beforeAll(async () => {
  await loadSodium();
  folder = await mkdtemp(join(tmpdir(), 'medseal-passphrase-send-'));
  alice = await person(folder, 'Alice', 'alice@a.example');
  letter = join(folder, 'letter.txt');
  await writeFile(letter, 'synthetic letter');
  await alice
    .requireUnlocked()
    .contacts.importCard((await fastIdentity('Classic Carol', undefined, { postQuantum: false })).card);
  await alice.requireUnlocked().contacts.importCard((await fastIdentity('Bob')).card);
}, scaled(60_000));

afterAll(async () => {
  for (const session of [alice, ...others]) session?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('preparing a package for a partner without MedSeal', () => {
  it('tidies what was typed and draws six words, different each time', async () => {
    const send = await sendAs();
    const first = await send.prepare(
      request({ name: ' Dr Sam Smith ', email: 'Sam@Partner.Example', phone: '' }, ['bob@example.org']),
    );
    const second = await send.prepare(request({ name: 'Dr Sam Smith', email: 'sam@partner.example' }));
    expect(first.passphraseRecipient).toEqual({ name: 'Dr Sam Smith', email: 'sam@partner.example', phone: null });
    expect(first.passphrase?.split(' ')).toHaveLength(6);
    expect(first.passphrase).not.toBe(second.passphrase);
    expect(first.recipients).toHaveLength(1);
    expect(second.recipients).toHaveLength(0);
  });

  it('is refused under passphrasePackages: forbidden', async () => {
    await expect(
      (await sendAs(policy({ passphrasePackages: 'forbidden' }))).prepare(
        request({ name: 'Sam', email: 'sam@partner.example' }),
      ),
    ).rejects.toMatchObject({
      code: 'PASSPHRASE_PACKAGES_FORBIDDEN',
      category: 'untrusted-party',
    });
  });

  it("is refused for an e-mail domain the policy does not allow, as a contact's would be", async () => {
    const send = await sendAs(policy({ allowedRecipientDomains: ['partner.example', 'a.example'] }));
    await expect(send.prepare(request({ name: 'Sam', email: 'sam@elsewhere.example' }))).rejects.toMatchObject({
      code: 'RECIPIENT_NOT_ALLOWED',
    });
    await expect(send.prepare(request({ name: 'Sam', email: 'sam@partner.example' }))).resolves.toBeDefined();
  });

  it('refuses details a person could misread, naming the field', async () => {
    for (const [details, field] of [
      [{ name: 'Sam\nSmith', email: 'sam@partner.example' }, 'name'],
      [{ name: 'Sam', email: 'not an address' }, 'email'],
      [{ name: 'Sam', email: 'sam@partner.example', phone: 'call me' }, 'phone'],
    ] as const)
      await expect((await sendAs()).prepare(request(details))).rejects.toMatchObject({
        code: 'INVALID_PACKAGE_REQUEST',
        variant: 'passphrase-recipient',
        params: { field },
      });
  });

  it('refuses a contact without a post-quantum key beside it, naming them', async () => {
    await expect(
      (await sendAs()).prepare(request({ name: 'Sam', email: 'sam@partner.example' }, ['classic.carol@example.org'])),
    ).rejects.toMatchObject({
      code: 'INVALID_PACKAGE_REQUEST',
      variant: 'passphrase-post-quantum-named',
      params: { who: expect.stringContaining('Classic Carol') },
    });
  });

  it('still needs someone: no contact and no partner is no recipient', async () => {
    await expect(
      (await sendAs()).prepare({ files: [{ path: letter }], recipients: [], note: '', confirmUnverified: true }),
    ).rejects.toMatchObject({
      code: 'INVALID_PACKAGE_REQUEST',
      variant: 'no-recipients',
    });
  });
});
