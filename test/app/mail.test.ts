/**
 * E-mail in the app core, through the dispatcher as the window calls it:
 * what "Set up e-mail" asks for under the policy, the mailbox set up from
 * the form (a wrong password refused with nothing saved, the CA file from a
 * native dialog, a cancelled dialog saving nothing), "Test connection" with
 * the mailbox's own steps, and a package sent by e-mail through the app's
 * worker transports, its answer saying so. Against real Postfix and Dovecot
 * (test/helpers/mail-server.ts); the first block needs no mail server: the
 * password never reaches the log, an IPC answer or any profile file in
 * plain text, whether the set-up fails or works.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MedSealApp } from '../../main/app/medseal-app.js';
import { closeLogger, createLogger } from '../../main/logging/logger.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { clientFor } from '../helpers/app-client.js';
import { clinician, PASS, verifyEachOther } from '../helpers/clinicians.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { freePort } from '../helpers/ports.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`app e-mail tests against a mail server skipped: ${unavailable}`);

/** Every IPC answer an app gave (values and errors alike), to search for what must never be in one. */
function recording(app: MedSealApp) {
  const answers: unknown[] = [];
  const recorded: MedSealApp = {
    ...app,
    dispatch: async (channel, sender, payload) => {
      const answer = await app.dispatch(channel, sender, payload);
      answers.push(answer);
      return answer;
    },
  };
  return { answers, ...clientFor(recorded) };
}

/** Every file under `folder`, read whole (logs, the database and its journal, settings). */
async function everyFile(folder: string): Promise<{ path: string; bytes: Buffer }[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        return { path, bytes: await readFile(path) };
      }),
  );
}

/** A clinician whose app logs everything (level trace) into its profile's logs/ folder. */
async function logged(work: string, name: string, email: string, policy?: PolicyState) {
  const logger = createLogger(join(work, name), 'trace');
  const party = await clinician(work, name, email, 'Test Hospital', policy, { workers: true, logger });
  return { ...party, ...recording(party.app), logger, folder: join(work, name) };
}

/** Nothing the app wrote or answered holds `password`; the log was written (so the search means something). */
async function expectNowhere(party: Awaited<ReturnType<typeof logged>>, password: string) {
  await closeLogger(party.logger);
  const files = await everyFile(party.folder);
  expect(files.some((file) => file.path.includes(`${join('logs', 'medseal.log')}`) && file.bytes.length > 0)).toBe(
    true,
  );
  for (const file of files) expect(file.bytes.includes(password), file.path).toBe(false);
  expect(JSON.stringify(party.answers)).not.toContain(password);
}

describe('the mailbox password in the app', () => {
  it(
    'never reaches the log, an IPC answer or a profile file: not when the server is down, not when the request is refused',
    async () => {
      const work = await tempFolder();
      const alice = await logged(work, 'alice', 'alice@general.example');
      const password = 'a-Very-distinctive-mailbox-secret-4711';
      const port = await freePort(); // nobody listens there
      await expect(
        alice.call('exchange.addMail', {
          smtp: `smtps://127.0.0.1:${port}`,
          imap: `imaps://127.0.0.1:${port}`,
          user: 'alice',
          password,
          chooseCaFile: false,
        }),
      ).rejects.toMatchObject({ code: 'MAIL_SERVER_UNAVAILABLE' });
      // Refused before any handler: a request with an unknown field, and one with a password too long.
      for (const request of [
        { password, chooseCaFile: false, echo: password },
        { password: `${password}${'x'.repeat(1024)}`, chooseCaFile: false },
      ])
        expect(await alice.attempt('exchange.addMail', request)).toMatchObject({
          ok: false,
          error: { code: 'IPC_INVALID_REQUEST' },
        });
      expect(await alice.call('exchange.list')).toEqual([]);
      await alice.call('session.lock');
      await alice.call('session.unlock', { passphrase: PASS, remember: false });
      await expectNowhere(alice, password);
    },
    scaled(60_000),
  );
});

