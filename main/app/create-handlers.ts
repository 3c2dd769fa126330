/**
 * Every IPC call of the contract (but partner organisations': those are
 * partner-refresh.ts's), implemented over the session, the profile's store
 * and the package work. The dispatcher validates requests
 * and answers and refuses calls that need an unlocked identity while
 * locked; these functions only do the work.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportVerifiedAudit } from '../services/audit-export.js';
import { searchPackages } from '../services/package-search.js';
import { toIoError } from '../errors/io-error.js';
import { armorCard, parseArmoredCard } from '../identity/contact-card.js';
import { safetyDigitsFor } from '../identity/fingerprint.js';
import { CardMalformed } from '../identity/errors.js';
import type { Handlers } from '../ipc/dispatcher.js';
import { writeNewFile } from '../fs/write-new-file.js';
import type { Host } from './host.js';
import type { PackageWork } from './package-work.js';
import type { Notifier } from './notifier.js';
import type { Session } from './session.js';
import type { ExchangeService } from './exchange-service.js';
import { contactView, historyView, importView, lookAlikeView, personView } from '../services/views.js';
import { recipientStatuses } from '../services/delivery/recipient-status.js';
import { threadOf, threadsOf } from '../services/threads.js';
import type { PackageSummary } from '../store/package-history.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import { createContinuityHandlers } from './continuity-handlers.js';
import { createInvitationHandlers } from './invitation-handlers.js';
import { recipientCautions } from '../services/recipient-cautions.js';
import { withdrawalProblem } from '../services/delivery/withdraw.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { SentCopies, type SentCopyFolder } from '../services/delivery/sent-copies.js';
import { mailSetupView } from './mailbox-form.js';
import { createPassphraseHandlers } from './passphrase-handlers.js';
import type { PassphraseOpenWork } from './passphrase-open-work.js';
import type { PartnerChannel } from './partner-refresh.js';

function sentCopyView(folder: SentCopyFolder | null) {
  return { folder: folder?.path ?? null, managed: folder?.managed ?? false };
}

declare const MEDSEAL_VERSION: string | undefined;
const appVersion = typeof MEDSEAL_VERSION === 'string' ? MEDSEAL_VERSION : 'development';

async function historyWithDeliveries(summaries: readonly PackageSummary[], profile: UnlockedProfile) {
  const statuses = await recipientStatuses(profile, summaries);
  const threads = threadsOf(profile, summaries);
  return summaries.map((summary) => historyView(summary, statuses.get(summary.id), threads.get(summary.id)));
}

export function createHandlers(
  session: Session,
  work: PackageWork,
  host: Host,
  exchange: ExchangeService,
  notifier: Notifier,
  passphrase: PassphraseOpenWork,
  /** MedSeal Reader as installed with the app (app/dist/medseal-reader.html), or null where it is not. */
  readerPage: string | null,
): Omit<Handlers, PartnerChannel> {
  const profile = () => session.requireProfile();
  const sentCopies = new SentCopies(session.profiles);
  const importCardText = async (text: string) => {
    const book = profile().contacts;
    const result = await book.importCard(parseArmoredCard(text));
    return importView(result, book.safetyNumberWith(result.contact));
  };
  const pickOne = async (choose: () => Promise<string | null>) => {
    const path = await choose();
    return path ? session.files.ref(await session.files.register(path)) : null;
  };

  return {
    'session.status': () => session.status(),
    'session.unlock': ({ passphrase, remember }) => session.unlock(passphrase, remember),
    'session.unlockRemembered': () => session.unlockRemembered(),
    'session.lock': async () => {
      session.lock('user');
      return {};
    },
    'session.activity': async () => {
      session.autoLock.touch();
      return {};
    },
    'session.forgetDevice': async () => {
      await session.forgetDevice();
      return {};
    },
    'identity.create': (request) => session.create(request),
    'identity.changePassphrase': async ({ oldPassphrase, newPassphrase }) => {
      await session.changePassphrase(oldPassphrase, newPassphrase);
      return {};
    },
    'identity.myCard': async () => ({
      armored: armorCard(profile().identity.card),
      profile: personView(profile().identity.card),
    }),
    'identity.saveMyCard': async () => {
      const card = profile().identity.card;
      const path = await host.dialogs.chooseSaveLocation(
        'card',
        `${card.profile.name.replace(/[^\p{L}\p{N} ._-]/gu, '')}.medseal-contact`,
      );
      if (!path) return { saved: false };
      await writeNewFile(path, armorCard(card), 'the card file', 0o644); // public: a card holds no secret
      return { saved: true };
    },
    'identity.copyMyCard': async () => {
      host.desktop.copyToClipboard(armorCard(profile().identity.card));
      return {};
    },
    'contacts.list': async () => (await profile().contacts.list()).map(contactView),
    'contacts.importText': ({ text }) => importCardText(text),
    'contacts.importFile': async ({ token }) => {
      const file = session.files.get(token);
      if (file.size > 64 * 1024) throw new CardMalformed('the file is far too large to be a card');
      return importCardText(
        await readFile(file.path, 'utf8').catch((error: unknown) => {
          throw toIoError('the card file', error);
        }),
      );
    },
    'contacts.safetyNumber': async ({ fingerprint }) => {
      const book = profile().contacts;
      const contact = await book.find(fingerprint);
      const me = profile().identity.card;
      return {
        safetyNumber: book.safetyNumberWith(contact),
        mine: safetyDigitsFor(me.signingKey, me.encryptionKey),
        theirs: safetyDigitsFor(contact.card.signingKey, contact.card.encryptionKey),
      };
    },
    'contacts.verify': async ({ fingerprint, safetyNumber }) =>
      contactView(await profile().contacts.verify(fingerprint, safetyNumber)),
    'contacts.rejectReplacement': async ({ fingerprint }) =>
      contactView(await profile().contacts.rejectReplacement(fingerprint)),
    'contacts.remove': async ({ fingerprint }) => {
      await profile().contacts.remove(fingerprint);
      return {};
    },
    ...createInvitationHandlers(session),
    'files.pickToSeal': async () => {
      const paths = await host.dialogs.chooseFilesToSeal();
      const entries = await Promise.all(paths.map((path) => session.files.register(path)));
      return entries.map((entry) => session.files.ref(entry));
    },
    'files.pickPackage': () => pickOne(() => host.dialogs.choosePackage()),
    'files.pickCard': () => pickOne(() => host.dialogs.chooseCard()),
    'files.registerDropped': async ({ path }) => session.files.ref(await session.files.register(path)),
    'seal.start': (request) => work.seal(request),
    'open.preview': ({ token }) => work.preview(token),
    'open.start': (request) => work.open(request),
    'open.addSender': ({ token, acceptLookAlike }) => work.addSender(token, acceptLookAlike === true),
    'open.replyDraft': ({ token }) => work.replyDraft(token),
    'seal.reveal': async ({ jobId }) => {
      work.reveal(jobId);
      return {};
    },
    'open.reveal': async ({ jobId }) => {
      work.reveal(jobId);
      return {};
    },
    'jobs.cancel': async ({ jobId }) => {
      work.cancel(jobId);
      return {};
    },
    'history.recent': ({ limit }) => historyWithDeliveries(profile().history.recent(limit), profile()),
    'history.search': async ({ query, limit }) =>
      historyWithDeliveries(await searchPackages(profile(), query, limit), profile()),
    'history.thread': async ({ id }) => {
      const thread = await threadOf(profile(), `#${id}`);
      const summaries = thread.entries.map((entry) => entry.summary);
      const membership = { rootId: thread.rootId, size: thread.entries.length };
      return {
        rootId: thread.rootId,
        entries: thread.entries.map((entry) => ({
          ...historyView(entry.summary, entry.deliveries, summaries.length > 1 ? membership : null),
          threadState: entry.state,
          answers: entry.answers,
        })),
      };
    },
    'history.withdraw': async ({ id }) => {
      const outcome = await exchange.withdraw(id);
      const names = new Map(
        (await profile().contacts.list()).map((contact) => [contact.fingerprint, contact.card.profile.name]),
      );
      const problem = withdrawalProblem(outcome, (fingerprint) => names.get(fingerprint) ?? fingerprint.slice(0, 12));
      return {
        recipients: outcome.recipients.map(({ fingerprint, outcome: result }) => ({
          fingerprint,
          name: names.get(fingerprint) ?? null,
          outcome: result,
        })),
        problems: [
          ...outcome.problems.map(
            ({ exchange: name, error }) =>
              `${name}: ${isMedSealError(error) ? error.userMessage : 'an unexpected error occurred'}`,
          ),
          ...(problem ? [problem.userMessage] : []),
        ],
      };
    },
    'audit.verify': async () => {
      const result = profile().audit.verify();
      return result.ok
        ? { ok: true, entries: result.entries, firstBadSeq: null, problem: null }
        : { ok: false, entries: result.entries, firstBadSeq: result.firstBadSeq, problem: result.problem };
    },
    'audit.export': async ({ format }) => {
      const managedFolder = session.policy.effective.auditExportFolder;
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
      const fileName = `medseal-audit-${personView(profile().identity.card).fingerprint.slice(0, 12)}-${stamp}.${format}`;
      const path = managedFolder
        ? join(managedFolder, fileName)
        : await host.dialogs.chooseSaveLocation(format === 'csv' ? 'audit-csv' : 'audit-jsonl', fileName);
      if (!path) return { saved: false };
      await writeNewFile(path, (await exportVerifiedAudit(profile(), format)).text, 'the audit export');
      return { saved: true };
    },
    'exchange.addFolder': ({ name }) => exchange.addFolder(name),
    'exchange.inbox': () => exchange.inbox(),
    'exchange.list': () => exchange.list(),
    'exchange.inboxStatus': async () => exchange.inboxStatus(),
    'exchange.checkSftp': ({ url }) => exchange.checkSftp(url),
    'exchange.addSftp': (request) => exchange.addSftp(request),
    'exchange.remove': ({ name }) => exchange.remove(name),
    'exchange.mailSetup': async () => mailSetupView(session.profiles),
    'exchange.addMail': (form) => exchange.addMail(form),
    'seal.deliver': ({ jobId }) => work.sent.deliver(jobId),
    'seal.saveCopy': ({ jobId }) => work.sent.saveCopy(jobId),
    'exchange.sendsThrough': async () => ({ sends: await exchange.sendsThroughExchanges() }),
    'exchange.test': ({ name }) => exchange.test(name),
    'seal.reachability': async ({ recipients }) => ({ unreached: await exchange.unreached(recipients) }),
    'seal.cautions': async ({ recipients }) => {
      const contacts = await Promise.all(recipients.map((fingerprint) => profile().contacts.find(fingerprint)));
      return (await recipientCautions(profile(), contacts)).map((caution) => ({
        fingerprint: caution.recipient.fingerprint,
        firstPackage: caution.firstPackage,
        lookAlikes: caution.lookAlikes.map(lookAlikeView),
      }));
    },
    'open.saveReceipt': ({ token }) => work.saveReceipt(token),
    'seal.startDrag': async ({ jobId }) => {
      work.startDrag(jobId);
      return {};
    },
    ...createContinuityHandlers(session, host),
    ...createPassphraseHandlers(session, passphrase, host, readerPage),
    'app.about': async () => ({ version: appVersion, dataFolder: session.folder.path }),
    'settings.sentCopies': async () => sentCopyView(await sentCopies.folder()),
    'settings.chooseSentCopyFolder': async () => {
      sentCopies.assertUserChooses();
      const chosen = await host.dialogs.chooseSentCopyFolder();
      return sentCopyView(chosen ? await sentCopies.choose(chosen) : await sentCopies.folder());
    },
    'settings.stopSentCopies': async () => sentCopyView(await sentCopies.choose(null)),
    'settings.notifications': () => notifier.settings(),
    'settings.setNotifications': ({ enabled }) => notifier.setEnabled(enabled),
    'settings.setAutoLock': async ({ minutes }) => ({ minutes: await session.setAutoLockMinutes(minutes) }),
  };
}
