/**
 * Starts the Electron app: sandbox everywhere, the app:// protocol, one
 * instance, one hardened window, the IPC contract, locking on OS lock and
 * suspend, and files the OS asks us to open (double-click, second
 * instance, macOS open-file) routed to the receive or import flow.
 */
import { app, BrowserWindow, powerMonitor, session } from 'electron';
import { createMedSealApp, type MedSealApp } from '../app/medseal-app.js';
import { loadSodium } from '../crypto/sodium.js';
import { KeptWorkerTransports } from '../jobs/worker-transport.js';
import { WorkerPackageJobs } from '../jobs/worker-package-jobs.js';
import { ProfileFolder, resolveProfileFolder } from '../profile/profile-folder.js';
import { join } from 'node:path';
import { APP_ORIGIN, registerAppScheme, serveAppScheme } from './app-protocol.js';
import { electronHost } from './electron-host.js';
import { loadMachinePolicy, type PolicyState } from '../policy/load-policy.js';
import { closeLogger, createLogger } from '../logging/logger.js';
import { registerIpc } from './ipc-registration.js';
import { createMainWindow, hardenWebContents } from './window.js';

/** Paths of .medseal / .medseal-contact files among command-line arguments. */
export function filesFromArgv(argv: readonly string[]): string[] {
  return argv.filter((arg) => !arg.startsWith('-') && /\.medseal(-contact)?$/i.test(arg));
}

export interface ShellOptions {
  /** How the machine's policy is read (tests give their own; the app reads the machine's). */
  readonly loadPolicy?: () => Promise<PolicyState>;
}

export function startShell(distFolder: string, options: ShellOptions = {}): { ready: Promise<MedSealApp | null> } {
  registerAppScheme();
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve(null) };
  }

  let window: BrowserWindow | undefined;
  const pending: string[] = filesFromArgv(process.argv.slice(1));
  let medseal: MedSealApp | undefined;
  const openFiles = (paths: string[]) => {
    if (medseal) for (const path of paths) void medseal.openExternalFile(path);
    else pending.push(...paths);
  };

  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFiles([path]);
  });
  app.on('second-instance', (_event, argv) => {
    openFiles(filesFromArgv(argv));
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());

  const ready = app.whenReady().then(async () => {
    await loadSodium();
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    serveAppScheme(join(distFolder, 'renderer'));
    const host = electronHost(() => window);
    const policy = await (options.loadPolicy ?? (() => loadMachinePolicy()))();
    const folder = new ProfileFolder(resolveProfileFolder(undefined));
    await folder.ensure();
    await folder.removeStrayTempFiles(); // what a crash or a power cut left half-written, as the CLI does
    const logger = createLogger(folder.path);
    medseal = createMedSealApp({
      policy,
      logger,
      folder,
      host,
      jobs: new WorkerPackageJobs(join(distFolder, 'package-worker.cjs'), (reason) =>
        logger.error({ reason }, 'background task failed'),
      ),
      transports: new KeptWorkerTransports(join(distFolder, 'transport-worker.cjs')),
      origin: APP_ORIGIN,
      readerPage: join(distFolder, 'medseal-reader.html'),
    });
    registerIpc(medseal.dispatch);
    powerMonitor.on('lock-screen', () => medseal?.session.lock('os-lock'));
    powerMonitor.on('suspend', () => medseal?.session.lock('suspend'));
    app.on('before-quit', () => {
      medseal?.close();
      void closeLogger(logger);
    });
    window = createMainWindow(distFolder, !app.isPackaged);
    openFiles(pending.splice(0));
    return medseal;
  });
  return { ready };
}
