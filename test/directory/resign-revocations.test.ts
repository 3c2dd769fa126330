/**
 * Review of the revocation-expiry fix (R5): IT's routine refresh re-signed
 * whatever list it found on the share, so a share writer who put an older
 * list back had the revoked partner trusted again on every workstation,
 * under a fresh date. Now the key remembers the list it signed last and
 * refuses an older one, and an expired list is signed again only on request.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signCardIntoDirectory, writeRevocations } from '../../main/directory/org-directory.js';
import { listToSign, rememberSigned } from '../../main/directory/resign-revocations.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('signing the revocation list again', () => {
  it('refuses a list older than the one this key signed last (put back on the share)', async () => {
    const [org, partner, leaver] = [
      await fastIdentity('Org'),
      await fastIdentity('Partner'),
      await fastIdentity('Leaver'),
    ];
    const dir = await tempFolder();
    const keyFile = join(await tempFolder(), 'org-admin.key');
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey, daysAgo(20));
    await signCardIntoDirectory(dir, leaver.card, org.signingSecretKey, daysAgo(20));
    const old = await readFile(join(dir, 'revoked.json'), 'utf8');
    const revokedAt = daysAgo(2);
    await writeRevocations(dir, [hex(leaver.card.fingerprint)], org.signingSecretKey, revokedAt);
    await rememberSigned(keyFile, revokedAt);
    expect((await listToSign(dir, org.card.signingKey, keyFile, { newList: false, acceptOld: false })).revoked).toEqual(
      [hex(leaver.card.fingerprint)],
    );

    await writeFile(join(dir, 'revoked.json'), old); // the share writer puts the older list back
    await expect(listToSign(dir, org.card.signingKey, keyFile, { newList: false, acceptOld: true })).rejects.toThrow(
      /put back from an older copy/,
    );
  });

  it('signs an expired list again only when IT says so', async () => {
    const [org, partner] = [await fastIdentity('Org'), await fastIdentity('Partner')];
    const dir = await tempFolder();
    const keyFile = join(await tempFolder(), 'org-admin.key');
    await signCardIntoDirectory(dir, partner.card, org.signingSecretKey, daysAgo(40));
    await writeRevocations(dir, [], org.signingSecretKey, daysAgo(40), 30); // expired 10 days ago
    await expect(listToSign(dir, org.card.signingKey, keyFile, { newList: false, acceptOld: false })).rejects.toThrow(
      /has expired.*--accept-old-list/,
    );
    expect((await listToSign(dir, org.card.signingKey, keyFile, { newList: false, acceptOld: true })).revoked).toEqual(
      [],
    );
  });
});