describe.skipIf(unavailable !== null)('e-mail in the app, against a real mail server', () => {
  let server: MailServer;
  const users: Record<string, MailUser> = {};
  const servers = () => ({
    smtp: `smtps://127.0.0.1:${server.smtpsPort}`,
    imap: `imaps://127.0.0.1:${server.imapPort}`,
  });

  beforeAll(async () => {
    server = await startMailServer();
    for (const name of ['alice', 'bob', 'carol', 'dan']) users[name] = await server.users.create(name);
  }, scaled(120_000));
  afterAll(async () => server?.dispose());

  it(
    'sets up the mailbox from the form: a wrong password refused, a cancelled CA dialog saves nothing; then tested, and sends by e-mail',
    async () => {
      const work = await tempFolder();
      const alice = await logged(work, 'alice', users.alice!.address);
      const bob = await clinician(work, 'bob', users.bob!.address, 'Partner Lab', undefined, { workers: true });
      expect(await alice.call('exchange.mailSetup')).toEqual({
        available: true,
        address: users.alice!.address,
        servers: null,
        ownServers: true,
        caFileSet: false,
      });

      alice.host.answers.mailCaFile.push(server.caFile);
      await expect(
        alice.call('exchange.addMail', { ...servers(), password: 'not the password', chooseCaFile: true }),
      ).rejects.toMatchObject({ code: 'MAIL_LOGIN_REFUSED' });
      expect(await alice.call('exchange.list')).toEqual([]);
      // The CA file's dialog cancelled: nothing tried, nothing saved.
      expect(
        await alice.call('exchange.addMail', { ...servers(), password: users.alice!.password, chooseCaFile: true }),
      ).toEqual({ added: null });
      expect(await alice.call('exchange.list')).toEqual([]);

      alice.host.answers.mailCaFile.push(server.caFile);
      const { added } = await alice.call('exchange.addMail', {
        address: users.alice!.address,
        ...servers(),
        password: users.alice!.password,
        chooseCaFile: true,
      });
      expect(added).toMatchObject({
        name: users.alice!.address,
        label: `E-mail (${users.alice!.address})`,
        kind: 'email',
        location: users.alice!.address,
        managed: false,
        ready: true,
      });
      await vi.waitFor(async () => expect((await alice.call('exchange.list'))[0].status.state).toBe('connected'), {
        timeout: scaled(20_000),
      });
      expect(await alice.call('exchange.test', { name: users.alice!.address })).toEqual({
        name: users.alice!.address,
        label: `E-mail (${users.alice!.address})`,
        passed: ['sending', 'receiving', 'round-trip'],
        failed: null,
      });

      // Bob is reached by no exchange: the package goes by e-mail, through the app's kept worker transport.
      bob.host.answers.mailCaFile.push(server.caFile);
      await bob.call('exchange.addMail', { ...servers(), password: users.bob!.password, chooseCaFile: true });
      await verifyEachOther(alice, bob);
      await writeFile(join(work, 'referral.txt'), 'synthetic referral');
      const file = await alice.call('files.registerDropped', { path: join(work, 'referral.txt') });
      const [contact] = await alice.call('contacts.list');
      expect(await alice.call('exchange.sendsThrough')).toEqual({ sends: true });
      expect(await alice.call('seal.reachability', { recipients: [contact.fingerprint] })).toEqual({ unreached: [] });
      const { jobId } = await alice.call('seal.start', {
        files: [file.token],
        recipients: [contact.fingerprint],
        note: '',
        confirmUnverified: false,
      });
      await alice.host.next('job.finished', (event) => event.jobId === jobId, scaled(30_000));
      expect(await alice.call('seal.deliver', { jobId })).toMatchObject({
        delivered: [{ name: 'bob', exchange: users.alice!.address, kind: 'email', location: users.bob!.address }],
        unreached: [],
        problems: [],
        notices: [],
      });
      await vi.waitFor(async () => expect(await bob.call('exchange.inbox')).toHaveLength(1), {
        timeout: scaled(30_000),
        interval: 500,
      });

      await expectNowhere(alice, users.alice!.password);
    },
    scaled(120_000),
  );

  it(
    "under a policy: only the login is asked for the policy's servers and CA; other servers refused; no servers and none of one's own: not offered",
    async () => {
      const work = await tempFolder();
      const fixed: PolicyState = {
        state: 'ok',
        source: 'test',
        effective: {
          ...POLICY_DEFAULTS,
          mailSmtpServer: `smtp://127.0.0.1:${server.smtpPort}`,
          mailImapServer: servers().imap,
          mailCaFile: server.caFile,
          mailAllowOwnServers: false,
        },
        managed: ['mailSmtpServer', 'mailImapServer', 'mailCaFile', 'mailAllowOwnServers'],
      };
      const carol = await clinician(work, 'carol', users.carol!.address, 'Test Hospital', fixed);
      expect(await carol.call('exchange.mailSetup')).toEqual({
        available: true,
        address: users.carol!.address,
        servers: { smtp: `smtp://127.0.0.1:${server.smtpPort}`, imap: servers().imap },
        ownServers: false,
        caFileSet: true,
      });
      await expect(
        carol.call('exchange.addMail', { ...servers(), password: users.carol!.password, chooseCaFile: false }),
      ).rejects.toMatchObject({ code: 'MANAGED_BY_ORGANISATION' });
      // The policy names the CA: no dialog opens (none is answered here), and the login works with it.
      const { added } = await carol.call('exchange.addMail', { password: users.carol!.password, chooseCaFile: true });
      expect(added).toMatchObject({ kind: 'email', name: users.carol!.address, ready: true });

      const off: PolicyState = {
        state: 'ok',
        source: 'test',
        effective: { ...POLICY_DEFAULTS, mailAllowOwnServers: false },
        managed: ['mailAllowOwnServers'],
      };
      const dan = await clinician(work, 'dan', users.dan!.address, 'Test Hospital', off);
      expect(await dan.call('exchange.mailSetup')).toMatchObject({
        available: false,
        servers: null,
        ownServers: false,
      });
      await expect(
        dan.call('exchange.addMail', { ...servers(), password: users.dan!.password, chooseCaFile: false }),
      ).rejects.toMatchObject({ code: 'MANAGED_BY_ORGANISATION' });
    },
    scaled(60_000),
  );
});
