/**
 * The Electron shell started against a fake `electron` module: window
 * options, sandbox, protocol and CSP, navigation/permission handlers,
 * IPC registration with real handlers and sender checks, OS lock, and the
 * preload's exposed API.
 */
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempFolder } from '../helpers/temp-folder.js';
import { noMachinePolicy } from '../helpers/machine-policy.js';

vi.mock('electron', async () => import('../fakes/electron.js'));
const fake = await import('../fakes/electron.js');
const { startShell, filesFromArgv } = await import('../../main/shell/start.js');
const { CONTENT_SECURITY_POLICY } = await import('../../main/shell/app-protocol.js');
const { CHANNELS, CHANNEL_PREFIX } = await import('../../main/ipc/contract.js');

const DIST = join(process.cwd(), 'app', 'dist');
let started: Awaited<ReturnType<typeof startShell>['ready']>;

beforeEach(async () => {
  if (!existsSync(join(DIST, 'package-worker.cjs')))
    throw new Error('app/dist is missing: run "npm run build" first (npm test does).');
  fake.resetFakeElectron();
  process.env.MEDSEAL_HOME = join(await tempFolder(), 'profile');
});

afterEach(() => {
  started?.close();
  delete process.env.MEDSEAL_HOME;
});

async function start() {
  started = await startShell(DIST, { loadPolicy: noMachinePolicy }).ready;
  return fake.recorded.windows[0]!;
}

const invoke = (channel: string, payload: unknown, frame: { url: string } | null, isMain = true) => {
  const window = fake.recorded.windows[0]!;
  const senderFrame = isMain && frame ? window.webContents.mainFrame : frame;
  if (isMain && frame) window.webContents.mainFrame.url = frame.url;
  const handler = fake.recorded.ipcHandlers.get(`${CHANNEL_PREFIX}${channel}`)!;
  return handler({ senderFrame, sender: window.webContents }, payload) as Promise<{
    ok: boolean;
    error?: { code: string };
  }>;
};

describe('starting the app', () => {
  it('removes what a crash left half-written in the profile, as the CLI does', async () => {
    const profile = process.env.MEDSEAL_HOME!;
    await mkdir(profile, { recursive: true, mode: 0o700 });
    const stray = join(profile, '.medseal-partial-0123456789abcdef');
    await writeFile(stray, 'half a keystore');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stray, hourAgo, hourAgo);
    await startShell(DIST, { loadPolicy: noMachinePolicy }).ready.then((app) => (started = app));
    expect(existsSync(stray)).toBe(false);
  });
});

