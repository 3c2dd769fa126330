/**
 * Security review, medium 8: revocation failed open. A missing, unreadable
 * or older revoked.json trusted every directory card again. Now, once a
 * directory is configured, no card is trusted without a valid list, and a
 * list older than one the workstation accepted is refused.
 *
 * Second review, item 9: a list never expired, so a profile that never saw
 * a newer list (new, or restored from an older backup) accepted any older
 * signed one. Lists now carry a signed validUntil; an expired list, or one
 * without an expiry, is refused, and `medseal doctor` warns before expiry.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ed25519Sign } from '../../main/crypto/primitives.js';
import { directorySourceFor } from '../../main/directory/directory-source.js';
import { RevocationListExpired, RevocationListRefused } from '../../main/directory/errors.js';
import { loadDirectory } from '../../main/directory/org-directory.js';
import { signCardIntoDirectory, writeRevocations } from '../helpers/earlier-directory.js';
import { readRevocations } from '../../main/directory/revocation-list.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { runDoctor } from '../../main/services/doctor.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('the organisation directory without a valid, current revocation list', () => {
  it('a missing list trusts no card, and says why', async () => {
    const [org, partner] = [await fastIdentity('Org'), await fastIdentity('Partner')];
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey); // starts an empty signed list
    expect((await loadDirectory(dir, org.card.signingKey)).cards).toHaveLength(1);
    await rm(join(dir, 'revoked.json'));
    const loaded = await loadDirectory(dir, org.card.signingKey);
    expect(loaded.cards).toEqual([]);
    expect(loaded.warnings.join()).toMatch(/revoked\.json is missing.*no directory card is trusted/);
  });

  it('a list rolled back to an older signed one is refused once a newer one was accepted', async () => {
    const [org, partner, leaver] = [
      await fastIdentity('Org'),
      await fastIdentity('Partner'),
      await fastIdentity('Leaver'),
    ];
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey, daysAgo(10));
    await signCardIntoDirectory(dir, leaver.card, org.signingSecretKey, daysAgo(10));
    const old = await readFile(join(dir, 'revoked.json'), 'utf8');
    const oldLeaverCard = await readFile(
      join(dir, 'cards', `${hex(leaver.card.fingerprint)}.medseal-org-card`),
      'utf8',
    );
    const revokedAt = daysAgo(2);
    await writeRevocations(dir, [hex(leaver.card.fingerprint)], org.signingSecretKey, revokedAt);

    let seen: string | null = null;
    const memory = {
      newest: () => seen,
      accepted: (updatedAt: string) => {
        seen = updatedAt;
      },
      heldHead: () => null, // the directory is in the earlier form here: no log head
      chainVerified: () => undefined,
      forked: () => false,
      acceptedHead: () => undefined,
    };
    const policy = {
      ...POLICY_DEFAULTS,
      directoryFolder: dir,
      orgPublicKey: Buffer.from(org.card.signingKey).toString('base64'),
    };
    expect((await directorySourceFor(policy, memory, 0)!()).map(({ card }) => card.profile.name)).toEqual(['Partner']);
    expect(seen).toBe(revokedAt.toISOString());

    await writeFile(join(dir, 'revoked.json'), old); // someone with write access to the share restores the old list and card
    await writeFile(join(dir, 'cards', `${hex(leaver.card.fingerprint)}.medseal-org-card`), oldLeaverCard);
    expect(await directorySourceFor(policy, memory, 0)!()).toEqual([]);
  });
});

describe('the revocation list expires (item 9)', () => {
  /** The leaver was revoked 40 days ago; the list from before that (45 days old, still signed) is put back on the share. */
  async function rolledBackDirectory() {
    const [org, partner, leaver] = [
      await fastIdentity('Org'),
      await fastIdentity('Partner'),
      await fastIdentity('Leaver'),
    ];
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey, daysAgo(45));
    await signCardIntoDirectory(dir, leaver.card, org.signingSecretKey, daysAgo(45));
    const before = await readFile(join(dir, 'revoked.json'), 'utf8');
    const leaverCard = await readFile(join(dir, 'cards', `${hex(leaver.card.fingerprint)}.medseal-org-card`), 'utf8');
    await writeRevocations(dir, [hex(leaver.card.fingerprint)], org.signingSecretKey, daysAgo(40));
    await writeFile(join(dir, 'revoked.json'), before);
    await writeFile(join(dir, 'cards', `${hex(leaver.card.fingerprint)}.medseal-org-card`), leaverCard);
    return { org, dir };
  }

  it('an expired signed list is refused on a workstation that never saw a newer one (a new or restored profile)', async () => {
    const { org, dir } = await rolledBackDirectory();
    const fresh = {
      newest: () => null,
      accepted: () => undefined,
      heldHead: () => null,
      chainVerified: () => undefined,
      forked: () => false,
      acceptedHead: () => undefined,
    }; // remembers nothing
    const policy = {
      ...POLICY_DEFAULTS,
      directoryFolder: dir,
      orgPublicKey: Buffer.from(org.card.signingKey).toString('base64'),
    };
    expect(await directorySourceFor(policy, fresh, 0)!()).toEqual([]); // neither the leaver nor anyone else is trusted
    const read = await readRevocations(dir, org.card.signingKey);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toBeInstanceOf(RevocationListExpired);
    expect(!read.ok && read.error).toMatchObject({
      code: 'REVOCATION_LIST_EXPIRED',
      category: 'untrusted-party',
      userMessage: expect.stringMatching(/expired on \d{4}-\d\d-\d\d: IT must sign a new revocation list/),
    });
    expect((await loadDirectory(dir, org.card.signingKey)).warnings.join()).toMatch(
      /expired on .*no directory card is trusted until it is fixed/,
    );
  });

  it('a list is valid for the days IT chose, and the expiry is signed', async () => {
    const [org, partner] = [await fastIdentity('Org'), await fastIdentity('Partner')];
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey);
    await writeRevocations(dir, [], org.signingSecretKey, daysAgo(10), 14);
    const list = JSON.parse(await readFile(join(dir, 'revoked.json'), 'utf8')) as { validUntil: string };
    expect(Date.parse(list.validUntil) - daysAgo(10).getTime()).toBeCloseTo(14 * DAY, -4);
    expect((await loadDirectory(dir, org.card.signingKey)).cards).toHaveLength(1);
    expect((await loadDirectory(dir, org.card.signingKey, null, daysAgo(-5))).cards).toEqual([]); // 15 days after signing

    await writeFile(
      join(dir, 'revoked.json'),
      JSON.stringify({ ...list, validUntil: new Date(Date.now() + 300 * DAY).toISOString() }),
    ); // extended by hand
    expect((await loadDirectory(dir, org.card.signingKey)).warnings.join()).toMatch(
      /not signed by the organisation key/,
    );
  });

  it('a list signed before expiries existed is refused by workstations, and read by IT to sign it again', async () => {
    const [org, partner, leaver] = [
      await fastIdentity('Org'),
      await fastIdentity('Partner'),
      await fastIdentity('Leaver'),
    ];
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey);
    const updatedAt = daysAgo(3).toISOString();
    const revoked = [hex(leaver.card.fingerprint)];
    const legacyMessage = Buffer.concat([
      Buffer.from('MEDSEAL-v1-org-revocations', 'ascii'),
      Buffer.from(JSON.stringify([updatedAt, revoked]), 'utf8'),
    ]);
    const signature = hex(ed25519Sign(org.signingSecretKey, legacyMessage));
    await writeFile(join(dir, 'revoked.json'), JSON.stringify({ revoked, updatedAt, signature }));

    const read = await readRevocations(dir, org.card.signingKey);
    expect(!read.ok && read.error).toBeInstanceOf(RevocationListRefused);
    expect(!read.ok && read.error).toMatchObject({
      code: 'REVOCATION_LIST_REFUSED',
      reason: 'no-expiry',
      userMessage: expect.stringMatching(/no expiry date.*IT must sign it again/),
    });
    expect((await loadDirectory(dir, org.card.signingKey)).cards).toEqual([]);

    const forIt = await readRevocations(dir, org.card.signingKey, { forResigning: true });
    expect(forIt).toMatchObject({ ok: true, validUntil: null });
    await writeRevocations(dir, [...(forIt.ok ? forIt.revoked : [])], org.signingSecretKey);
    expect((await loadDirectory(dir, org.card.signingKey)).cards.map((card) => card.profile.name)).toEqual(['Partner']);
    expect(await readRevocations(dir, org.card.signingKey)).toMatchObject({ ok: true, revoked: new Set(revoked) });
  });

  it('medseal doctor warns from 7 days before the list expires', async () => {
    const [org, partner] = [await fastIdentity('Org'), await fastIdentity('Partner')];
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey, daysAgo(25)); // valid 30 days: 5 left
    const orgPublicKey = Buffer.from(org.card.signingKey).toString('base64');
    const expiry = async (now?: Date) =>
      (
        await runDoctor(new ProfileFolder(join(dir, 'profile')), {
          now,
          loadPolicyState: async () => ({
            state: 'ok',
            source: 'test',
            effective: { ...POLICY_DEFAULTS, directoryFolder: dir, orgPublicKey },
            managed: ['directoryFolder', 'orgPublicKey'],
          }),
        })
      ).find((check) => check.name === 'revocation list expiry');
    expect(await expiry()).toMatchObject({
      ok: false,
      detail: expect.stringMatching(
        /expires on \d{4}-\d\d-\d\d, in 4 days: IT must sign it again \(medseal org refresh-revocations\)/,
      ),
    });
    expect(await expiry(daysAgo(10))).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^valid until \d{4}-\d\d-\d\d, in 14 days$/),
    });
  });
});
