/**
 * A partner's directory published on an SFTP exchange both organisations
 * use (a read-only `directory/` place beside the inboxes; Debian's sshd on
 * 127.0.0.1), fetched through the one service the app, `watch` and the CLI
 * call. Alice's profile has an SFTP exchange on that server: the directory
 * is fetched with that login and its pinned host key, City's clinician is
 * vouched for, and a refresh after City's next change takes it. A profile
 * with no login there, and a server presenting another host key, leave the
 * partner unreachable (nothing vouched for that was not before), never an
 * unchecked file.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import type { DirectorySourceUnreachable } from '../../main/directory/fetch/errors.js';
import { PartnerDirectories } from '../../main/services/partner-organisations.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { TestPartnerOrg } from '../helpers/partner-directory.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`SFTP partner source tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('a partner directory fetched from an SFTP exchange (real sshd)', () => {
  let server: SshdServer;
  let work: string;
  let alice: ProfileSession;
  let carol: ProfileSession;
  let dan: ProfileSession;
  let city: TestPartnerOrg;
  let source: string;

  beforeAll(async () => {
    await loadSodium();
    work = await tempFolder('medseal-partner-sftp-');
    server = await startSshd();
    alice = await person(work, 'Alice', 'alice@general.example');
    carol = await person(work, 'Carol', 'carol@city.example');
    dan = await person(work, 'Dan', 'dan@city.example');
    await services(alice).exchanges.addSftp({
      url: server.url,
      hostKey: server.hostKeyFingerprint,
      keyFile: async () => server.clientKeyFile,
      name: 'city-exchange',
    });
    // City's IT publishes into the exchange's directory/ place (the test writes it as City's copy job would).
    city = await TestPartnerOrg.create(join(server.root, 'directory'), 'City Clinic');
    await city.publish([{ op: 'add', card: carol.requireUnlocked().identity.card }]);
    source = `sftp://${server.user}@127.0.0.1:${server.port}${city.source}`;
  }, scaled(120_000));

  afterAll(async () => {
    for (const session of [alice, carol, dan]) session?.close();
    await server?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const vouched = async (who: ProfileSession) =>
    new PartnerDirectories(who)
      .vouched()
      .map((entry) => entry.card.profile.email)
      .sort();

  it('is fetched with the exchange’s login and pinned host key; a later change is taken at the next refresh', async () => {
    const partners = new PartnerDirectories(alice);
    partners.add({ name: 'City Clinic', key: city.key, source }, city.code);
    expect(await partners.refresh()).toEqual([{ name: 'City Clinic', outcome: 'accepted', problem: null }]);
    expect(await vouched(alice)).toEqual(['carol@city.example']);
    const [shown] = partners.list();
    expect(shown).toMatchObject({ status: 'fresh', cards: 1, head: { seq: 1 } });
    expect(shown!.source).toContain(`127.0.0.1:${server.port}`);

    await city.publish([{ op: 'add', card: dan.requireUnlocked().identity.card }]);
    expect((await partners.refresh())[0]).toMatchObject({ outcome: 'accepted' });
    expect(await vouched(alice)).toEqual(['carol@city.example', 'dan@city.example']);
  });

  it('a profile with no login on that server: unreachable, and nothing vouched for', async () => {
    const partners = new PartnerDirectories(dan);
    partners.add({ name: 'City Clinic', key: city.key, source }, city.code);
    const [result] = await partners.refresh();
    expect(result).toMatchObject({ outcome: 'unreachable', problem: { code: 'DIRECTORY_SOURCE_UNREACHABLE' } });
    expect((result!.problem as DirectorySourceUnreachable).reason).toBe('no-login');
    expect(result!.problem!.message).toContain('no SFTP exchange with that login');
    expect(partners.list()[0]).toMatchObject({
      status: 'never',
      cards: 0,
      lastProblem: 'DIRECTORY_SOURCE_UNREACHABLE',
    });
    expect(await vouched(dan)).toEqual([]);
  });

  it('a server presenting another host key: unreachable, the directory held stays (stale, still vouching)', async () => {
    // Alice pinned the server's key when she added the exchange; now another key answers there.
    const stored = alice.requireUnlocked().sftpExchanges.list()[0]!;
    await services(alice).exchanges.remove(stored.name);
    alice.requireUnlocked().sftpExchanges.add({ ...stored, hostKey: `SHA256:${'A'.repeat(43)}` });
    const partners = new PartnerDirectories(alice);
    const [result] = await partners.refresh();
    expect(result).toMatchObject({ outcome: 'unreachable', problem: { code: 'HOST_KEY_CHANGED' } });
    expect(partners.list()[0]).toMatchObject({ status: 'stale', cards: 2, lastProblem: 'HOST_KEY_CHANGED' });
    expect(await vouched(alice)).toEqual(['carol@city.example', 'dan@city.example']);
  });
});