describe('window and process hardening', () => {
  it('creates one sandboxed, isolated window without Node, DevTools off when packaged, loaded from the app protocol', async () => {
    const window = await start();
    expect(fake.recorded.sandboxEnabled).toBe(true);
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(window.options.webPreferences.preload).toBe(join(DIST, 'preload.cjs'));
    expect(window.loadedUrl).toBe('medseal-app://ui/index.html');
    expect(fake.recorded.privilegedSchemes).toEqual([
      { scheme: 'medseal-app', privileges: { standard: true, secure: true, supportFetchAPI: false } },
    ]);
  });

  it('DevTools are available in development builds only', async () => {
    fake.recorded.isPackaged = false;
    expect((await start()).options.webPreferences.devTools).toBe(true);
  });

  it('denies navigation, redirects, webviews, new windows and every permission; opens only allow-listed https links outside', async () => {
    const window = await start();
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      window.webContents.emit(event, { preventDefault }, 'https://evil.example/');
      expect(preventDefault, event).toHaveBeenCalled();
    }
    for (const url of [
      'https://evil.example/',
      'http://medseal.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://medseal.example@evil.example/',
    ]) {
      expect(window.webContents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(window.webContents.windowOpenHandler!({ url: 'https://medseal.example/help' })).toEqual({ action: 'deny' });
    expect(fake.recorded.openedExternally).toEqual(['https://medseal.example/help']);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      fake.recorded.permissionRequestHandler!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(fake.recorded.permissionCheckHandler!({}, permission)).toBe(false);
    }
  });

  it('serves the renderer with a strict CSP and refuses to leave its folder', async () => {
    await start();
    const handler = fake.recorded.protocolHandlers.get('medseal-app')!;
    const page = await handler(new Request('medseal-app://ui/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect((await handler(new Request('medseal-app://ui/../../package-worker.cjs'))).status).not.toBe(200);
    expect((await handler(new Request('medseal-app://ui/%2e%2e/main.cjs'))).status).toBe(404);
  });

  it('a second instance quits at once', async () => {
    fake.recorded.singleInstance = false;
    expect(await startShell(DIST, { loadPolicy: noMachinePolicy }).ready).toBeNull();
    expect(fake.recorded.quitCalled).toBe(true);
    expect(fake.recorded.windows).toHaveLength(0);
  });
});

describe('IPC through ipcMain', () => {
  it('registers every contract channel and nothing else', async () => {
    await start();
    expect([...fake.recorded.ipcHandlers.keys()].sort()).toEqual(
      CHANNELS.map((channel) => `${CHANNEL_PREFIX}${channel}`).sort(),
    );
  });

  it('drives every channel with valid, malformed and wrong-sender requests; only our main frame gets through', async () => {
    await start();
    expect(await invoke('session.status', {}, { url: 'medseal-app://ui/index.html' })).toMatchObject({ ok: true });
    for (const channel of CHANNELS) {
      expect(await invoke(channel, {}, { url: 'https://evil.example/' }), channel).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
      expect(await invoke(channel, {}, { url: 'medseal-app://ui/frame.html' }, false), channel).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
      expect(await invoke(channel, {}, null), channel).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
      const malformed = await invoke(channel, { surplus: 'x'.repeat(10) }, { url: 'medseal-app://ui/index.html' });
      expect(malformed.ok, channel).toBe(false);
    }
    const created = await invoke(
      'identity.create',
      {
        name: 'Dr Shell',
        organisation: 'Test',
        role: '',
        email: 'shell@test.example',
        passphrase: 'a long enough passphrase',
      },
      { url: 'medseal-app://ui/index.html' },
    );
    expect(created).toMatchObject({ ok: true });
  });

  it('locks when the OS locks the screen or suspends, and tells the window', async () => {
    const window = await start();
    await invoke(
      'identity.create',
      {
        name: 'Dr Shell',
        organisation: 'Test',
        role: '',
        email: 'shell@test.example',
        passphrase: 'a long enough passphrase',
      },
      { url: 'medseal-app://ui/index.html' },
    );
    fake.powerMonitor.emit('lock-screen');
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: 'medseal-event:session.locked',
      payload: { reason: 'os-lock' },
    });
    expect(await invoke('contacts.list', {}, { url: 'medseal-app://ui/index.html' })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' },
    });
  });

  it('drags a saved package out of the window with a real (non-empty) drag image', async () => {
    const window = await start();
    const { electronHost } = await import('../../main/shell/electron-host.js');
    electronHost(() => window as unknown as import('electron').BrowserWindow).desktop.startDrag(
      '/home/a/referral.medseal',
    );
    expect(window.webContents.drags).toHaveLength(1);
    expect(window.webContents.drags[0]!.file).toBe('/home/a/referral.medseal');
    expect(window.webContents.drags[0]!.icon.isEmpty()).toBe(false);
  });

  it('refuses remember-on-device on Linux basic_text', async () => {
    fake.recorded.keychainBackend = 'basic_text';
    await start();
    const status = (await invoke('session.status', {}, { url: 'medseal-app://ui/index.html' })) as unknown as {
      value: { remember: { available: boolean; reason: string } };
    };
    expect(status.value.remember.available).toBe(process.platform === 'linux' ? false : true);
  });

  it('routes .medseal and .medseal-contact arguments to the app', () => {
    expect(
      filesFromArgv([
        '/usr/bin/medseal',
        '--flag',
        '/home/a/referral.medseal',
        '/home/a/bob.medseal-contact',
        '/home/a/notes.txt',
      ]),
    ).toEqual(['/home/a/referral.medseal', '/home/a/bob.medseal-contact']);
  });
});

describe('the preload', () => {
  it('exposes exactly call, on and registerDroppedFile, and refuses channels outside the contract', async () => {
    vi.resetModules();
    await import('../../main/shell/preload.js');
    const api = fake.recorded.exposed.get('medseal') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'registerDroppedFile']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(await api.call!('fs.readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL' },
    });
    expect(fake.recorded.invoked).toEqual([]);
    await api.call!('session.status', {});
    await api.registerDroppedFile!({ path: '/home/a/scan.pdf' });
    expect(fake.recorded.invoked).toEqual([
      { channel: 'medseal:session.status', payload: {} },
      { channel: 'medseal:files.registerDropped', payload: { path: '/home/a/scan.pdf' } },
    ]);
  });

  it("the page cannot name a path or fake activity: those channels are the preload's own", async () => {
    vi.resetModules();
    const target = new EventTarget();
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    await import('../../main/shell/preload.js');
    const api = fake.recorded.exposed.get('medseal') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    fake.recorded.invoked.length = 0;
    expect(await api.call!('files.registerDropped', { path: '/home/a/.ssh/id_ed25519' })).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL' },
    });
    expect(await api.call!('session.activity', {})).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL' },
    });
    expect(await api.registerDroppedFile!({ path: '' })).toMatchObject({ ok: false, error: { code: 'FILE_REFUSED' } }); // a File the page made: no path
    target.dispatchEvent(new Event('keydown')); // script-made input is not the user
    expect(fake.recorded.invoked).toEqual([]);
    vi.unstubAllGlobals();
  });
});
