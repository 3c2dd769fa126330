/**
 * The recovery kit in use (issue: identity continuity): kit → forgotten
 * passphrase → recover → a package sealed before still opens; the old
 * passphrase and an older kit's code stop working; every failure changes
 * nothing and wrong codes are audited like wrong passphrases.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { NoRecoveryKit, RecoveryCodeWrong, WrongPassphrase } from '../../main/identity/errors.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { RecoveryCodeInvalid } from '../../main/recovery/errors.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { makeRecoveryKit, type RecoveryKitFiles } from '../../main/services/recovery-kit.js';
import { fastIdentity } from '../helpers/identities.js';
import { openSample, sealSample } from '../helpers/packages.js';
import { tempFolder } from '../helpers/temp-folder.js';

const OLD = 'old passphrase nobody remembers';
const NEW = 'a brand new passphrase for monday';

beforeAll(loadSodium);

async function newProfile(name = 'Dr Alice <Adams>') {
  const folder = new ProfileFolder(join(await tempFolder(), 'profile'));
  const session = new ProfileSession(folder, PolicyGate.none(), KDF_FLOOR);
  await session.create({ name, organisation: 'General & Co', email: 'alice@general.example' }, OLD);
  return { folder, session, reopen: () => new ProfileSession(folder, PolicyGate.none(), KDF_FLOOR) };
}

async function kit(session: ProfileSession): Promise<RecoveryKitFiles> {
  let saved: RecoveryKitFiles | undefined;
  await makeRecoveryKit(session, async (files) => {
    saved = files;
    return async () => undefined;
  });
  return saved!;
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('succeeded');
    },
    (error: unknown) => error,
  );
}

describe('recovery kit', () => {
  it('is a printable page naming the identity, with the words and a QR code, escaped and without scripts', async () => {
    const { session } = await newProfile();
    const files = await kit(session);
    const words = files.code.trim().split(' ');
    expect(words).toHaveLength(24);
    expect(files.html).toContain('Dr Alice &#60;Adams&#62;, General &#38; Co');
    expect(files.html).not.toContain('<Adams>');
    for (const word of words) expect(files.html).toContain(word);
    expect(files.html).toMatch(/<svg[^>]*>/);
    expect(files.html).not.toMatch(/<script|\s(src|href)=|url\(/i); // nothing runs, nothing is fetched
    session.close();
  });

  it('forgotten passphrase: the code sets a new one, the old passphrase stops working, an old package still opens', async () => {
    const { folder, session, reopen } = await newProfile();
    const me = session.requireUnlocked().identity.card;
    const work = await tempFolder();
    const sender = await fastIdentity('Bob');
    const sealed = await sealSample({ folder: work, sender, recipients: [me], sizes: [70_000] });
    const { code } = await kit(session);
    session.close();

    const later = reopen();
    expect(await failure(later.recover(code.replace(/^\S+/, 'zzzz'), NEW))).toBeInstanceOf(RecoveryCodeInvalid);
    const recovered = await later.recover(code.toUpperCase(), NEW);
    expect(await openSample(sealed.path, recovered.identity, join(work, 'out'))).toEqual(sealed.contents);
    const actions = recovered.audit.entries().map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['identity.recovery-kit-created', 'identity.recovered']));
    expect(recovered.audit.verify().ok).toBe(true);
    later.close();

    const again = reopen();
    expect(await failure(again.unlock(OLD))).toBeInstanceOf(WrongPassphrase);
    await again.unlock(NEW);
    again.close();
    expect(JSON.parse(await readFile(folder.keystorePath, 'utf8'))).toHaveProperty('recovery'); // the same kit keeps working
  });

  it('a new kit revokes the old code; a wrong code changes nothing and is audited as a failed unlock', async () => {
    const { folder, session, reopen } = await newProfile();
    const first = await kit(session);
    const second = await kit(session);
    session.close();
    const before = await readFile(folder.keystorePath, 'utf8');
    const later = reopen();
    expect(await failure(later.recover(first.code, NEW))).toBeInstanceOf(RecoveryCodeWrong);
    expect(await readFile(folder.keystorePath, 'utf8')).toBe(before);
    const profile = await later.recover(second.code, NEW);
    const failed = profile.audit.entries().filter((entry) => entry.action === 'identity.unlock-failed');
    expect(failed.map((entry) => entry.detail)).toEqual(['RECOVERY_CODE_WRONG']);
    later.close();
  });

  it('no kit yet: a recovery code cannot open the identity, and says why', async () => {
    const { session, reopen } = await newProfile();
    const other = await newProfile('Someone Else');
    const { code } = await kit(other.session);
    session.close();
    const error = await failure(reopen().recover(code, NEW));
    expect(error).toBeInstanceOf(NoRecoveryKit);
    other.session.close();
  });

  it('if the new code cannot be stored, the saved kit is taken back and the old code still works', async () => {
    const { session, reopen } = await newProfile();
    const { code: oldCode } = await kit(session);
    let undone = false;
    const error = await failure(
      makeRecoveryKit(session, async () => {
        session.lock(); // the keystore cannot be re-sealed now: setting the new code fails
        return async () => {
          undone = true;
        };
      }),
    );
    expect(error).toMatchObject({ code: 'LOCKED' });
    expect(undone).toBe(true);
    session.close();
    const later = reopen();
    await later.recover(oldCode, NEW);
    later.close();
  });
});
