/**
 * Exchanges in the app core against a real sshd: adding an SFTP server only
 * after its host key was compared, one the organisation manages (users add
 * only their login key and cannot remove it), and each exchange's status
 * after a poll ("connected", "host key changed since …").
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { clinician } from '../helpers/clinicians.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`SFTP app tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('SFTP exchanges in the app', () => {
  let server: SshdServer;
  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => server?.dispose());

  it(
    'shows the presented key first; adds the server with the confirmed key and the login key from a dialog; a changed key shows as such',
    async () => {
      const alice = await clinician(await tempFolder(), 'Alice Adams', 'alice@general.example');
      expect(await alice.call('exchange.checkSftp', { url: server.url })).toEqual({
        hostKey: server.hostKeyFingerprint,
      });
      await expect(
        alice.call('exchange.addSftp', { url: server.url, hostKey: `SHA256:${'B'.repeat(43)}` }).then(() => 'added'),
      ).resolves.toBe('added'); // cancelled dialog: nothing added
      expect(await alice.call('exchange.list')).toEqual([]);
      alice.host.answers.sftpKey.push(server.clientKeyFile);
      await expect(
        alice.call('exchange.addSftp', { url: server.url, hostKey: `SHA256:${'B'.repeat(43)}` }),
      ).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
      alice.host.answers.sftpKey.push(server.clientKeyFile);
      const [added] = await alice.call('exchange.addSftp', { url: server.url, hostKey: server.hostKeyFingerprint });
      expect(added).toMatchObject({ kind: 'sftp', hostKey: server.hostKeyFingerprint, managed: false, ready: true });
      await vi.waitFor(async () => expect((await alice.call('exchange.list'))[0].status.state).toBe('connected'), {
        timeout: scaled(15_000),
      });
      // Receive says when the inbox was last looked at, through how many exchanges (issue 28, item 7).
      await alice.call('exchange.inbox');
      expect(await alice.call('exchange.inboxStatus')).toMatchObject({
        checking: false,
        lastCheckedAt: expect.any(String),
        exchanges: 1,
        failing: 0,
      });
      expect(alice.host.events.some((event) => event.name === 'exchange.inboxStatus')).toBe(true);

      await server.stop();
      await server.newHostKey();
      await server.start();
      await alice.call('session.lock');
      await alice.call('session.unlock', { passphrase: 'correct horse battery staple', remember: false }); // polls at once
      await vi.waitFor(
        async () =>
          expect((await alice.call('exchange.list'))[0].status).toMatchObject({
            state: 'host-key-changed',
            message: expect.stringMatching(/different host key/),
          }),
        {
          timeout: scaled(15_000),
        },
      );
      expect(await alice.call('exchange.inboxStatus')).toMatchObject({ exchanges: 1, failing: 1 });
    },
    scaled(60_000),
  );

  it(
    'an SFTP server set by the policy: listed as needing the login key, completed by the user, never removable, its key never replaced',
    async () => {
      const policy = {
        state: 'ok' as const,
        source: 'test',
        effective: {
          ...POLICY_DEFAULTS,
          sftpExchanges: [{ name: 'partner-lab', url: server.url, hostKey: server.hostKeyFingerprint }],
        },
        managed: ['sftpExchanges' as const],
      };
      const bob = await clinician(await tempFolder(), 'Bob Brown', 'bob@lab.example', 'Partner Lab', policy);
      expect(await bob.call('exchange.list')).toMatchObject([{ name: 'partner-lab', managed: true, ready: false }]);
      await expect(
        bob.call('exchange.addSftp', { url: 'partner-lab', hostKey: `SHA256:${'C'.repeat(43)}` }),
      ).rejects.toMatchObject({ code: 'MANAGED_BY_ORGANISATION' });
      bob.host.answers.sftpKey.push(server.clientKeyFile);
      await bob.call('exchange.addSftp', { url: 'partner-lab', hostKey: server.hostKeyFingerprint });
      expect(await bob.call('exchange.list')).toMatchObject([{ name: 'partner-lab', managed: true, ready: true }]);
      await expect(bob.call('exchange.remove', { name: 'partner-lab' })).rejects.toMatchObject({
        code: 'MANAGED_BY_ORGANISATION',
      });
    },
    scaled(60_000),
  );
});
