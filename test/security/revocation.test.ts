/**
 * Security review, medium 8: revocation failed open. A missing, unreadable
 * or older revoked.json trusted every directory card again. Now, once a
 * directory is configured, no card is trusted without a valid list, and a
 * list older than one the workstation accepted is refused.
 */
import { rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySourceFor } from '../../main/directory/directory-source.js';
import { loadDirectory, signCardIntoDirectory, writeRevocations } from '../../main/directory/org-directory.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

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
    const [org, partner, leaver] = [await fastIdentity('Org'), await fastIdentity('Partner'), await fastIdentity('Leaver')];
    const dir = await tempFolder();
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey, new Date('2026-11-01T00:00:00Z'));
    await signCardIntoDirectory(dir, leaver.card, org.signingSecretKey, new Date('2026-11-01T00:00:00Z'));
    const old = await readFile(join(dir, 'revoked.json'), 'utf8');
    const oldLeaverCard = await readFile(join(dir, 'cards', `${Buffer.from(leaver.card.fingerprint).toString('hex')}.medseal-org-card`), 'utf8');
    await writeRevocations(dir, [Buffer.from(leaver.card.fingerprint).toString('hex')], org.signingSecretKey, new Date('2026-11-20T00:00:00Z'));

    let seen: string | null = null;
    const memory = {
      newest: () => seen,
      accepted: (updatedAt: string) => {
        seen = updatedAt;
      },
    };
    const policy = { ...POLICY_DEFAULTS, directoryFolder: dir, orgPublicKey: Buffer.from(org.card.signingKey).toString('base64') };
    expect((await directorySourceFor(policy, memory, 0)!()).map((card) => card.profile.name)).toEqual(['Partner']);
    expect(seen).toBe('2026-11-20T00:00:00.000Z');

    await writeFile(join(dir, 'revoked.json'), old); // someone with write access to the share restores the old list and card
    await writeFile(join(dir, 'cards', `${Buffer.from(leaver.card.fingerprint).toString('hex')}.medseal-org-card`), oldLeaverCard);
    expect(await directorySourceFor(policy, memory, 0)!()).toEqual([]);
  });
});
