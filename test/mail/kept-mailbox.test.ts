/**
 * A mailbox kept open and looked at every second, as the app's poll does
 * (every few seconds, well inside imapflow's 15-second auto-IDLE delay, so
 * the connection never idles): a package mailed meanwhile is seen at a
 * later look, not hidden behind the first look's answer. Against real
 * Postfix and Dovecot (test/helpers/mail-server.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailAccount } from '../../main/exchange/mail/mail-account.js';
import { MailTransport } from '../../main/exchange/mail/mail-transport.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`kept mailbox test skipped: ${unavailable}`);

const BOB = 'b'.repeat(64);

describe.skipIf(unavailable !== null)('a kept mailbox looked at often', () => {
  let server: MailServer;
  let alice: MailUser, bob: MailUser;
  beforeAll(async () => {
    server = await startMailServer();
    alice = await server.users.create('alice');
    bob = await server.users.create('bob');
  }, scaled(120_000));
  afterAll(async () => server?.dispose());

  const account = async (user: MailUser): Promise<MailAccount> => ({
    address: user.address,
    smtp: { host: '127.0.0.1', port: server.smtpsPort, security: 'tls' },
    imap: { host: '127.0.0.1', port: server.imapPort, security: 'tls' },
    login: { method: 'password', user: user.address, password: user.password },
    caPem: await readFile(server.caFile, 'utf8'),
  });

  it(
    'sees a package mailed after its first look',
    async () => {
      const kept = new MailTransport(bob.address, await account(bob));
      const sender = new MailTransport(alice.address, await account(alice));
      try {
        expect(await kept.waiting()).toEqual([]);
        const file = join(await tempFolder(), 'p.medseal');
        await writeFile(file, 'a sealed package (synthetic)');
        await sender.deliver(file, 'package', 'c3'.repeat(16), [BOB], undefined, { [BOB]: bob.address });
        const until = Date.now() + scaled(30_000);
        let found = await kept.waiting();
        while (found.length === 0 && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          found = await kept.waiting();
        }
        expect(found).toMatchObject([{ kind: 'package' }]);
      } finally {
        await kept.close();
        await sender.close();
      }
    },
    scaled(60_000),
  );
});
