/**
 * Invitations in the app core, through the dispatcher as the window calls
 * it: `contacts.invite`, `contacts.offers` and `contacts.acceptOffer` on the
 * shared invitations (services/delivery/invitations.ts). Without a mailbox:
 * MAILBOX_MISSING for an invitation or an import, and no offers (not an
 * error); requests checked by the contract. Against real Postfix and
 * Dovecot: Alice invites Carol; Carol's poll says a card waits
 * (`exchange.cardsOffered`, told only when the number changes); the card is
 * offered with its public view, an oversized attachment is listed as
 * unreadable without being read; Carol imports Alice's card and is answered
 * as a card import is (outcome, unverified contact, safety number,
 * look-alike); it leaves the offers; a second invitation comes as a known
 * card; both audit logs record it.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MailAccount } from '../../main/exchange/mail/mail-account.js';
import { MailTransport } from '../../main/exchange/mail/mail-transport.js';
import { clinician, newApp, PASS, type Clinician } from '../helpers/clinicians.js';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`app invitation tests against a mail server skipped: ${unavailable}`);

const actions = (party: Clinician) =>
  party.app.session.profiles
    .requireUnlocked()
    .audit.entries()
    .map((entry) => entry.action);

describe('invitations in the app without a mailbox', () => {
  it('an invitation and an import need the mailbox (MAILBOX_MISSING); there are no offers, and no error for it', async () => {
    const alice = await clinician(await tempFolder(), 'alice', 'alice@general.example');
    await expect(alice.call('contacts.invite', { email: 'carol@heart.example' })).rejects.toMatchObject({
      code: 'MAILBOX_MISSING',
      message: expect.stringContaining('Settings → Exchanges'),
    });
    await expect(alice.call('contacts.invite', { email: 'not an address' })).rejects.toMatchObject({
      code: 'USAGE',
      message: "That is not an e-mail address: give the partner's address, such as bob@lab.example.",
    });
    expect(await alice.call('contacts.offers')).toEqual({ mailbox: false, offers: [] });
    await expect(alice.call('contacts.acceptOffer', { id: '0123456789abcdef' })).rejects.toMatchObject({
      code: 'MAILBOX_MISSING',
    });
    for (const [channel, request] of [
      ['contacts.invite', {}],
      ['contacts.invite', { email: '' }],
      ['contacts.invite', { email: `${'x'.repeat(250)}@a.example` }],
      ['contacts.invite', { email: 'carol@heart.example', body: 'more words' }],
      ['contacts.offers', { all: true }],
      ['contacts.acceptOffer', { id: '01234' }],
      ['contacts.acceptOffer', { id: '0123456789ABCDEF' }],
      ['contacts.acceptOffer', { id: 'f'.repeat(64) }],
    ] as const)
      expect(await alice.attempt(channel, request), `${channel} ${JSON.stringify(request)}`).toMatchObject({
        ok: false,
        error: { code: 'IPC_INVALID_REQUEST' },
      });
    expect(actions(alice)).not.toContain('invitation.sent');
  });
});

describe.skipIf(unavailable !== null)('invitations in the app, against a real mail server', () => {
  let server: MailServer;
  const users: Record<string, MailUser> = {};
  const account = async (user: MailUser): Promise<MailAccount> => ({
    address: user.address,
    smtp: { host: '127.0.0.1', port: server.smtpsPort, security: 'tls' },
    imap: { host: '127.0.0.1', port: server.imapPort, security: 'tls' },
    login: { method: 'password', user: user.address, password: user.password },
    caPem: await readFile(server.caFile, 'utf8'),
  });
  async function withMailbox(party: Clinician, user: MailUser) {
    party.host.answers.mailCaFile.push(server.caFile);
    const { added } = await party.call('exchange.addMail', {
      smtp: `smtps://127.0.0.1:${server.smtpsPort}`,
      imap: `imaps://127.0.0.1:${server.imapPort}`,
      password: user.password,
      chooseCaFile: true,
    });
    expect(added).toMatchObject({ kind: 'email', ready: true });
  }
  /** The counts the poll told, in order. */
  const told = (party: Clinician) =>
    party.host.events
      .filter((event) => event.name === 'exchange.cardsOffered')
      .map((event) => (event.payload as { count: number }).count);

  beforeAll(async () => {
    server = await startMailServer();
    for (const name of ['alice', 'carol']) users[name] = await server.users.create(name);
  }, scaled(120_000));
  afterAll(async () => server?.dispose());

  it(
    'Alice invites Carol; the card is offered, imported unverified with the safety number and look-alikes, and audited',
    async () => {
      const work = await tempFolder();
      const options = { workers: true };
      const alice = await clinician(work, 'Alice Adams', users.alice!.address, 'General Hospital', undefined, options);
      const carol = await clinician(work, 'Carol Cole', users.carol!.address, 'Heart Clinic', undefined, options);
      // Carol already knows another "Alice Adams": the card by e-mail could be mistaken for her.
      const namesake = await newApp(work, 'namesake');
      await namesake.call('identity.create', {
        name: 'Alice Adams',
        organisation: 'Elsewhere',
        role: 'Doctor',
        email: 'alice.adams@elsewhere.example',
        passphrase: PASS,
      });
      await carol.call('contacts.importText', { text: (await namesake.call('identity.myCard')).armored });
      await withMailbox(alice, users.alice!);
      await withMailbox(carol, users.carol!);

      expect(await carol.call('contacts.offers')).toEqual({ mailbox: true, offers: [] });
      await alice.call('contacts.invite', { email: ` ${users.carol!.address.toUpperCase()} ` });
      expect(actions(alice)).toContain('invitation.sent');

      // Carol's poll counts the card; only then does anything look at it.
      await carol.host.next('exchange.cardsOffered', (event) => event.count === 1, scaled(30_000));
      const aliceCard = (await alice.call('identity.myCard')).profile;
      const { offers } = await carol.call('contacts.offers');
      expect(offers).toEqual([
        {
          id: aliceCard.fingerprint.slice(0, 16),
          arrivedAt: expect.any(String),
          card: aliceCard,
          known: false,
          problem: null,
        },
      ]);

      // Anyone can mail an attachment named as a card: one far too long is listed, never read.
      const huge = join(work, 'huge.medseal-contact');
      await writeFile(huge, 'x'.repeat(300 * 1024));
      const sender = new MailTransport(users.alice!.address, await account(users.alice!));
      await sender.sendMessage('contact', users.carol!.address, 'd4'.repeat(16), huge, 'not a card');
      await sender.close();
      await carol.host.next('exchange.cardsOffered', (event) => event.count === 2, scaled(30_000));
      const both = (await carol.call('contacts.offers')).offers;
      expect(both).toHaveLength(2);
      expect(both.find((offer: { card: unknown }) => offer.card === null)).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        arrivedAt: expect.any(String),
        card: null,
        known: false,
        problem: expect.stringMatching(/far too long to be a card/),
      });
      // Each look reads into a folder of its own and leaves nothing behind.
      expect(
        (await readdir(join(work, 'Carol Cole', 'downloads'))).filter((name) => name.startsWith('cards-')),
      ).toEqual([]);

      await expect(carol.call('contacts.acceptOffer', { id: '0123456789abcdef' })).rejects.toMatchObject({
        code: 'UNKNOWN_CARD_OFFER',
      });
      const imported = await carol.call('contacts.acceptOffer', { id: offers[0].id });
      const { safetyNumber } = await carol.call('contacts.safetyNumber', { fingerprint: aliceCard.fingerprint });
      expect(imported).toEqual({
        outcome: 'added',
        contact: expect.objectContaining({
          name: 'Alice Adams',
          fingerprint: aliceCard.fingerprint,
          state: 'unverified',
        }),
        previous: null,
        lookAlikes: [
          {
            name: 'Alice Adams',
            organisation: 'Elsewhere',
            email: 'alice.adams@elsewhere.example',
            reason: 'same-name',
          },
        ],
        mixedScriptEmail: false,
        safetyNumber,
      });
      expect(safetyNumber).toMatch(/^\d{60}$/);
      // The same answer as a card file's import gives, safety number included.
      expect(
        Object.keys(
          await carol.call('contacts.importText', { text: (await alice.call('identity.myCard')).armored }),
        ).sort(),
      ).toEqual(Object.keys(imported).sort());
      expect((await carol.call('contacts.offers')).offers).toEqual([
        both.find((offer: { card: unknown }) => offer.card === null),
      ]);
      expect(actions(carol)).toEqual(expect.arrayContaining(['contact.imported', 'invitation.card-accepted']));

      await vi.waitFor(() => expect(told(carol)).toEqual([1, 2, 1]), { timeout: scaled(30_000), interval: 200 });

      // A second invitation from Alice: offered as a contact already, imported as "unchanged".
      await alice.call('contacts.invite', { email: users.carol!.address });
      await vi.waitFor(() => expect(told(carol)).toEqual([1, 2, 1, 2]), { timeout: scaled(30_000), interval: 200 });
      const again = (await carol.call('contacts.offers')).offers.find(
        (offer: { card: unknown }) => offer.card !== null,
      );
      expect(again).toMatchObject({ id: offers[0].id, known: true, card: { name: 'Alice Adams' } });
      expect(await carol.call('contacts.acceptOffer', { id: again.id })).toMatchObject({
        outcome: 'unchanged',
        contact: { state: 'unverified' },
      });

      // Told only when the number changes: a later poll with the same count says nothing.
      await vi.waitFor(() => expect(told(carol)).toEqual([1, 2, 1, 2, 1]), { timeout: scaled(30_000), interval: 200 });
      const polls = () => carol.host.events.filter((event) => event.name === 'exchange.inboxStatus').length;
      const before = polls();
      await vi.waitFor(() => expect(polls()).toBeGreaterThan(before + 2), { timeout: scaled(30_000), interval: 200 });
      expect(told(carol)).toEqual([1, 2, 1, 2, 1]);
    },
    scaled(180_000),
  );
});
