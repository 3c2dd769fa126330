/**
 * Taking in receipts (services/delivery/receipts.ts): only a receipt for a
 * package we sent, from one of its recipients, signed by that recipient's
 * key, and not seen before, changes anything. Each attack below is refused
 * with its own reason, audited as refused, and records no status.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { InvalidReceipt, ReceiptRefused } from '../../main/package/errors.js';
import { createReceipt } from '../../main/package/receipt.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
import { recipientStatuses } from '../../main/services/delivery/recipient-status.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { SendService } from '../../main/services/send.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';

async function person(folder: string, name: string, email: string) {
  const session = new ProfileSession(new ProfileFolder(join(folder, name)), PolicyGate.none(), KDF_FLOOR);
  await session.create({ name, organisation: 'Test Org', email }, PASS);
  return session;
}

describe('receipts the sender takes in', () => {
  let alice: ProfileSession, bob: ProfileSession, carol: ProfileSession;
  let packageHash: string;
  let folder: string;

  beforeAll(async () => {
    await loadSodium();
    folder = await mkdtemp(join(tmpdir(), 'medseal-receipts-')); // lives for the whole block
    [alice, bob, carol] = [
      await person(folder, 'Alice', 'alice@a.example'),
      await person(folder, 'Bob', 'bob@b.example'),
      await person(folder, 'Carol', 'carol@c.example'),
    ];
    for (const other of [bob, carol])
      await alice.requireUnlocked().contacts.importCard(other.requireUnlocked().identity.card);
    await writeFile(join(folder, 'letter.txt'), 'synthetic');
    const send = new SendService(alice, new InProcessPackageJobs());
    const prepared = await send.prepare({
      files: [{ path: join(folder, 'letter.txt') }],
      recipients: ['bob@b.example'],
      note: '',
      confirmUnverified: true,
    });
    packageHash = (await send.start(prepared, join(folder, 'out.medseal')).done).packageHash;
  }, scaled(60_000));
  afterAll(async () => {
    for (const session of [alice, bob, carol]) session?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const receiptFrom = (who: ProfileSession, about = packageHash, outcome: 'opened' | 'refused' = 'opened') =>
    createReceipt(who.requireUnlocked().identity, alice.requireUnlocked().identity.card, {
      package: about,
      outcome,
      reason: outcome === 'refused' ? 'PACKAGE_TAMPERED' : null,
      at: new Date().toISOString(),
    });

  async function bobStatus() {
    const profile = alice.requireUnlocked();
    const sent = profile.history.recent(1);
    return (await recipientStatuses(profile, sent)).get(sent[0]!.id)![0]!.status;
  }

  it.each([
    ['about a package Alice never sent', () => receiptFrom(bob, 'ab'.repeat(32)), ReceiptRefused, 'unknown-package'],
    ['from Carol, who was not a recipient', () => receiptFrom(carol), ReceiptRefused, 'not-a-recipient'],
    ['cut short', () => receiptFrom(bob).subarray(0, 90), InvalidReceipt, null],
    [
      'addressed to someone else',
      () =>
        createReceipt(bob.requireUnlocked().identity, carol.requireUnlocked().identity.card, {
          package: packageHash,
          outcome: 'opened',
          reason: null,
          at: new Date().toISOString(),
        }),
      InvalidReceipt,
      null,
    ],
  ])('a receipt %s is refused; nothing recorded', async (_label, make, type, reason) => {
    const before = alice.requireUnlocked().audit.entries().length;
    const error = await new Receipts(alice).takeIn(make()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    if (reason) expect((error as ReceiptRefused).reason).toBe(reason);
    expect(await bobStatus()).toBe('sealed');
    const added = alice.requireUnlocked().audit.entries().slice(before);
    expect(added.map((entry) => entry.action)).toEqual(['receipt.refused']);
  });

  it('a receipt naming Bob but signed with another key is refused as forged', async () => {
    // Carol writes a body naming Bob as the recipient and signs it with her own key.
    const carolIdentity = carol.requireUnlocked().identity;
    const impostor = new UnlockedIdentity(
      bob.requireUnlocked().identity.card,
      Uint8Array.from(carolIdentity.signingSecretKey),
      Uint8Array.from(carolIdentity.encryptionSecretKey),
      new Uint8Array(32),
    );
    const forged = createReceipt(impostor, alice.requireUnlocked().identity.card, {
      package: packageHash,
      outcome: 'opened',
      reason: null,
      at: new Date().toISOString(),
    });
    await expect(new Receipts(alice).takeIn(forged)).rejects.toMatchObject({ reason: 'forged' });
    expect(await bobStatus()).toBe('sealed');
  });

  it("Bob's own receipt is taken in once: status opened; the same receipt again changes nothing and is not refused", async () => {
    const receipt = receiptFrom(bob);
    const refusals = () =>
      alice
        .requireUnlocked()
        .audit.entries()
        .filter((entry) => entry.action === 'receipt.refused').length;
    const before = refusals();
    const taken = await new Receipts(alice).takeIn(receipt);
    expect(taken).toMatchObject({ kind: 'receipt', alreadyTakenIn: false });
    expect(taken.kind === 'receipt' && taken.body).toMatchObject({
      recipient: fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
      outcome: 'opened',
    });
    expect(await bobStatus()).toBe('opened');
    expect(await new Receipts(alice).takeIn(receipt)).toMatchObject({ alreadyTakenIn: true });
    expect(await bobStatus()).toBe('opened');
    expect(refusals()).toBe(before);
    expect(alice.requireUnlocked().audit.verify().ok).toBe(true);
  });

  it('once opened, a later signed refusal (of a second copy, say) never turns Bob back to refused', async () => {
    expect(await bobStatus()).toBe('opened');
    await new Receipts(alice).takeIn(receiptFrom(bob, packageHash, 'refused'));
    expect(await bobStatus()).toBe('opened');
  });
});
