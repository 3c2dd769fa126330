/**
 * The running app without Electron: session, package work, the IPC handlers
 * behind the validating dispatcher, and files the OS asks us to open. The
 * shell wires it to ipcMain and the window; the renderer e2e tests wire the
 * same `dispatch` to Playwright's exposeBinding.
 */
import { extname } from 'node:path';
import type { KdfStrength } from '../identity/keystore.js';
import { CARD_FILE_EXTENSION } from '../identity/contact-card.js';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher.js';
import type { PackageJobs } from '../services/package-runner.js';
import { PACKAGE_FILE_EXTENSION } from '../package/format.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import { createHandlers } from './create-handlers.js';
import type { Host } from './host.js';
import { PackageWork } from './package-work.js';
import { PassphraseOpenWork } from './passphrase-open-work.js';
import { Session } from './session.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { PolicyGate } from '../services/policy-gate.js';
import type { PolicyState } from '../policy/load-policy.js';
import type { Channel } from '../ipc/contract.js';
import { ExchangeService } from './exchange-service.js';
import { Notifier } from './notifier.js';
import { ReceiveService } from '../services/receive.js';
import type { TransportPool } from '../exchange/transport-config.js';
import { SiemService } from './siem-service.js';
import { BackupService } from './backup-service.js';
import { PartnerRefresh } from './partner-refresh.js';

/** Set by the build (esbuild `define`). */
declare const MEDSEAL_VERSION: string | undefined;

export interface MedSealApp {
  readonly session: Session;
  readonly dispatch: Dispatch;
  /** A .medseal or .medseal-contact file from the OS (double-click, second instance, macOS open-file). */
  openExternalFile(path: string): Promise<void>;
  close(): void;
}

/** Channels that still answer while a broken policy file blocks the app. */
const ALWAYS_AVAILABLE = new Set<Channel>(['session.status', 'app.about']);

export function createMedSealApp(options: {
  folder: ProfileFolder;
  host: Host;
  jobs: PackageJobs;
  origin: string;
  policy?: PolicyState;
  logger?: Logger;
  onInternalError?: (channel: string, error: unknown) => void;
  /** Key-derivation strength for a new identity (tests use the floor); the keystore's default otherwise. */
  kdf?: KdfStrength;
  /** Exchanges kept open in worker threads in the shell (jobs/worker-transport.ts); in-process, opened per use, by default. */
  transports?: TransportPool;
  /** MedSeal Reader as installed beside the app (app/dist/medseal-reader.html), for "Save MedSeal Reader…". */
  readerPage?: string;
}): MedSealApp {
  const { host } = options;
  const log = options.logger ?? silentLogger();
  if (options.policy) log.info({ policy: options.policy.state }, 'policy loaded');
  const gate = options.policy ? new PolicyGate(options.policy) : PolicyGate.none();
  const session = new Session(options.folder, host, gate, options.kdf);
  session.onLock(() => log.info('locked'));
  session.onUnlock(() => log.info('unlocked'));
  const notifier = new Notifier(session, host);
  const exchange = new ExchangeService(
    session,
    host,
    new ReceiveService(session.profiles, options.jobs),
    log,
    notifier,
    options.transports,
  );
  new SiemService(session, log, typeof MEDSEAL_VERSION === 'string' ? MEDSEAL_VERSION : 'development'); // forwards the audit log while unlocked
  new BackupService(session, log); // automatic backups while unlocked, when the policy names a folder
  const work = new PackageWork(session, options.jobs, host, exchange, log);
  const passphrase = new PassphraseOpenWork(session, host, work, options.jobs);
  const partners = new PartnerRefresh(session, host, log, notifier); // partner directories at unlock and hourly
  const handlers = {
    ...createHandlers(session, work, host, exchange, notifier, passphrase, options.readerPage ?? null),
    ...partners.handlers(),
  };
  const dispatch = createDispatcher(handlers, {
    origin: options.origin,
    precondition: (channel) => {
      if (!ALWAYS_AVAILABLE.has(channel)) gate.assertUsable(); // fail closed while the policy file has an error
    },
    isUnlocked: () => session.isUnlocked,
    onInternalError: (channel, error) => {
      log.error({ channel, error: error instanceof Error ? error.name : 'unknown' }, 'internal error'); // the name only: messages can hold paths
      options.onInternalError?.(channel, error);
    },
  });

  const waiting: string[] = [];
  const deliver = async (path: string) => {
    const kind =
      extname(path).toLowerCase() === CARD_FILE_EXTENSION
        ? 'card'
        : extname(path).toLowerCase() === PACKAGE_FILE_EXTENSION
          ? 'package'
          : null;
    if (!kind) return;
    try {
      const entry = await session.files.register(path);
      host.emit('app.fileOpened', { kind, file: session.files.ref(entry) });
    } catch {
      // an unreadable file the OS handed us: nothing to show
    }
  };
  session.onUnlock(() => {
    for (const path of waiting.splice(0)) void deliver(path);
  });

  return {
    session,
    dispatch,
    openExternalFile: async (path) => {
      if (session.isUnlocked) await deliver(path);
      else waiting.push(path); // delivered right after the next unlock
    },
    close: () => session.close(),
  };
}
