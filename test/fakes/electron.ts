/**
 * A small fake of the `electron` module: enough of app, BrowserWindow,
 * protocol, session, ipcMain/ipcRenderer, dialog, safeStorage, powerMonitor,
 * shell, net, contextBridge and webUtils for the shell's code to run in
 * Node, with every call recorded for the tests to inspect.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type Listener = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export const recorded = {
  sandboxEnabled: false,
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  ipcHandlers: new Map<string, Listener>(),
  exposed: new Map<string, unknown>(),
  invoked: [] as { channel: string; payload: unknown }[],
  openedExternally: [] as string[],
  windows: [] as FakeBrowserWindow[],
  permissionRequestHandler: undefined as Listener | undefined,
  permissionCheckHandler: undefined as Listener | undefined,
  quitCalled: false,
  exitCode: undefined as number | undefined,
  singleInstance: true,
  isPackaged: true,
  keychainBackend: 'gnome_libsecret',
  notifications: [] as { title: string; body: string }[],
  badgeCount: 0,
};

class FakeApp extends EventEmitter {
  get isPackaged() {
    return recorded.isPackaged;
  }
  enableSandbox() {
    recorded.sandboxEnabled = true;
  }
  requestSingleInstanceLock() {
    return recorded.singleInstance;
  }
  quit() {
    recorded.quitCalled = true;
  }
  exit(code = 0) {
    recorded.exitCode = code;
  }
  whenReady() {
    return Promise.resolve();
  }
  setBadgeCount(count: number) {
    recorded.badgeCount = count;
    return true;
  }
}

export class Notification {
  static isSupported() {
    return true;
  }
  constructor(private readonly options: { title: string; body: string }) {}
  show() {
    recorded.notifications.push({ title: this.options.title, body: this.options.body });
  }
}

export let app = new FakeApp();

export class FakeWebContents extends EventEmitter {
  readonly mainFrame = { url: 'medseal-app://ui/index.html' };
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: Listener | undefined;
  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler;
  }
  readonly drags: { file: string; icon: { isEmpty(): boolean } }[] = [];
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  startDrag(item: { file: string; icon: { isEmpty(): boolean } }) {
    this.drags.push(item);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the options Electron takes, read freely by the tests
  constructor(readonly options: Record<string, any>) {
    super();
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  show() {}
  static getAllWindows() {
    return recorded.windows;
  }
}
export { FakeBrowserWindow as BrowserWindow };

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
    recorded.protocolHandlers.set(scheme, handler),
};

export const net = {
  // As Electron's: a load that fails rejects with a plain Error named by Chromium's net error.
  fetch: async (url: string) => {
    const body = await readFile(fileURLToPath(url)).catch((error: NodeJS.ErrnoException) => {
      throw new Error(error.code === 'ENOENT' ? 'net::ERR_FILE_NOT_FOUND' : 'net::ERR_FAILED');
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/html' } });
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: Listener) => (recorded.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Listener) => (recorded.permissionCheckHandler = handler),
  },
};

export const ipcMain = {
  handle: (channel: string, handler: Listener) => recorded.ipcHandlers.set(channel, handler),
};

export const ipcRenderer = {
  invoke: async (channel: string, payload: unknown) => {
    recorded.invoked.push({ channel, payload });
    return { ok: true, value: 'from-main' };
  },
  on: () => undefined,
  removeListener: () => undefined,
};

export const contextBridge = {
  exposeInMainWorld: (name: string, api: unknown) => recorded.exposed.set(name, api),
};

export const webUtils = { getPathForFile: (file: { path: string }) => file.path };

export const powerMonitor = new EventEmitter();

export const shell = {
  openExternal: async (url: string) => {
    recorded.openedExternally.push(url);
  },
};

export const clipboard = { writeText: () => undefined };

export const nativeImage = {
  createFromDataURL: (url: string) => ({ isEmpty: () => !url.startsWith('data:image/png;base64,') }),
};

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true, filePath: undefined }),
};

export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => recorded.keychainBackend,
  encryptString: (plain: string) => Buffer.from(plain).reverse(),
  decryptString: (data: Buffer) => Buffer.from(data).reverse().toString(),
};

export function resetFakeElectron(): void {
  app = new FakeApp();
  recorded.sandboxEnabled = false;
  recorded.privilegedSchemes.length = 0;
  recorded.protocolHandlers.clear();
  recorded.ipcHandlers.clear();
  recorded.exposed.clear();
  recorded.invoked.length = 0;
  recorded.openedExternally.length = 0;
  recorded.windows.length = 0;
  recorded.permissionRequestHandler = undefined;
  recorded.permissionCheckHandler = undefined;
  recorded.quitCalled = false;
  recorded.exitCode = undefined;
  recorded.singleInstance = true;
  recorded.isPackaged = true;
  recorded.keychainBackend = 'gnome_libsecret';
  recorded.notifications.length = 0;
  recorded.badgeCount = 0;
  powerMonitor.removeAllListeners();
}

export default {
  app,
  BrowserWindow: FakeBrowserWindow,
  protocol,
  net,
  session,
  ipcMain,
  ipcRenderer,
  contextBridge,
  webUtils,
  powerMonitor,
  shell,
  dialog,
  safeStorage,
  Notification,
};
