/**
 * IT's directory as a log (directory/org-log.ts, FORMAT.md §11): started from
 * a directory in the earlier form (its vetted, unrevoked cards carried over,
 * and workstations read the log from then on), extended by adds, a
 * replacement and a revocation, and read by a workstation that refuses an
 * older log once it held a newer one. And the share writer's attacks on IT's
 * routine re-signing: an older log put back, the log deleted, an expired log
 * re-signed without IT saying so; each refused and nothing signed.
 */
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../main/errors/usage-error.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fingerprintOf } from '../../main/directory/directory-log.js';
import { DirectoryExpired, DirectoryRolledBack } from '../../main/directory/errors.js';
import { loadDirectory } from '../../main/directory/org-directory.js';
import { signCardIntoDirectory, writeRevocations } from '../helpers/earlier-directory.js';
import { changeFor, orgLogToExtend, publishOrgLog, type OrgKeys } from '../../main/directory/org-log.js';
import { orgLogPath } from '../../main/directory/org-log-file.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder } from '../helpers/temp-folder.js';

const DAY = 86_400_000;
let org: OrgKeys;
let ann: UnlockedIdentity;
let ben: UnlockedIdentity;
let annAgain: UnlockedIdentity;

beforeAll(async () => {
  const identity = await fastIdentity('Org key');
  org = { publicKey: identity.card.signingKey, secretKey: identity.signingSecretKey };
  ann = await fastIdentity('Ann');
  ben = await fastIdentity('Ben');
  annAgain = await fastIdentity('Ann');
});

/** The directory folder (the share), and IT's own folder for the key's record and copies. */
async function setting() {
  const dir = await tempFolder('medseal-org-log-');
  const itFolder = await tempFolder('medseal-org-it-');
  return { dir, keyFile: join(itFolder, 'org.key'), old: join(itFolder, 'old.medseal-directory') };
}

describe('the directory log, from the earlier form to changes workstations see', () => {
  it('carries the earlier cards over, then adds, replaces and revokes; a workstation reads each state', async () => {
    const { dir, keyFile } = await setting();
    await writeRevocations(dir, [fingerprintOf(ben.card)], org.secretKey);
    await signCardIntoDirectory(dir, ann.card, org.secretKey);
    await signCardIntoDirectory(dir, ben.card, org.secretKey); // revoked in the earlier list: not carried over

    const started = await orgLogToExtend(dir, org, keyFile, { organisation: 'General Hospital', acceptExpired: false });
    expect(started.migrated).toBe(true);
    expect(started.cards.map(fingerprintOf)).toEqual([fingerprintOf(ann.card)]);
    const first = await publishOrgLog(dir, org, keyFile, started, [], 30);
    const seen = await loadDirectory(dir, org.publicKey, null, new Date(), null);
    expect(seen.cards.map(fingerprintOf)).toEqual([fingerprintOf(ann.card)]);
    expect(seen.head).toMatchObject({ seq: first.seq, hash: first.hash });

    let log = await orgLogToExtend(dir, org, keyFile, { acceptExpired: false });
    expect(changeFor(log, ann.card)).toBeNull(); // already in it
    expect(changeFor(log, annAgain.card)).toMatchObject({ op: 'replace', replaces: fingerprintOf(ann.card) });
    await publishOrgLog(dir, org, keyFile, log, [changeFor(log, annAgain.card)!, changeFor(log, ben.card)!], 30);
    log = await orgLogToExtend(dir, org, keyFile, { acceptExpired: false });
    const head = await publishOrgLog(
      dir,
      org,
      keyFile,
      log,
      [{ op: 'revoke', fingerprint: fingerprintOf(ben.card) }],
      30,
    );
    const after = await loadDirectory(dir, org.publicKey, null, new Date(), seen.head);
    expect(after.cards.map(fingerprintOf)).toEqual([fingerprintOf(annAgain.card)]);
    expect(after.head?.seq).toBe(head.seq);
  });

  it('a workstation that held a newer log refuses an older one put back on the share, and trusts no card of it', async () => {
    const { dir, keyFile, old } = await setting();
    let log = await orgLogToExtend(dir, org, keyFile, { organisation: 'General Hospital', acceptExpired: false });
    await publishOrgLog(dir, org, keyFile, log, [{ op: 'add', card: ben.card }], 30);
    await copyFile(orgLogPath(dir), old);
    log = await orgLogToExtend(dir, org, keyFile, { acceptExpired: false });
    await publishOrgLog(dir, org, keyFile, log, [{ op: 'revoke', fingerprint: fingerprintOf(ben.card) }], 30);
    const held = (await loadDirectory(dir, org.publicKey)).head!;
    await copyFile(old, orgLogPath(dir)); // Ben is in it again
    const refused = await loadDirectory(dir, org.publicKey, null, new Date(), held);
    expect(refused.cards).toEqual([]);
    expect(refused.refusal).toBeInstanceOf(DirectoryRolledBack);
  });
});

describe("IT's tools never re-sign what a share writer put there", () => {
  it('an older log put back, or the log deleted: refused, nothing signed', async () => {
    const { dir, keyFile, old } = await setting();
    let log = await orgLogToExtend(dir, org, keyFile, { organisation: 'General Hospital', acceptExpired: false });
    await publishOrgLog(dir, org, keyFile, log, [{ op: 'add', card: ben.card }], 30);
    await copyFile(orgLogPath(dir), old);
    log = await orgLogToExtend(dir, org, keyFile, { acceptExpired: false });
    await publishOrgLog(dir, org, keyFile, log, [{ op: 'revoke', fingerprint: fingerprintOf(ben.card) }], 30);
    await copyFile(old, orgLogPath(dir));
    await expect(orgLogToExtend(dir, org, keyFile, { acceptExpired: false })).rejects.toBeInstanceOf(
      DirectoryRolledBack,
    );
    await rm(orgLogPath(dir));
    await expect(orgLogToExtend(dir, org, keyFile, { acceptExpired: false })).rejects.toThrow(
      /restore it from your backup/,
    );
  });

  it('an expired log is signed again only when IT says so; a new log needs the organisation’s name', async () => {
    const { dir, keyFile } = await setting();
    await expect(orgLogToExtend(dir, org, keyFile, { acceptExpired: false })).rejects.toBeInstanceOf(UsageError);
    const log = await orgLogToExtend(dir, org, keyFile, { organisation: 'General Hospital', acceptExpired: false });
    await publishOrgLog(dir, org, keyFile, log, [{ op: 'add', card: ann.card }], 1, new Date(Date.now() - 2 * DAY));
    await expect(orgLogToExtend(dir, org, keyFile, { acceptExpired: false })).rejects.toBeInstanceOf(DirectoryExpired);
    const again = await orgLogToExtend(dir, org, keyFile, { acceptExpired: true });
    expect(again.cards.map(fingerprintOf)).toEqual([fingerprintOf(ann.card)]);
  });
});
