/**
 * The app core's host in Electron: native dialogs, the OS keychain through
 * safeStorage (refusing Linux's plain-text backend), and events to the window.
 */
import { app, clipboard, dialog, nativeImage, Notification, safeStorage, shell, type BrowserWindow } from 'electron';
import { DRAG_ICON_DATA_URL } from './drag-icon.js';
import type { Host, Keychain, SaveKind } from '../app/host.js';
import { EVENT_PREFIX } from '../ipc/preload-api.js';
import type { EventName, EventOf } from '../ipc/contract.js';

const SAVE_FILTERS: Record<SaveKind, Electron.FileFilter[]> = {
  package: [{ name: 'MedSeal package', extensions: ['medseal'] }],
  card: [{ name: 'MedSeal contact card', extensions: ['medseal-contact'] }],
  'audit-csv': [{ name: 'CSV', extensions: ['csv'] }],
  'audit-jsonl': [{ name: 'JSON lines', extensions: ['jsonl'] }],
  receipt: [{ name: 'MedSeal receipt', extensions: ['medseal-receipt'] }],
  'recovery-kit': [{ name: 'Web page (print it)', extensions: ['html'] }],
  backup: [{ name: 'MedSeal backup', extensions: ['medseal-backup'] }],
  reader: [{ name: 'MedSeal Reader (web page)', extensions: ['html'] }],
};

export const electronKeychain: Keychain = {
  status() {
    if (!safeStorage.isEncryptionAvailable())
      return { available: false, reason: 'this computer offers no secure keychain to MedSeal' };
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return {
        available: false,
        reason: 'on this Linux desktop the keychain would store your key in plain text (basic_text)',
      };
    }
    return { available: true, reason: null };
  },
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (data) => safeStorage.decryptString(data),
};

export function electronHost(window: () => BrowserWindow | undefined): Host {
  const parent = () => window();
  return {
    keychain: electronKeychain,
    desktop: {
      revealInFolder: (path) => shell.showItemInFolder(path),
      startDrag: (path) =>
        parent()?.webContents.startDrag({ file: path, icon: nativeImage.createFromDataURL(DRAG_ICON_DATA_URL) }),
      copyToClipboard: (text) => {
        void clipboard.writeText(text);
      },
      notify: ({ title, body }) => {
        if (Notification.isSupported()) new Notification({ title, body }).show();
      },
      setBadgeCount: (count) => {
        app.setBadgeCount(count); // macOS dock and Linux launchers (Unity); Windows has no count on the taskbar icon
      },
    },
    dialogs: {
      async chooseFilesToSeal() {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose files to seal',
          properties: ['openFile', 'multiSelections'],
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? [] : result.filePaths;
      },
      async choosePackage() {
        const options: Electron.OpenDialogOptions = {
          title: 'Open a MedSeal package',
          properties: ['openFile'],
          filters: SAVE_FILTERS.package,
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseCard() {
        const options: Electron.OpenDialogOptions = {
          title: 'Import a contact card',
          properties: ['openFile'],
          filters: SAVE_FILTERS.card,
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseSaveLocation(kind, defaultName) {
        const options: Electron.SaveDialogOptions = {
          title: 'Save',
          defaultPath: defaultName,
          filters: SAVE_FILTERS[kind],
        };
        const result = await (parent() ? dialog.showSaveDialog(parent()!, options) : dialog.showSaveDialog(options));
        return result.canceled ? null : (result.filePath ?? null);
      },
      async chooseExchangeFolder() {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose the shared exchange folder',
          properties: ['openDirectory'],
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseSentCopyFolder() {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose where to keep a copy of each package you send',
          properties: ['openDirectory', 'createDirectory'],
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseSftpKey() {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose your SFTP login key (private key file)',
          properties: ['openFile', 'showHiddenFiles'],
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseMailCaFile() {
        const options: Electron.OpenDialogOptions = {
          title: "Choose your mail servers' CA certificate (PEM file from IT)",
          properties: ['openFile'],
          filters: [
            { name: 'Certificate', extensions: ['pem', 'crt', 'cer'] },
            { name: 'All files', extensions: ['*'] },
          ],
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseBackup() {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose the MedSeal backup to restore',
          properties: ['openFile'],
          filters: SAVE_FILTERS.backup,
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseFolderForOpenedFiles() {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose where to save the files',
          properties: ['openDirectory', 'createDirectory'],
        };
        const result = await (parent() ? dialog.showOpenDialog(parent()!, options) : dialog.showOpenDialog(options));
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    },
    emit<E extends EventName>(event: E, payload: EventOf<E>) {
      const target = window();
      if (target && !target.isDestroyed()) target.webContents.send(`${EVENT_PREFIX}${event}`, payload);
    },
  };
}
